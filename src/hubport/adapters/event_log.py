"""Reading the append-only event log back, in the order events were applied."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from hubport.adapters import tables
from hubport.domain.events import Event


@dataclass(frozen=True)
class LoggedEvent:
    """One row of the event log: the event and what caused it."""

    id: int
    event: Event
    command: str
    idempotency_key: str | None
    recorded_at: datetime


def read_events(connection: Connection, container: str | None = None) -> Iterator[LoggedEvent]:
    """The logged events, oldest first; only one box's when ``container`` is given."""
    table = tables.events
    query = select(table).order_by(table.c.id)
    if container is not None:
        query = query.where(table.c.container_number == container)
    for row in connection.execute(query).mappings():
        yield LoggedEvent(
            id=row["id"],
            event=Event.from_payload(row["event_type"], json.loads(row["payload"])),
            command=row["command"],
            idempotency_key=row["idempotency_key"],
            recorded_at=row["recorded_at"],
        )
