"""The inventory: every box the hub knows, in exactly one place, by the stacking rules.

Each operation validates everything first, then records events and applies them; an
operation that raises has changed nothing. Replaying the recorded events on an empty
inventory rebuilds the same state, which is how ``hubport check`` audits the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import datetime

from hubport.domain import river_rules
from hubport.domain.container import Container, ContainerNumber, CustomsStatus
from hubport.domain.errors import ContainerNotFound, InvalidOperation
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
from hubport.domain.inventory_carriers import CarrierOperations
from hubport.domain.inventory_river import RiverOperations
from hubport.domain.inventory_yard import YardStacks
from hubport.domain.places import (
    Place,
    Spreader,
    StackKey,
    YardSlot,
    carrier_of,
    carrier_of_position,
    stack_of_position,
)
from hubport.domain.records import (
    ContainerState,
    InventorySource,
    Record,
    TrainRecord,
    TruckRecord,
    VesselRecord,
)
from hubport.domain.site import Site

_LEAVING_KINDS = ("wagon", "truck", "vessel")


class Inventory(YardStacks, CarrierOperations, RiverOperations):
    """The hub's boxes and carriers, and the rules that keep them consistent.

    Without a ``source`` the inventory holds everything it knows (a replay, a test, the
    audit). With one it is *scoped*: it starts empty and fetches, on first use, only the
    boxes a command names, the ground stacks it reads or changes and the carriers it works.
    Both give the same answers; ``records``, ``trains`` and ``trucks`` hold what is loaded.
    """

    def __init__(self, site: Site, source: InventorySource | None = None):
        self.site = site
        self.source = source
        self.records: dict[str, Record] = {}
        self.trains: dict[str, TrainRecord] = {}
        self.trucks: dict[str, TruckRecord] = {}
        self.vessels: dict[str, VesselRecord] = {}
        self._occupancy: dict[str, str] = {}
        self._carried: dict[str, set[str]] = {}
        self._unknown: set[str] = set()
        self._stacks_loaded: set[StackKey] = set()
        self._carriers_loaded: set[str] = set()
        self.stack_versions: dict[StackKey, int | None] = {}
        """Each loaded stack's version as read (None: no stored row yet)."""
        self.baseline: dict[str, str | None] = {}
        """Each box fetched from the source, and its place (as text) when fetched."""
        self.touched_stacks: set[StackKey] = set()
        self.touched_carriers: set[str] = set()
        self.pending: list[Event] = []

    # -- loading on demand ----------------------------------------------------------------

    def _adopt(self, record: Record) -> Record:
        """Keep a record fetched from the source unless this inventory already has it."""
        number = record.container.number.value
        known = self.records.get(number)
        if known is not None:
            return known
        self.records[number] = record
        self._unknown.discard(number)
        self.baseline[number] = None if record.place is None else str(record.place)
        if record.place is not None and record.state is ContainerState.IN_HUB:
            self._index(number, record.place)
        return record

    def _ensure_stack(self, stack: StackKey) -> None:
        if self.source is None or stack in self._stacks_loaded:
            return
        self._stacks_loaded.add(stack)
        loaded = self.source.stack(stack)
        self.stack_versions[stack] = loaded.version
        for record in loaded.boxes:
            self._adopt(record)

    def _ensure_carrier(self, carrier: str) -> None:
        if self.source is None or carrier in self._carriers_loaded:
            return
        self._carriers_loaded.add(carrier)
        for record in self.source.carried(carrier):
            self._adopt(record)

    def _ensure_position(self, position: str) -> None:
        located = stack_of_position(position)
        if located is not None:
            self._ensure_stack(located[0])
            return
        carrier = carrier_of_position(position)
        if carrier is not None:
            self._ensure_carrier(carrier)

    # -- queries -------------------------------------------------------------------------

    def find(self, number: ContainerNumber | str) -> Record | None:
        """The record of ``number`` in any state, or None when the hub never heard of it."""
        key = str(number)
        record = self.records.get(key)
        if record is not None or self.source is None or key in self._unknown:
            return record
        fetched = self.source.container(key)
        if fetched is None:
            self._unknown.add(key)
            return None
        return self._adopt(fetched)

    def prefetch(self, numbers: Iterable[ContainerNumber | str]) -> None:
        """Fetch many boxes at once, ahead of asking for them one by one."""
        if self.source is None:
            return
        wanted = {str(number) for number in numbers} - set(self.records) - self._unknown
        if not wanted:
            return
        for record in self.source.containers(sorted(wanted)):
            self._adopt(record)
        self._unknown |= wanted - set(self.records)

    def get(self, number: ContainerNumber | str) -> Record:
        record = self.find(number)
        if record is None:
            raise ContainerNotFound(str(number))
        return record

    def container(self, number: str) -> Container:
        """The facts of a known box."""
        return self.get(number).container

    def occupant(self, position: str) -> str | None:
        """The box at one position key (see ``Place.positions``), if any."""
        self._ensure_position(position)
        return self._occupancy.get(position)

    def occupancy(self) -> dict[str, str]:
        """Every position of the loaded part of the hub and the box on it."""
        return dict(self._occupancy)

    def in_hub(self) -> Iterator[Record]:
        """The loaded boxes that are in the hub (all of them when there is no source)."""
        return (record for record in self.records.values() if record.state is ContainerState.IN_HUB)

    def boxes_on(self, carrier: str) -> list[str]:
        """The boxes on one carrier (``wagon:TRAIN``, ``truck:VISIT``, ``crane:ID``)."""
        self._ensure_carrier(carrier)
        return sorted(self._carried.get(carrier, ()))

    # -- operations: validate, then record ------------------------------------------------

    def announce(self, container: Container, at: datetime) -> None:
        """A pre-advice: the box is expected. A box already announced or here is refused."""
        existing = self.find(container.number)
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
            self.check_can_stand(container, record.place, moving=container.number.value)
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
        self.check_can_stand(record.container, place, moving=None)
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
        if (
            destination.kind in _LEAVING_KINDS
            and origin.kind not in _LEAVING_KINDS
            and not self.is_shuttle_spot(destination)
        ):
            status = record.container.customs_status
            if not status.may_leave:
                raise InvalidOperation(
                    str(number), f"customs status {status.value}: may not be loaded to leave"
                )
        river_rules.check_transfer(self, record.container, origin, destination, crane)
        self.check_can_stand(record.container, destination, moving=number.value)
        self._record(ContainerMoved(at, number, origin, destination, crane, reason))

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

    # -- events -----------------------------------------------------------------------------

    def note(self, event: Event) -> None:
        """Log an event about something the inventory does not hold (a crane job, an
        alarm), in the same transaction as the boxes' own."""
        self.pending.append(event)

    def _record(self, *events: Event) -> None:
        for event in events:
            self.apply(event)
            self.pending.append(event)

    def apply(self, event: Event) -> None:
        """Change the state as ``event`` says; used both live and when replaying the log."""
        if isinstance(event, ContainerAnnounced):
            number = event.container.number.value
            self._unknown.discard(number)
            previous = self.records.get(number)
            self.records[number] = Record(
                event.container,
                ContainerState.ANNOUNCED,
                None,
                previous.version if previous is not None else 0,
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
        else:
            self.apply_river(event)

    def restore(self, record: Record) -> None:
        """Put back a stored record as it was (used by repositories when loading)."""
        self.records[record.container.number.value] = record
        if record.place is not None:
            self._index(record.container.number.value, record.place)

    def _occupy(self, number: str, place: Place) -> None:
        self._touch(place)
        self.records[number].place = place
        self._index(number, place)

    def _index(self, number: str, place: Place) -> None:
        for position in place.positions():
            self._occupancy[position] = number
        carrier = carrier_of(place)
        if carrier is not None:
            self._carried.setdefault(carrier, set()).add(number)

    def _vacate(self, number: str, place: Place) -> None:
        self._touch(place)
        self.records[number].place = None
        for position in place.positions():
            if self._occupancy.get(position) == number:
                del self._occupancy[position]
        carrier = carrier_of(place)
        if carrier is not None:
            self._carried.get(carrier, set()).discard(number)

    def _touch(self, place: Place) -> None:
        """Note the stacks or carrier a change affects (the store rewrites their summary)."""
        if isinstance(place, YardSlot):
            for stack in place.stacks:
                self._ensure_stack(stack)
                self.touched_stacks.add(stack)
            return
        carrier = carrier_of(place)
        if carrier is not None:
            self._ensure_carrier(carrier)
            self.touched_carriers.add(carrier)

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
            "trucks": {
                key: (rec.truck, rec.state, rec.location)
                for key, rec in sorted(self.trucks.items())
            },
            "vessels": {
                key: (rec.call, rec.state, rec.bay_plan, rec.load_list)
                for key, rec in sorted(self.vessels.items())
            },
            "occupancy": dict(sorted(self._occupancy.items())),
        }


__all__ = [
    "ContainerState",
    "Inventory",
    "InventorySource",
    "Record",
    "TrainRecord",
    "TruckRecord",
]
