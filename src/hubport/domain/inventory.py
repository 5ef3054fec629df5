"""The inventory: every box the hub knows, in exactly one place, by the stacking rules.

Each operation validates everything first, then records events and applies them; an
operation that raises has changed nothing. Replaying the recorded events on an empty
inventory rebuilds the same state, which is how ``hubport check`` audits the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import datetime

from hubport.domain import invariants, stacking_rules
from hubport.domain.container import Container, ContainerNumber, CustomsStatus
from hubport.domain.errors import (
    ContainerNotFound,
    HubportError,
    InvalidOperation,
    InvalidPlace,
    PlaceOccupied,
    VisitError,
)
from hubport.domain.events import (
    ContainerAnnounced,
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    ContainerUpdated,
    CustomsStatusChanged,
    Event,
    TrainArrived,
    TrainDeparted,
    TrainRegistered,
    TruckArrived,
    TruckDeparted,
)
from hubport.domain.places import Place, Spreader, TruckSlot, VesselCell, WagonSlot, YardSlot
from hubport.domain.records import ContainerState, Record, TrainRecord, TruckRecord
from hubport.domain.site import Site
from hubport.domain.visits import TrainVisit, TruckVisit

_LEAVING_KINDS = ("wagon", "truck", "vessel")


class Inventory:
    """The hub's boxes and carriers, and the rules that keep them consistent."""

    def __init__(self, site: Site):
        self.site = site
        self.records: dict[str, Record] = {}
        self.trains: dict[str, TrainRecord] = {}
        self.trucks: dict[str, TruckRecord] = {}
        self._occupancy: dict[str, str] = {}
        self.pending: list[Event] = []

    # -- queries -------------------------------------------------------------------------

    def get(self, number: ContainerNumber | str) -> Record:
        try:
            return self.records[str(number)]
        except KeyError:
            raise ContainerNotFound(str(number)) from None

    def occupant(self, position: str) -> str | None:
        """The box at one position key (see ``Place.positions``), if any."""
        return self._occupancy.get(position)

    def occupancy(self) -> dict[str, str]:
        return dict(self._occupancy)

    def in_hub(self) -> Iterator[Record]:
        return (record for record in self.records.values() if record.state is ContainerState.IN_HUB)

    def stack(self, block: str, bay: int, row: int) -> list[str]:
        """The boxes standing on one 20' ground position, bottom to top."""
        boxes = []
        tier = 1
        while (
            number := self._occupancy.get(stacking_rules.yard_key(block, bay, row, tier))
        ) is not None:
            boxes.append(number)
            tier += 1
        return boxes

    def height(self, block: str, bay: int, row: int) -> int:
        return len(self.stack(block, bay, row))

    def boxes_above(self, number: ContainerNumber | str) -> list[str]:
        """Boxes that must be moved before ``number`` can be picked, top first."""
        record = self.get(number)
        if not isinstance(record.place, YardSlot):
            return []
        slot = record.place
        above: list[str] = []
        for bay in slot.ground_bays:
            for box in self.stack(slot.block, bay, slot.row)[slot.tier :]:
                if box not in above:
                    above.append(box)
        return sorted(above, key=lambda box: -self._tier_of(box))

    def boxes_on_train(self, train: str) -> list[str]:
        return sorted(
            record.container.number.value
            for record in self.in_hub()
            if isinstance(record.place, WagonSlot) and record.place.train == train
        )

    def boxes_on_truck(self, visit: str) -> list[str]:
        return sorted(
            record.container.number.value
            for record in self.in_hub()
            if isinstance(record.place, TruckSlot) and record.place.visit == visit
        )

    def train(self, train_id: str) -> TrainRecord:
        try:
            return self.trains[train_id]
        except KeyError:
            raise VisitError(f"no train visit {train_id!r} is known") from None

    def truck(self, visit_id: str) -> TruckRecord:
        try:
            return self.trucks[visit_id]
        except KeyError:
            raise VisitError(f"no truck visit {visit_id!r} is known") from None

    def can_stand(self, container: Container, place: Place) -> bool:
        """True when ``container`` could be set down at ``place`` now."""
        try:
            self._check_can_stand(container, place, moving=container.number.value)
        except HubportError:
            return False
        return True

    def _tier_of(self, number: str) -> int:
        place = self.records[number].place
        return place.tier if isinstance(place, YardSlot) else 0

    # -- operations: validate, then record ------------------------------------------------

    def announce(self, container: Container, at: datetime) -> None:
        """A pre-advice: the box is expected. A box already announced or here is refused."""
        existing = self.records.get(str(container.number))
        if existing is not None and existing.state is not ContainerState.DEPARTED:
            raise InvalidOperation(str(container.number), f"already {existing.state.value}")
        self._record(ContainerAnnounced(at, container))

    def update(self, container: Container, at: datetime) -> None:
        """Change a known box's facts; its number and size-type stay what they were."""
        record = self._active(container.number)
        if container.size_type != record.container.size_type and record.place is not None:
            raise InvalidOperation(
                str(container.number),
                f"size-type cannot change from {record.container.size_type} to "
                f"{container.size_type} while the box is at {record.place}",
            )
        if container.customs_status != record.container.customs_status:
            raise InvalidOperation(
                str(container.number), "customs status changes through customs, not an update"
            )
        if record.place is not None:
            self._check_can_stand(container, record.place, moving=container.number.value)
        if container != record.container:
            self._record(ContainerUpdated(at, container))

    def set_customs_status(
        self, number: ContainerNumber, status: CustomsStatus, reason: str, at: datetime
    ) -> None:
        record = self._active(number)
        if record.container.customs_status is not status:
            self._record(CustomsStatusChanged(at, number, status, reason))

    def arrive(
        self, number: ContainerNumber, place: Place, at: datetime, visit: str | None = None
    ) -> None:
        """An announced box enters the hub at ``place`` (normally a carrier just arrived)."""
        record = self._active(number)
        if record.state is not ContainerState.ANNOUNCED:
            raise InvalidOperation(
                str(number), f"cannot arrive: already in the hub at {record.place}"
            )
        self._check_can_stand(record.container, place, moving=None)
        self._record(ContainerArrived(at, number, place, visit))

    def move(
        self,
        number: ContainerNumber,
        destination: Place,
        at: datetime,
        crane: str | None = None,
        reason: str = "move",
    ) -> None:
        """Move a box from where it is to ``destination`` (a crane's pick and/or set-down)."""
        record = self._active(number)
        if record.state is not ContainerState.IN_HUB or record.place is None:
            raise InvalidOperation(str(number), "is not in the hub yet")
        origin = record.place
        if destination == origin:
            raise InvalidOperation(str(number), f"is already at {origin}")
        above = self.boxes_above(number)
        if above:
            raise InvalidOperation(
                str(number), f"is not on top at {origin}: {', '.join(above)} stand above it"
            )
        if crane is not None:
            self.site.crane(crane)
        if isinstance(origin, Spreader) and crane is not None and origin.crane != crane:
            raise InvalidOperation(str(number), f"is on {origin.crane}'s spreader, not {crane}'s")
        if destination.kind in _LEAVING_KINDS and origin.kind not in _LEAVING_KINDS:
            status = record.container.customs_status
            if not status.may_leave:
                raise InvalidOperation(
                    str(number), f"customs status {status.value}: may not be loaded to leave"
                )
        self._check_can_stand(record.container, destination, moving=number.value)
        self._record(ContainerMoved(at, number, origin, destination, crane, reason))

    def register_train(self, train: TrainVisit, at: datetime) -> None:
        if train.id in self.trains:
            raise VisitError(f"train visit {train.id!r} is already registered")
        self._record(TrainRegistered(at, train))

    def train_arrives(self, train_id: str, track: str, at: datetime) -> None:
        record = self.train(train_id)
        if record.state != "expected":
            raise VisitError(f"train {train_id} cannot arrive: it is {record.state}")
        if track not in self.site.tracks:
            raise VisitError(f"track {track!r} is not at {self.site.name}")
        busy = [
            other.train.id
            for other in self.trains.values()
            if other.state == "on_site" and other.track == track
        ]
        if busy:
            raise VisitError(f"track {track} is taken by train {busy[0]}")
        if len(record.train.wagons) > self.site.tracks[track].wagon_positions:
            raise VisitError(
                f"train {train_id} has {len(record.train.wagons)} wagons; track {track} "
                f"takes {self.site.tracks[track].wagon_positions}"
            )
        self._record(TrainArrived(at, train_id, track))

    def train_departs(self, train_id: str, at: datetime) -> None:
        """The train leaves with every box on its wagons."""
        record = self.train(train_id)
        if record.state != "on_site":
            raise VisitError(f"train {train_id} cannot depart: it is {record.state}")
        boxes = self.boxes_on_train(train_id)
        self._check_may_leave(boxes)
        events: list[Event] = [
            ContainerDeparted(at, ContainerNumber(box), self._place(box), train_id) for box in boxes
        ]
        self._record(*events, TrainDeparted(at, train_id))

    def truck_arrives(self, truck: TruckVisit, at: datetime) -> None:
        if truck.id in self.trucks:
            raise VisitError(f"truck visit {truck.id!r} has already passed the in-gate")
        self._record(TruckArrived(at, truck))

    def truck_departs(self, visit_id: str, at: datetime) -> None:
        """The truck passes the out-gate with whatever it carries."""
        record = self.truck(visit_id)
        if record.state != "on_site":
            raise VisitError(f"truck visit {visit_id} has already left")
        boxes = self.boxes_on_truck(visit_id)
        self._check_may_leave(boxes)
        events: list[Event] = [
            ContainerDeparted(at, ContainerNumber(box), self._place(box), visit_id) for box in boxes
        ]
        self._record(*events, TruckDeparted(at, visit_id))

    # -- rules ------------------------------------------------------------------------------

    def _active(self, number: ContainerNumber | str) -> Record:
        record = self.get(number)
        if record.state is ContainerState.DEPARTED:
            raise InvalidOperation(str(number), "has left the hub")
        return record

    def _place(self, number: str) -> Place:
        place = self.records[number].place
        if place is None:
            raise InvalidOperation(number, "has no place")
        return place

    def _check_may_leave(self, boxes: Iterable[str]) -> None:
        for box in boxes:
            status = self.records[box].container.customs_status
            if not status.may_leave:
                raise InvalidOperation(box, f"customs status {status.value}: may not leave the hub")

    def _check_can_stand(self, container: Container, place: Place, moving: str | None) -> None:
        """Raise unless ``container`` may stand at ``place``; ``moving`` is leaving its slot."""
        place.check_fits(container.size_type)
        for position in place.positions():
            occupant = self._occupancy.get(position)
            if occupant is not None and occupant != moving:
                raise PlaceOccupied(str(place), occupant)
        if isinstance(place, YardSlot):
            stacking_rules.check_yard_slot(self, container, place, moving)
        elif isinstance(place, WagonSlot):
            stacking_rules.check_wagon_load(self, container, place, moving)
        elif isinstance(place, TruckSlot):
            truck = self.trucks.get(place.visit)
            if truck is None or truck.state != "on_site":
                raise InvalidPlace(f"{place}: truck visit {place.visit} is not in the hub")
        elif isinstance(place, Spreader):
            self.site.crane(place.crane)
        elif isinstance(place, VesselCell):
            raise InvalidPlace(f"{place}: vessel calls arrive with the river-port operations")

    # -- events -----------------------------------------------------------------------------

    def _record(self, *events: Event) -> None:
        for event in events:
            self.apply(event)
            self.pending.append(event)

    def apply(self, event: Event) -> None:
        """Change the state as ``event`` says; used both live and when replaying the log."""
        if isinstance(event, ContainerAnnounced):
            self.records[event.container.number.value] = Record(
                event.container,
                ContainerState.ANNOUNCED,
                None,
                self.records[event.container.number.value].version
                if event.container.number.value in self.records
                else 0,
            )
        elif isinstance(event, ContainerUpdated):
            record = self.records[event.container.number.value]
            record.container = dataclasses.replace(
                event.container, customs_status=record.container.customs_status
            )
        elif isinstance(event, CustomsStatusChanged):
            record = self.records[event.number.value]
            record.container = dataclasses.replace(record.container, customs_status=event.status)
        elif isinstance(event, ContainerArrived):
            record = self.records[event.number.value]
            record.state = ContainerState.IN_HUB
            self._occupy(event.number.value, event.place)
        elif isinstance(event, ContainerMoved):
            self._vacate(event.number.value, event.origin)
            self._occupy(event.number.value, event.destination)
        elif isinstance(event, ContainerDeparted):
            self._vacate(event.number.value, event.place)
            self.records[event.number.value].state = ContainerState.DEPARTED
        elif isinstance(event, TrainRegistered):
            self.trains[event.train.id] = TrainRecord(event.train)
        elif isinstance(event, TrainArrived):
            self.trains[event.train].state = "on_site"
            self.trains[event.train].track = event.track
        elif isinstance(event, TrainDeparted):
            self.trains[event.train].state = "departed"
        elif isinstance(event, TruckArrived):
            self.trucks[event.truck.id] = TruckRecord(event.truck)
        elif isinstance(event, TruckDeparted):
            self.trucks[event.visit].state = "departed"

    def restore(self, record: Record) -> None:
        """Put back a stored record as it was (used by repositories when loading)."""
        self.records[record.container.number.value] = record
        if record.place is not None:
            self._occupy(record.container.number.value, record.place)

    def _occupy(self, number: str, place: Place) -> None:
        self.records[number].place = place
        for position in place.positions():
            self._occupancy[position] = number

    def _vacate(self, number: str, place: Place) -> None:
        self.records[number].place = None
        for position in place.positions():
            if self._occupancy.get(position) == number:
                del self._occupancy[position]

    # -- audit ------------------------------------------------------------------------------

    def violations(self) -> list[str]:
        """Every broken invariant, in words; an empty list when the inventory is sound."""
        return invariants.violations(self)

    def snapshot(self) -> dict[str, object]:
        """The state as comparable plain data (containers, places, visits), without versions."""
        return {
            "containers": {
                number: (record.container, record.state.value, str(record.place))
                for number, record in sorted(self.records.items())
            },
            "trains": {
                key: (rec.train, rec.state, rec.track) for key, rec in sorted(self.trains.items())
            },
            "trucks": {key: (rec.truck, rec.state) for key, rec in sorted(self.trucks.items())},
            "occupancy": dict(sorted(self._occupancy.items())),
        }


__all__ = ["ContainerState", "Inventory", "Record", "TrainRecord", "TruckRecord"]
