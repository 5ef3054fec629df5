"""What the runtime asks of the store to know what to react to, and what people ask of
the runtime (its lease and heartbeat). Each answer reads only the carriers on site and
the orders about them, never the whole yard."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from hubport.adapters import tables
from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.domain.container import ContainerNumber
from hubport.domain.events import wagon_slot
from hubport.domain.lease import Lease
from hubport.domain.places import WagonSlot


@dataclass(frozen=True)
class DischargeOrder:
    """A recorded discharge order: its event's id, and its lines (empty: every box)."""

    id: int
    train: str
    lines: tuple[tuple[ContainerNumber, WagonSlot], ...]


class RuntimeQueries:
    """Mixed into ``Queries``."""

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _engine(self) -> Engine:
        raise NotImplementedError

    def runtime_lease(self, site: str) -> Lease | None:
        """The runtime lease of ``site``: who leads, and its last heartbeat."""
        return SqlLeaseStore(self._engine(), site).read()

    def discharge_orders(
        self, train_ids: Iterable[str], since: datetime | None = None
    ) -> list[DischargeOrder]:
        """The discharge orders recorded for these trains (since ``since``), oldest first."""
        wanted = set(train_ids)
        if not wanted:
            return []
        table = tables.events
        query = (
            select(table.c.id, table.c.payload)
            .where(table.c.event_type == "DischargeOrdered")
            .order_by(table.c.id)
        )
        if since is not None:
            query = query.where(table.c.occurred_at >= since)
        found = []
        with self._reading() as connection:
            for event_id, payload in connection.execute(query):
                data = json.loads(payload)
                if data["train"] not in wanted:
                    continue
                lines = tuple(
                    (ContainerNumber(number), wagon_slot(place)) for number, place in data["lines"]
                )
                found.append(DischargeOrder(event_id, data["train"], lines))
        return found

    def boxes_on_wagons(self, train_id: str) -> dict[str, WagonSlot]:
        """Each box on the train's wagons and its slot."""
        table = tables.containers
        query = select(table.c.number, table.c.place).where(
            table.c.state == "in_hub", table.c.carrier == f"wagon:{train_id}"
        )
        with self._reading() as connection:
            return {number: wagon_slot(place) for number, place in connection.execute(query)}

    def stored_result(self, idempotency_key: str) -> dict[str, Any] | None:
        """The result a command applied under this key answered, or None if none was."""
        column = tables.inbox.c
        with self._reading() as connection:
            row = connection.execute(
                select(column.result).where(column.idempotency_key == idempotency_key)
            ).first()
        return None if row is None else dict(json.loads(row[0]))

    def open_job_boxes(self, numbers: Iterable[str]) -> set[str]:
        """Those of ``numbers`` that have an open crane job."""
        wanted = list(numbers)
        if not wanted:
            return set()
        table = tables.crane_jobs
        query = select(table.c.container_number).where(
            table.c.container_number.in_(wanted),
            table.c.state.not_in(("done", "cancelled")),
        )
        with self._reading() as connection:
            return set(connection.execute(query).scalars())

    def departed_since(self, moment: datetime) -> list[str]:
        """The trains that left since ``moment`` (indexed by departure)."""
        table = tables.trains
        query = (
            select(table.c.id)
            .where(table.c.departed_at >= moment)
            .order_by(table.c.departed_at, table.c.id)
        )
        with self._reading() as connection:
            return list(connection.execute(query).scalars())

    def open_jobs_by_state(self) -> dict[str, int]:
        """How many crane jobs are open, by state."""
        table = tables.crane_jobs
        query = (
            select(table.c.state, func.count())
            .where(table.c.state.not_in(("done", "cancelled")))
            .group_by(table.c.state)
        )
        with self._reading() as connection:
            return {state: count for state, count in connection.execute(query)}

    def edi_counts(self) -> dict[tuple[str, str], int]:
        """Interchanges received and sent, by direction and status."""
        table = tables.edi_interchanges
        query = select(table.c.direction, table.c.status, func.count()).group_by(
            table.c.direction, table.c.status
        )
        with self._reading() as connection:
            return {(d, s): n for d, s, n in connection.execute(query)}


__all__ = ["DischargeOrder", "RuntimeQueries"]
