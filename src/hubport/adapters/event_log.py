"""Reading the append-only event log back, in the order events were applied."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from hubport.adapters import tables
from hubport.domain import (  # noqa: F401  (their events join the registry)
    crane_jobs,
    customs,
    gate,
    rail_orders,
)
from hubport.domain.events import Event


@dataclass(frozen=True)
class LoggedEvent:
    """One row of the event log: the event and what caused it."""

    id: int
    event: Event
    command: str
    idempotency_key: str | None
    recorded_at: datetime


def read_events(
    connection: Connection,
    container: str | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    stream: bool = False,
    after: int | None = None,
    limit: int | None = None,
) -> Iterator[LoggedEvent]:
    """The logged events, oldest first: one box's when ``container`` is given, those that
    occurred in [since, until) when given, the first ``limit`` after the event ``after``
    when given; ``stream`` fetches in batches (a server-side
    cursor on PostgreSQL), so that memory does not grow with the log."""
    table = tables.events
    query = select(table).order_by(table.c.id)
    if container is not None:
        query = query.where(table.c.container_number == container)
    if since is not None:
        query = query.where(table.c.occurred_at >= since)
    if until is not None:
        query = query.where(table.c.occurred_at < until)
    if after is not None:
        query = query.where(table.c.id > after)
    if limit is not None:
        query = query.limit(limit)
    if stream:
        query = query.execution_options(yield_per=2000)
    for row in connection.execute(query).mappings():
        yield LoggedEvent(
            id=row["id"],
            event=Event.from_payload(row["event_type"], json.loads(row["payload"])),
            command=row["command"],
            idempotency_key=row["idempotency_key"],
            recorded_at=row["recorded_at"],
        )


def append_events(
    connection: Connection,
    events: Sequence[Event],
    command: str,
    command_id: str,
    idempotency_key: str | None,
    recorded_at: datetime,
    author: tuple[str, str, str] | None = None,
) -> None:
    """Append ``events`` to the log, in order, as caused by one command of ``author``
    (account, role, channel)."""
    account, role, channel = author if author is not None else (None, None, None)
    if not events:
        return
    connection.execute(
        insert(tables.events),
        [
            {
                "occurred_at": event.at,
                "event_type": type(event).__name__,
                "container_number": event.container_number,
                "payload": json.dumps(event.to_payload(), sort_keys=True),
                "command": command,
                "command_id": command_id,
                "idempotency_key": idempotency_key,
                "recorded_at": recorded_at,
                "author": account,
                "author_role": role,
                "channel": channel,
            }
            for event in events
        ],
    )
