"""The record of interchanges received and sent, and the quarantine of rejected ones."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from hubport.adapters import tables
from hubport.domain.errors import HubportError

_TABLE = tables.edi_interchanges


@dataclass(frozen=True)
class InterchangeRecord:
    """One row of the EDI record."""

    id: int
    direction: str
    partner: str
    control_reference: str
    message_types: str
    status: str
    file_name: str | None
    digest: str
    at: datetime
    summary: list[dict[str, Any]]
    report: str | None
    raw: str


class EdiRecord:
    """Reads and writes ``edi_interchanges``; each call is its own transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(
        self,
        *,
        direction: str,
        partner: str,
        control_reference: str,
        message_types: str,
        status: str,
        digest: str,
        at: datetime,
        summary: list[dict[str, Any]],
        raw: str,
        file_name: str | None = None,
        report: str | None = None,
    ) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(
                insert(_TABLE).values(
                    direction=direction,
                    partner=_storable(partner)[:35],
                    control_reference=_storable(control_reference)[:35],
                    message_types=_storable(message_types)[:80],
                    status=status,
                    file_name=None if file_name is None else _storable(file_name)[:500],
                    digest=digest,
                    at=at,
                    summary=_storable(json.dumps(summary, sort_keys=True, default=str)),
                    report=None if report is None else _storable(report),
                    raw=_storable(raw),
                )
            )
            key = result.inserted_primary_key
            return int(key[0]) if key is not None else 0

    def get(self, record_id: int) -> InterchangeRecord:
        with self.engine.connect() as connection:
            row = connection.execute(select(_TABLE).where(_TABLE.c.id == record_id)).first()
        if row is None:
            raise HubportError(f"no EDI interchange #{record_id} is on record")
        return _record(row._mapping)

    def list(
        self, *, direction: str | None = None, status: str | None = None, limit: int = 100
    ) -> list[InterchangeRecord]:
        query = select(_TABLE).order_by(_TABLE.c.id.desc()).limit(limit)
        if direction is not None:
            query = query.where(_TABLE.c.direction == direction)
        if status is not None:
            query = query.where(_TABLE.c.status == status)
        with self.engine.connect() as connection:
            return [_record(row._mapping) for row in connection.execute(query)]

    def resolve_quarantined(self, partner: str, control_reference: str) -> int:
        """Mark earlier quarantined copies of an interchange as resolved; returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(_TABLE)
                .where(
                    _TABLE.c.partner == partner,
                    _TABLE.c.control_reference == control_reference,
                    _TABLE.c.status == "quarantined",
                )
                .values(status="resolved")
            )
            return int(result.rowcount or 0)

    def next_control_reference(self, partner: str) -> str:
        """A control reference for the next interchange sent to ``partner`` (1, 2, …)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(_TABLE.c.control_reference).where(
                    _TABLE.c.direction == "out", _TABLE.c.partner == partner
                )
            )
            used = [int(row[0]) for row in rows if str(row[0]).isdigit()]
        return str(max(used, default=0) + 1)


def _storable(text: str) -> str:
    """``text`` as both databases can keep it: PostgreSQL text holds no NUL character (it
    becomes U+FFFD) and no lone surrogate (it becomes ``?``); the digest keeps the
    original's identity."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")


def _record(row: Any) -> InterchangeRecord:
    return InterchangeRecord(
        id=row["id"],
        direction=row["direction"],
        partner=row["partner"],
        control_reference=row["control_reference"],
        message_types=row["message_types"],
        status=row["status"],
        file_name=row["file_name"],
        digest=row["digest"],
        at=row["at"],
        summary=json.loads(row["summary"]),
        report=row["report"],
        raw=row["raw"],
    )
