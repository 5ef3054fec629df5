"""The read side of the API's callers: who a token belongs to, the boxes a caller may see
(a shipper only its own: those whose operator is its party), and the event log to stream.

Part of the one query module: ``Queries`` takes these questions on.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from hubport.adapters import tables
from hubport.adapters.edi.store import EdiRecord, InterchangeRecord
from hubport.adapters.user_store import UserStore
from hubport.domain.access import User, token_digest

#: The most boxes one search answers.
SEARCH_LIMIT = 200


def event_columns() -> tuple[Any, ...]:
    """The columns of a logged event as callers read it."""
    table = tables.events
    return (
        table.c.id,
        table.c.occurred_at,
        table.c.event_type,
        table.c.container_number,
        table.c.payload,
    )


class AccessQueries:
    """Callers and what they see; the store connection comes from ``_reading``."""

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def user_of_token(self, token: str) -> User | None:
        """The user a bearer token was given to, while it is open (not expired nor
        revoked: a matter of the wall clock, not the hub's), or None."""
        with self._reading() as connection:
            user = UserStore(connection).by_token(token_digest(token))
        return user if user is not None and user.token_open(datetime.now(UTC)) else None

    def user(self, name: str) -> User | None:
        with self._reading() as connection:
            return UserStore(connection).get(name)

    def containers(
        self,
        prefix: str = "",
        state: str | None = None,
        party: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Boxes by number prefix and state, at most ``limit`` (of SEARCH_LIMIT), by number;
        with ``party``, only the boxes whose operator it is."""
        table = tables.containers
        query = select(
            table.c.number,
            table.c.size_type,
            table.c.state,
            table.c.place,
            table.c.operator,
            table.c.customs_status,
        )
        if prefix:
            query = query.where(table.c.number.startswith(prefix.upper(), autoescape=True))
        if state is not None:
            query = query.where(table.c.state == state)
        if party is not None:
            query = query.where(table.c.operator == party)
        query = query.order_by(table.c.number).limit(max(1, min(limit, SEARCH_LIMIT)))
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [dict(row) for row in rows]

    def events_after(self, after: int, limit: int = 500) -> list[dict[str, Any]]:
        """The logged events after id ``after``, oldest first (at most ``limit``)."""
        table = tables.events
        query = select(*event_columns()).where(table.c.id > after).order_by(table.c.id).limit(limit)
        with self._reading() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    def operators_of(self, numbers: Collection[str]) -> dict[str, str]:
        """Each known box's operator (a stream's filter for a shipper)."""
        table = tables.containers
        wanted = sorted(set(numbers))
        found: dict[str, str] = {}
        with self._reading() as connection:
            for start in range(0, len(wanted), 500):
                rows = connection.execute(
                    select(table.c.number, table.c.operator).where(
                        table.c.number.in_(wanted[start : start + 500])
                    )
                )
                found.update({number: operator for number, operator in rows})
        return found

    def interchanges(
        self, direction: str | None = None, status: str | None = None, limit: int = 50
    ) -> list[InterchangeRecord]:
        """The EDI record, newest first: interchanges received or sent."""
        return EdiRecord(self._engine()).list(direction=direction, status=status, limit=limit)

    def interchange(self, record_id: int) -> InterchangeRecord:
        return EdiRecord(self._engine()).get(record_id)

    def _engine(self) -> Engine:
        raise NotImplementedError


__all__ = ["SEARCH_LIMIT", "AccessQueries", "event_columns"]
