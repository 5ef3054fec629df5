"""The inventory's vessel calls and shuttle trucks (a part of ``Inventory``).

Operations validate first, then record events, like the rest of the inventory; ``apply``
here is the part of the replay that concerns vessel calls and shuttles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import InvalidOperation, VisitError
from hubport.domain.events import (
    BayPlanRecorded,
    ContainerDeparted,
    Event,
    LoadListRecorded,
    ShuttleLeft,
    ShuttleReached,
    VesselBerthed,
    VesselCallRegistered,
    VesselDeparted,
)
from hubport.domain.places import Place, VesselCell, parse_place
from hubport.domain.records import (
    ContainerState,
    InventorySource,
    Record,
    TruckRecord,
    VesselRecord,
)
from hubport.domain.river import ENDS, Location, VesselCall, check_call

if TYPE_CHECKING:
    from hubport.domain.site import Site


class RiverOperations:
    """Vessel calls at the river port's berths, and shuttles on the road to the station."""

    if TYPE_CHECKING:
        site: Site
        source: InventorySource | None
        vessels: dict[str, VesselRecord]

        def _record(self, *events: Event) -> None: ...
        def _place(self, number: str) -> Place: ...
        def _check_may_leave(self, boxes: Iterable[str]) -> None: ...
        def boxes_on(self, carrier: str) -> list[str]: ...
        def find(self, number: ContainerNumber | str) -> Record | None: ...
        def truck(self, visit_id: str) -> TruckRecord: ...

    def find_vessel(self, call_id: str) -> VesselRecord | None:
        record = self.vessels.get(call_id)
        if record is None and self.source is not None:
            record = self.source.vessel(call_id)
            if record is not None:
                self.vessels[call_id] = record
        return record

    def vessel(self, call_id: str) -> VesselRecord:
        record = self.find_vessel(call_id)
        if record is None:
            raise VisitError(f"no vessel call {call_id!r} is known")
        return record

    def vessel_of_voyage(self, voyage: str) -> VesselRecord | None:
        """The call not departed yet that runs ``voyage``, or None."""
        for record in self.vessels.values():
            if record.call.voyage == voyage and record.state != "departed":
                return record
        if self.source is None:
            return None
        found = self.source.vessel_of_voyage(voyage)
        if found is None:
            return None
        return self.vessels.setdefault(found.call.id, found)

    def boxes_on_vessel(self, call_id: str) -> list[str]:
        return self.boxes_on(f"vessel:{call_id}")

    def calls_at_berth(self, berth: str) -> list[VesselRecord]:
        """The calls planned or alongside at ``berth`` (departed ones are done)."""
        if self.source is not None:
            for record in self.source.vessel_calls_at(berth):
                self.vessels.setdefault(record.call.id, record)
        return [
            record
            for record in self.vessels.values()
            if record.call.berth == berth and record.state != "departed"
        ]

    def register_vessel(self, call: VesselCall, at: datetime) -> None:
        """Plan a call in its berth window (refused when the berth cannot take it)."""
        if self.find_vessel(call.id) is not None:
            raise VisitError(f"vessel call {call.id!r} is already registered")
        others = [record.call for record in self.calls_at_berth(call.berth)]
        check_call(call, self.site.river_port, others)
        self._record(VesselCallRegistered(at, call))

    def record_bay_plan(
        self, call_id: str, cells: Sequence[tuple[str, VesselCell]], source: str, at: datetime
    ) -> None:
        """The boxes the call brings for the hub and their cells (before it berths)."""
        record = self.vessel(call_id)
        if record.state != "expected":
            raise VisitError(f"vessel call {call_id} is {record.state}: its bay plan is set")
        taken: dict[str, str] = {}
        for number, cell in cells:
            if cell.call != call_id:
                raise InvalidOperation(number, f"{cell} is not a cell of call {call_id}")
            box = self.find(number)
            if box is None or box.state is not ContainerState.ANNOUNCED:
                raise InvalidOperation(number, "is not announced: it cannot be in the bay plan")
            cell.check_fits(box.container.size_type)
            for position in cell.positions():
                if position in taken:
                    raise InvalidOperation(number, f"{cell} is also given to {taken[position]}")
                taken[position] = number
        plan = tuple((number, str(cell)) for number, cell in cells)
        self._record(BayPlanRecorded(at, call_id, plan, source))

    def record_load_list(self, call_id: str, numbers: Sequence[str], at: datetime) -> None:
        record = self.vessel(call_id)
        if record.state == "departed":
            raise VisitError(f"vessel call {call_id} has departed")
        if len(set(numbers)) != len(numbers):
            raise VisitError(f"vessel call {call_id}: a box is twice on the load list")
        self._record(LoadListRecorded(at, call_id, tuple(numbers)))

    def vessel_berths(self, call_id: str, at: datetime) -> None:
        """The vessel comes alongside its berth (which no other vessel may hold)."""
        record = self.vessel(call_id)
        if record.state != "expected":
            raise VisitError(f"vessel call {call_id} cannot berth: it is {record.state}")
        berth = record.call.berth
        for other in self.calls_at_berth(berth):
            if other.state == "on_site":
                raise VisitError(f"berth {berth} is taken by vessel call {other.call.id}")
        self._record(VesselBerthed(at, call_id, berth))

    def vessel_departs(self, call_id: str, at: datetime) -> None:
        """The vessel leaves with every box aboard."""
        record = self.vessel(call_id)
        if record.state != "on_site":
            raise VisitError(f"vessel call {call_id} cannot depart: it is {record.state}")
        boxes = self.boxes_on_vessel(call_id)
        self._check_may_leave(boxes)
        events: list[Event] = [
            ContainerDeparted(at, ContainerNumber(box), self._place(box), call_id) for box in boxes
        ]
        self._record(*events, VesselDeparted(at, call_id))

    def shuttle_leaves(self, visit_id: str, at: datetime) -> str:
        """A shuttle drives off for the other end of the road; the end it is bound for."""
        record = self.truck(visit_id)
        if not record.truck.shuttle:
            raise VisitError(f"truck visit {visit_id} is not a shuttle")
        if record.state != "on_site" or record.location not in ENDS:
            raise VisitError(f"shuttle {visit_id} cannot leave: it is {record.location}")
        origin = record.location
        destination = "station" if origin == "river_port" else "river_port"
        self._record(ShuttleLeft(at, visit_id, origin, destination))
        return destination

    def shuttle_reaches(self, visit_id: str, at: datetime) -> str:
        record = self.truck(visit_id)
        if record.location != "road" or record.bound_for is None:
            raise VisitError(f"shuttle {visit_id} is not on the road: it is at {record.location}")
        location = record.bound_for
        self._record(ShuttleReached(at, visit_id, location))
        return location

    def apply_river(self, event: Event) -> bool:
        """Apply a vessel or shuttle event; False for events of other kinds."""
        if isinstance(event, VesselCallRegistered):
            self.vessels[event.call.id] = VesselRecord(event.call)
        elif isinstance(event, VesselBerthed):
            self.vessels[event.call].state = "on_site"
        elif isinstance(event, VesselDeparted):
            self.vessels[event.call].state = "departed"
        elif isinstance(event, BayPlanRecorded):
            cells = {number: parse_place(cell) for number, cell in event.cells}
            self.vessels[event.call].bay_plan = {
                number: cell for number, cell in cells.items() if isinstance(cell, VesselCell)
            }
        elif isinstance(event, LoadListRecorded):
            self.vessels[event.call].load_list = event.numbers
        elif isinstance(event, ShuttleLeft):
            record = self.truck(event.visit)
            record.location, record.bound_for = "road", _end(event.destination)
        elif isinstance(event, ShuttleReached):
            record = self.truck(event.visit)
            record.location, record.bound_for = _end(event.location), None
        else:
            return False
        return True


def _end(text: str) -> Location:
    for end in ENDS:
        if end == text:
            return end
    raise VisitError(f"{text!r} is not an end of the shuttle road ({', '.join(ENDS)})")


__all__ = ["RiverOperations"]
