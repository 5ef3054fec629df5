"""A haulier books its truck: into the first gate window with room from when the truck
wants to come, as the gate's booking screen shows them (``HubClient.gate_windows``); a
window someone else filled meanwhile: the next. A truck that cannot make its window (its
box not in the yard yet) moves its appointment the same way, or books a new one when the
hub cancelled it as a no-show meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.domain.gate import GateWindow
from hubport.twin.client import HubClient, PlatformRefused
from hubport.twin.traffic import TruckCall

#: A haulier books the first window with room within this much of when it wants to come.
BOOKING_HORIZON = timedelta(hours=24)


@dataclass(frozen=True)
class Booking:
    """A truck's appointment: its id and its window."""

    appointment: str
    window: GateWindow


def book_truck(
    client: HubClient, call: TruckCall, at: datetime, appointment: str | None = None
) -> Booking | None:
    """Book ``call``'s truck from ``at`` on (as ``appointment``, default the truck's
    visit): None when no window within the horizon has room."""
    kind = "deliver" if call.delivers is not None else "collect"
    number = call.delivers.number.value if call.delivers else call.collects or ""
    chosen = appointment or call.truck.id

    def book(moment: datetime) -> None:
        client.book(chosen, call.truck.plate, kind, number, moment)

    window = _first_with_room(client, at, book)
    return None if window is None else Booking(chosen, window)


def move_truck(
    client: HubClient, call: TruckCall, at: datetime, booking: Booking
) -> Booking | None:
    """Move ``booking`` to the first window with room from ``at`` on; a booking the hub
    cancelled meanwhile (a no-show): a new appointment."""

    def move(moment: datetime) -> None:
        client.move_appointment(booking.appointment, moment)

    try:
        window = _first_with_room(client, at, move)
    except PlatformRefused as error:
        if "cancelled" not in str(error):
            raise
        retry = booking.appointment.rpartition(".")
        count = int(retry[2]) + 1 if retry[0] and retry[2].isdigit() else 2
        base = retry[0] if retry[0] and retry[2].isdigit() else booking.appointment
        return book_truck(client, call, at, f"{base}.{count}")
    return None if window is None else Booking(booking.appointment, window)


def _first_with_room(
    client: HubClient, at: datetime, take: Callable[[datetime], None]
) -> GateWindow | None:
    for window in client.gate_windows(at, at + BOOKING_HORIZON):
        if not window.free:
            continue
        try:
            take(max(at, window.start))
            return window
        except PlatformRefused as error:
            if "booked already" in str(error):
                return window
            if error.code != "gate_refused" or "is full" not in str(error):
                raise
    return None


__all__ = ["BOOKING_HORIZON", "Booking", "book_truck", "move_truck"]
