"""The runtime's river duty: a barge alongside at the river port is worked by the hub's
shuttle trucks, the station's cranes and the port's crane.

For each call alongside, with at most ``FLEET`` trips on the road for it each way:

- for the boxes of its bay plan still aboard, shuttles are sent to the quay (the port's
  crane puts a box on each; the shuttle drives it to the station, where the cranes
  stack it);
- a box of its load list that stands in the yard, released by customs, gets a shuttle at
  the station and the crane job that puts it on (the shuttle drives it to the port,
  where the port's crane loads it).

And for every shuttle: loaded where it started, it drives to the other end; emptied at
the other end, its trip is over. Arrivals and the port crane's moves are reported by
those who make them (the drivers, the port), through the API. Every command's key is
made from the box or the shuttle, so a runtime started again does nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hubport.domain.container import ContainerNumber
from hubport.domain.places import Spot
from hubport.domain.records import ShuttleTrip
from hubport.domain.river import Location
from hubport.services import river_commands as river
from hubport.services.commands import Command
from hubport.services.queries import Queries

#: Shuttle trips on the road for one call, each way (assumed: the hub's shuttle fleet
#: for a barge).
FLEET = 4
#: The shuttles' visit ids: to the barge (from the station), from the barge.
TO_BARGE, FROM_BARGE = "SR", "SB"


class RiverDuty:
    """Works the calls alongside; ``issue`` and ``applied`` are the runtime's."""

    def __init__(
        self,
        queries: Queries,
        issue: Callable[[Command], bool],
        applied: Callable[[str], bool],
    ):
        self.queries, self.issue, self.applied = queries, issue, applied
        #: Shuttle trips started to the quay, per call.
        self.trips: dict[str, int] = {}

    def run(self, now: datetime) -> None:
        trips = self.queries.shuttle_trips()
        for trip in trips:
            self._drive_or_end(trip)
        on_road = {trip.visit for trip in trips}
        for record, aboard in self.queries.berthed_calls():
            call = record.call.id
            planned = set(record.bay_plan)
            bringing = [box for box in aboard if box in planned]
            self._fetch(call, bringing, trips)
            taking = [box for box in record.load_list if box not in aboard]
            self._send(call, taking, on_road)

    def _drive_or_end(self, trip: ShuttleTrip) -> None:
        if trip.loaded_at_start:
            key = f"runtime:shuttle-drive:{trip.visit}"
            if not self.applied(key):
                self.issue(river.DriveShuttle(trip.visit, idempotency_key=key))
        elif trip.emptied_at_end:
            key = f"runtime:shuttle-end:{trip.visit}"
            if not self.applied(key):
                self.issue(river.EndShuttle(trip.visit, idempotency_key=key))

    def _fetch(self, call: str, boxes: list[str], trips: list[ShuttleTrip]) -> None:
        """Shuttles to the quay, one for each box still to come off, as the fleet allows.
        The port's crane puts on each the box it lifts next, so a shuttle is sent for the
        call, not for a box: the call's n-th trip is ``SB`` + call + n."""
        prefix = f"{FROM_BARGE}{call}-"
        mine = [trip for trip in trips if trip.visit.startswith(prefix)]
        waiting = sum(not trip.boxes and trip.location == "river_port" for trip in mine)
        if call not in self.trips:  # once per call: the store's record of trips started
            self.trips[call] = len(self.queries.applied_keys(f"runtime:shuttle:{call}:{prefix}"))
        while waiting < len(boxes) and len(mine) < FLEET:
            visit = f"{prefix}{self.trips[call] + 1:03d}"
            if not self._start(visit, "river_port", f"runtime:shuttle:{call}:{visit}"):
                return
            self.trips[call] += 1
            waiting += 1
            mine.append(ShuttleTrip(visit, "river_port", "river_port", None))

    def _send(self, call: str, boxes: list[str], on_road: set[str]) -> None:
        """A shuttle at the station and the crane job that puts a box on it, for each box
        of the load list in the yard that may leave, as the fleet allows."""
        busy = sum(visit.startswith(f"{TO_BARGE}") for visit in on_road)
        for number in boxes:
            if busy >= FLEET:
                return
            visit = f"{TO_BARGE}{number}"
            key = f"runtime:to-river:{call}:{number}"
            if visit in on_road or self.applied(key):
                continue
            record = self.queries.ready_to_leave(number)
            if record is None:
                continue
            if not self._start(visit, "station", f"runtime:shuttle:{call}:{visit}"):
                continue
            spot: Spot = "AB" if record.container.size_type.is_forty else "A"
            if self.issue(
                river.SendToRiverPort(ContainerNumber(number), visit, spot, idempotency_key=key)
            ):
                busy += 1

    def _start(self, visit: str, at: str, key: str) -> bool:
        if self.applied(key):
            return True
        where: Location = "river_port" if at == "river_port" else "station"
        return self.issue(river.StartShuttle(visit, visit, where, idempotency_key=key))


__all__ = ["FLEET", "FROM_BARGE", "TO_BARGE", "RiverDuty"]
