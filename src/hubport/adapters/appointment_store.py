"""Truck appointments in the store: by id, by window, by plate; written under version."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from hubport.adapters import tables
from hubport.adapters.times import utc
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.gate import Appointment, AppointmentState

_TABLE = tables.appointments


def _appointment(row: Any) -> Appointment:
    return Appointment(
        id=row.id,
        plate=row.plate,
        kind=row.kind,
        number=row.container_number,
        window_start=utc(row.window_start),
        window_end=utc(row.window_end),
        state=AppointmentState(row.state),
        changes=row.changes,
        version=row.version,
    )


class AppointmentStore:
    def __init__(self, connection: Connection):
        self.connection = connection

    def get(self, appointment_id: str) -> Appointment | None:
        row = self.connection.execute(select(_TABLE).where(_TABLE.c.id == appointment_id)).first()
        return None if row is None else _appointment(row)

    def in_window(self, start: datetime, end: datetime) -> list[Appointment]:
        query = select(_TABLE).where(
            _TABLE.c.window_start >= utc(start), _TABLE.c.window_start < utc(end)
        )
        return [_appointment(row) for row in self.connection.execute(query)]

    def booked_counts(self, start: datetime, end: datetime) -> dict[datetime, int]:
        """Booked appointments by window start, for the windows starting in [start, end):
        one grouped query, however many windows."""
        query = (
            select(_TABLE.c.window_start, func.count())
            .where(
                _TABLE.c.window_start >= utc(start),
                _TABLE.c.window_start < utc(end),
                _TABLE.c.state == AppointmentState.BOOKED.value,
            )
            .group_by(_TABLE.c.window_start)
        )
        return {utc(row[0]): int(row[1]) for row in self.connection.execute(query)}

    def of_plate(self, plate: str) -> list[Appointment]:
        query = select(_TABLE).where(_TABLE.c.plate == plate)
        return [_appointment(row) for row in self.connection.execute(query)]

    def of_box(self, number: str) -> list[Appointment]:
        query = select(_TABLE).where(_TABLE.c.container_number == number)
        return [_appointment(row) for row in self.connection.execute(query)]

    def listed(self, start: datetime, end: datetime) -> list[Appointment]:
        return sorted(self.in_window(start, end), key=lambda a: (a.window_start, a.id))

    def save(self, appointments: Iterable[tuple[Appointment, int | None]]) -> None:
        for appointment, expected in appointments:
            values = {
                "plate": appointment.plate,
                "kind": appointment.kind,
                "container_number": appointment.number,
                "window_start": utc(appointment.window_start),
                "window_end": utc(appointment.window_end),
                "state": appointment.state.value,
                "changes": appointment.changes,
                "version": appointment.version,
            }
            if expected is None:
                self.connection.execute(insert(_TABLE).values(id=appointment.id, **values))
                continue
            done = self.connection.execute(
                update(_TABLE)
                .where(_TABLE.c.id == appointment.id, _TABLE.c.version == expected)
                .values(**values)
            )
            if done.rowcount != 1:
                raise ConcurrentUpdate(f"appointment {appointment.id} changed since it was read")


__all__ = ["AppointmentStore"]
