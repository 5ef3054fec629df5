"""A haulier books its truck: into the first gate window with room from when the truck
wants to come, as the gate's booking screen shows them (``HubClient.gate_windows``); a
window someone else filled meanwhile: the next."""

from __future__ import annotations

from datetime import datetime, timedelta

from hubport.twin.client import HubClient, PlatformRefused
from hubport.twin.traffic import TruckCall

#: A haulier books the first window with room within this much of when it wants to come.
BOOKING_HORIZON = timedelta(hours=24)


def book_truck(client: HubClient, call: TruckCall, at: datetime) -> bool:
    """Book ``call``'s truck from ``at`` on; False when no window within the horizon has
    room (booked before: True)."""
    kind = "deliver" if call.delivers is not None else "collect"
    number = call.delivers.number.value if call.delivers else call.collects or ""
    for window in client.gate_windows(at, at + BOOKING_HORIZON):
        if not window.free:
            continue
        try:
            client.book(call.truck.id, call.truck.plate, kind, number, max(at, window.start))
            return True
        except PlatformRefused as error:
            if "booked already" in str(error):
                return True
            if error.code != "gate_refused" or "is full" not in str(error):
                raise
    return False


__all__ = ["BOOKING_HORIZON", "book_truck"]
