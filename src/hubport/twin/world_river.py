"""The river side of the world: the day's barge at Luohuang, the port's crane and the
drivers of the hub's shuttle trucks, through the platform's public interfaces only.

- The barge's line registers the call with its load list in the morning and sends its
  bay plan (BAPLIE) of the boxes it brings; the port berths it at its window.
- The port's crane makes one move every ``PORT_CRANE``: a box off a shuttle that brought
  it from the station into the next free deck cell, else a box of the bay plan off the
  barge onto a shuttle the runtime sent to the quay, those that leave the hub first first.
- A driver reports the shuttle at the other end ``DRIVE`` after it left.
- The barge leaves at the end of its window once its bay plan is off and no box for it
  is on the road (or when every box of its load list is aboard, not before its window
  ends).

The runtime decides the rest: which boxes go, on which shuttle, and the station's cranes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from hubport.domain.container import Container, ContainerNumber
from hubport.domain.places import VesselCell
from hubport.domain.records import ShuttleTrip
from hubport.twin.client import HubClient, PlatformRefused
from hubport.twin.partners import bay_plan
from hubport.twin.traffic_river import BargeCall

#: The port's crane, a box between a shuttle and its cell (assumed).
PORT_CRANE = timedelta(minutes=3)
#: A shuttle's trip along the road between the port and the station (the site file's
#: ``river_port.shuttle_minutes``).
DRIVE = timedelta(minutes=25)
#: How often the drivers and the port look again.
LOOK = timedelta(minutes=1)

Step = Callable[[datetime], datetime | None]


def deck_cells(call_id: str, forty: bool) -> Iterator[VesselCell]:
    """Deck cells (tiers 82, 84) for the boxes the barge takes, in loading order: 20'
    boxes in odd bays 01-15, 40' in even bays 18-38, four rows."""
    for tier in (82, 84):
        for bay in range(18, 39, 4) if forty else range(1, 16, 2):
            for row in (1, 2, 3, 4):
                yield VesselCell(call_id, bay, row, tier)


class RiverPort:
    """The port, its crane and the shuttles' drivers, for the world's barges."""

    def __init__(self, client: HubClient, port: str = "CNLOH", hub_id: str = "HUBPORT"):
        self.client, self.port, self.hub_id = client, port, hub_id
        #: When each shuttle on the road was first seen leaving, and on its trip.
        self.left_at: dict[str, datetime] = {}
        self.seen_at: dict[str, datetime] = {}
        #: Each trip seen through, from its start to its end: (start, seconds).
        self.trips: list[tuple[datetime, float]] = []
        self.calls_done: list[str] = []

    def morning(self, barge: BargeCall, now: datetime) -> None:
        """The line registers the call with its load list and sends its bay plan."""
        takes = tuple(ContainerNumber(box.number) for box in barge.takes)
        try:
            self.client.register_call(barge.call, takes)
        except PlatformRefused as error:
            if error.code != "call_conflict":
                raise
        self.client.send_edi(bay_plan(barge, self.port, self.hub_id, now))

    def call(self, barge: BargeCall) -> Step:
        """The barge: alongside at its window, worked by the port's crane, away when done."""
        call = barge.call
        forty = {box.number: box.forty for box in barge.takes}
        planned = {box.number for box, _cell in barge.brings}
        # the port works the bay plan in the order the boxes leave the hub: those for the
        # earliest trains first, so that they make them
        leaves = {box.number: _leaves(box.container) for box, _cell in barge.brings}
        taking = set(forty)
        cells = {size: deck_cells(call.id, size) for size in (False, True)}
        state = {"berthed": False}

        def step(now: datetime) -> datetime | None:
            if not state["berthed"]:
                self.client.berth(call.id)
                state["berthed"] = True
                return now
            aboard = set(self.client.vessel_aboard(call.id))
            trips = self.client.shuttles()
            for trip in trips:
                here = trip.location == "river_port" and trip.starts_at == "station"
                for number in trip.boxes if here else ():
                    if number in taking and number not in aboard:
                        size = forty.get(number, False)
                        self.client.load_into_vessel(call.id, number, next(cells[size]))
                        return now + PORT_CRANE
            bringing = sorted(aboard & planned, key=lambda n: (leaves[n], n))
            waiting = [
                trip
                for trip in trips
                if trip.starts_at == "river_port" and trip.location == "river_port"
                and not trip.boxes
            ]  # fmt: skip
            if bringing and waiting:
                self.client.discharge_from_vessel(call.id, bringing[0], waiting[0].visit)
                return now + PORT_CRANE
            on_the_way = any(_carries(trip, taking) for trip in trips)
            if not bringing and not on_the_way and now >= call.etd:
                self.client.unberth(call.id)
                self.calls_done.append(call.id)
                return None
            return now + LOOK

        return step

    def drivers(self, until: Callable[[], bool]) -> Step:
        """The shuttles' drivers: each reports its shuttle at the other end ``DRIVE`` after
        it left; they stop when ``until`` says there is no more river work."""

        def step(now: datetime) -> datetime | None:
            trips = self.client.shuttles()
            for visit in set(self.seen_at) - {trip.visit for trip in trips}:
                began = self.seen_at.pop(visit)
                self.trips.append((began, (now - began).total_seconds()))
            for trip in trips:
                self.seen_at.setdefault(trip.visit, now)
                if not trip.on_road:
                    self.left_at.pop(trip.visit, None)
                    continue
                left = self.left_at.setdefault(trip.visit, now)
                if now - left >= DRIVE:
                    self.client.shuttle_arrives(trip.visit)
                    self.left_at.pop(trip.visit, None)
            if not trips and until():
                return None
            return now + LOOK

        return step


def _leaves(container: Container | None) -> float:
    """When a box leaves the hub, as its onward leg says (unknown: last)."""
    leg = container.next_leg if container is not None else None
    return leg.due.timestamp() if leg is not None and leg.due is not None else float("inf")


def _carries(trip: ShuttleTrip, boxes: set[str]) -> bool:
    return any(number in boxes for number in trip.boxes)


__all__ = ["DRIVE", "PORT_CRANE", "RiverPort", "deck_cells"]
