"""Who did what and when: the event log read by box, by author or from a time, each entry
with the account, role and channel of the command that caused it, and the fields it
changed (a box's facts, its customs status) beside their values before.

Part of the one query module: ``Queries`` takes these questions on.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from hubport.adapters import tables
from hubport.services.queries_console import hub_time

#: The most entries one audit answers.
AUDIT_LIMIT = 1000
#: Events whose payload holds a box's facts (a later one changes fields of an earlier).
_FACTS = ("ContainerAnnounced", "ContainerUpdated")


@dataclass(frozen=True)
class AuditEntry:
    """One event and who caused it."""

    id: int
    at: datetime | None
    recorded_at: datetime | None
    event: str
    box: str | None
    command: str
    author: str | None
    role: str | None
    channel: str | None
    payload: dict[str, Any]
    #: The fields it changed: name → (before, after).
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat() if self.at else None,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "event": self.event,
            "box": self.box,
            "command": self.command,
            "author": self.author,
            "role": self.role,
            "channel": self.channel,
            "payload": self.payload,
            "changes": {name: list(pair) for name, pair in self.changes.items()},
        }


class AuditQueries:
    """The audit trail; the store connection comes from ``_reading``."""

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def audit_trail(
        self,
        box: str | None = None,
        author: str | None = None,
        since: datetime | None = None,
        limit: int = 200,
    ) -> list[AuditEntry]:
        """The latest events (newest first) of a box, of an author, since a time."""
        table = tables.events
        query = select(table).order_by(table.c.id.desc()).limit(min(limit, AUDIT_LIMIT))
        if box is not None:
            query = query.where(table.c.container_number == box)
        if author is not None:
            query = query.where(table.c.author == author)
        if since is not None:
            query = query.where(table.c.occurred_at >= since)
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
            return [self._entry(connection, row) for row in rows]

    def _entry(self, connection: Connection, row: Any) -> AuditEntry:
        payload = json.loads(row["payload"])
        entry = AuditEntry(
            row["id"],
            hub_time(row["occurred_at"]),
            row["recorded_at"],
            row["event_type"],
            row["container_number"],
            row["command"],
            row["author"],
            row["author_role"],
            row["channel"],
            payload,
        )
        if row["container_number"] is None:
            return entry
        if row["event_type"] == "ContainerUpdated":
            before = self._before(connection, row, _FACTS)
            if before is not None:
                entry.changes.update(_diff(before.get("container", {}), payload["container"]))
        elif row["event_type"] == "CustomsStatusChanged":
            before = self._before(connection, row, ("CustomsStatusChanged",))
            old = before.get("status") if before is not None else None
            if old != payload.get("status"):
                entry.changes["customs_status"] = (old, payload.get("status"))
        return entry

    @staticmethod
    def _before(connection: Connection, row: Any, kinds: tuple[str, ...]) -> dict[str, Any] | None:
        table = tables.events
        earlier = connection.execute(
            select(table.c.payload)
            .where(
                table.c.container_number == row["container_number"],
                table.c.event_type.in_(kinds),
                table.c.id < row["id"],
            )
            .order_by(table.c.id.desc())
            .limit(1)
        ).scalar()
        return None if earlier is None else dict(json.loads(earlier))


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


__all__ = ["AUDIT_LIMIT", "AuditEntry", "AuditQueries"]
