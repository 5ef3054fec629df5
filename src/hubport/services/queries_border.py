"""The read side of the hub's borders: customs records, the gate's appointments and its
truck visits.

Part of the one query module: ``Queries`` takes these questions on, so that entrypoints
still read through one object.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from hubport.adapters import tables
from hubport.adapters.appointment_store import AppointmentStore
from hubport.adapters.customs_store import CustomsStore
from hubport.adapters.event_log import read_events
from hubport.adapters.times import utc
from hubport.domain.container import ContainerNumber
from hubport.domain.customs import CustomsBook
from hubport.domain.events import ContainerArrived
from hubport.domain.gate import GateWindow
from hubport.domain.site import Site
from hubport.services.customs_handlers import hub_time_text
from hubport.services.customs_handlers import summary as customs_summary
from hubport.services.gate_handlers import summary as appointment_summary
from hubport.services.queries_console import hub_time


class BorderQueries:
    """Customs and gate questions; the store connection comes from ``_reading``."""

    site: Site

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    # -- customs ------------------------------------------------------------------------

    def customs_of(self, number: str) -> dict[str, Any]:
        """A box's customs record: its status, its declarations and its holds."""
        number = ContainerNumber(number).value
        with self._reading() as connection:
            store = CustomsStore(connection)
            book = CustomsBook(store.get, store.of_boxes, store.holds_on, store.hold)
            declarations = book.of_boxes([number])
            holds = book.holds_on(number)
            status = book.status_of(number)
        return {
            "box": number,
            "status": status,
            "declarations": [customs_summary(d) for d in declarations],
            "holds": [
                {
                    "hold": h.id,
                    "kind": h.kind,
                    "reason": h.reason,
                    "placed_at": hub_time_text(h.placed_at),
                    "lifted_at": hub_time_text(h.lifted_at),
                }
                for h in holds
            ],
        }

    def declaration(self, declaration_id: str) -> dict[str, Any] | None:
        with self._reading() as connection:
            found = CustomsStore(connection).get(declaration_id)
        return customs_summary(found) if found is not None else None

    def declarations(self, limit: int = 50, state: str | None = None) -> list[dict[str, Any]]:
        """The latest declarations (in one state, if given: a customs officer's queue),
        newest first."""
        with self._reading() as connection:
            found = CustomsStore(connection).recent(limit, state)
        return [customs_summary(d) for d in sorted(found, key=lambda d: d.lodged_at, reverse=True)]

    def arrival_transport(self, numbers: Iterable[str]) -> dict[str, str | None]:
        """The carrier that brought the first of ``numbers`` into the hub: its mode (rail,
        road, river) and visit."""
        first: ContainerArrived | None = None
        with self._reading() as connection:
            for number in numbers:
                for logged in read_events(connection, number):
                    event = logged.event
                    if isinstance(event, ContainerArrived) and (
                        first is None or event.at < first.at
                    ):
                        first = event
                        break
        if first is None:
            return {"mode": None, "visit": None}
        mode = {"wagon": "rail", "truck": "road", "vessel": "river"}.get(first.place.kind)
        return {"mode": mode, "visit": first.visit}

    # -- the gate -----------------------------------------------------------------------

    def appointment(self, appointment_id: str) -> dict[str, Any] | None:
        with self._reading() as connection:
            found = AppointmentStore(connection).get(appointment_id)
        return None if found is None else appointment_summary(found)

    def appointments(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """The appointments whose window starts in [start, end), in window order."""
        with self._reading() as connection:
            found = AppointmentStore(connection).listed(start, end)
        return [appointment_summary(a) for a in found]

    def no_shows(self, since: datetime, ended_before: datetime) -> list[tuple[str, datetime]]:
        """The appointments still booked whose window started from ``since`` and ended
        before ``ended_before`` (their truck did not come), with their window's end."""
        table = tables.appointments
        query = (
            select(table.c.id, table.c.window_end)
            .where(
                table.c.state == "booked",
                table.c.window_start >= utc(since),
                table.c.window_end < utc(ended_before),
            )
            .order_by(table.c.window_start, table.c.id)
        )
        with self._reading() as connection:
            return [(row.id, utc(row.window_end)) for row in connection.execute(query)]

    def gate_windows(self, start: datetime, end: datetime) -> list[GateWindow]:
        """The gate's windows from the one holding ``start`` to the last starting before
        ``end``, each with its booked trucks: where a haulier finds room."""
        rule = self.site.gate
        first, _end = rule.window_of(start)
        with self._reading() as connection:
            counts = AppointmentStore(connection).booked_counts(first, end)
        return rule.windows(start, end, counts)

    def truck_visits(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """The gate's transactions: road trucks that left in [start, end) and those on site
        now, with their appointment, times in and out, and what they collect."""
        table = tables.trucks
        query = (
            select(
                table.c.id,
                table.c.plate,
                table.c.appointment,
                table.c.state,
                table.c.arrived_at,
                table.c.departed_at,
                table.c.collects,
            )
            .where(
                table.c.shuttle.is_(False),
                ((table.c.departed_at >= start) & (table.c.departed_at < end))
                | (table.c.state == "on_site"),
            )
            .order_by(table.c.arrived_at, table.c.id)
        )
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            {
                **dict(row),
                "arrived_at": hub_time_text(hub_time(row["arrived_at"])),
                "departed_at": hub_time_text(hub_time(row["departed_at"])),
                "collects": json.loads(row["collects"]),
            }
            for row in rows
        ]


__all__ = ["BorderQueries"]
