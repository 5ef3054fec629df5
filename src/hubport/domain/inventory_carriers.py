"""The inventory's trains and road trucks (a part of ``Inventory``): their visits as the
store knows them, the boxes on them, and their arrivals and departures.

Operations validate first, then record events, like the rest of the inventory; the
replay of their events is ``Inventory.apply``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import InvalidOperation, VisitError
from hubport.domain.events import (
    ContainerDeparted,
    Event,
    TrainArrived,
    TrainDeparted,
    TrainRegistered,
    TruckArrived,
    TruckDeparted,
)
from hubport.domain.places import Place, WagonSlot
from hubport.domain.records import InventorySource, Record, TrainRecord, TruckRecord
from hubport.domain.visits import TrainVisit, TruckVisit

if TYPE_CHECKING:
    from hubport.domain.site import Site


class CarrierOperations:
    """Train visits on the station's tracks and road trucks through the gate."""

    if TYPE_CHECKING:
        site: Site
        source: InventorySource | None
        records: dict[str, Record]
        trains: dict[str, TrainRecord]
        trucks: dict[str, TruckRecord]

        def _record(self, *events: Event) -> None: ...
        def _place(self, number: str) -> Place: ...
        def boxes_on(self, carrier: str) -> list[str]: ...

    def boxes_on_train(self, train: str) -> list[str]:
        return self.boxes_on(f"wagon:{train}")

    def boxes_on_truck(self, visit: str) -> list[str]:
        return self.boxes_on(f"truck:{visit}")

    def wagon_load_kg(self, train: str, wagon: int, without: str | None = None) -> int:
        """The gross mass on one wagon of ``train``, leaving out the box ``without``."""
        return sum(
            self.records[number].container.gross_mass_kg
            for number in self.boxes_on_train(train)
            if number != without
            and isinstance(place := self.records[number].place, WagonSlot)
            and place.wagon == wagon
        )

    def find_train(self, train_id: str) -> TrainRecord | None:
        record = self.trains.get(train_id)
        if record is None and self.source is not None:
            record = self.source.train(train_id)
            if record is not None:
                self.trains[train_id] = record
        return record

    def train(self, train_id: str) -> TrainRecord:
        record = self.find_train(train_id)
        if record is None:
            raise VisitError(f"no train visit {train_id!r} is known")
        return record

    def find_truck(self, visit_id: str) -> TruckRecord | None:
        record = self.trucks.get(visit_id)
        if record is None and self.source is not None:
            record = self.source.truck(visit_id)
            if record is not None:
                self.trucks[visit_id] = record
        return record

    def truck(self, visit_id: str) -> TruckRecord:
        record = self.find_truck(visit_id)
        if record is None:
            raise VisitError(f"no truck visit {visit_id!r} is known")
        return record

    def train_on_track(self, track: str) -> str | None:
        """The train standing on ``track`` now, if any."""
        for other in self.trains.values():
            if other.state == "on_site" and other.track == track:
                return other.train.id
        if self.source is None:
            return None
        train_id = self.source.train_on_track(track)
        if train_id is None:
            return None
        record = self.find_train(train_id)
        return train_id if record is not None and record.state == "on_site" else None

    def trucks_on_site(self) -> list[TruckRecord]:
        """The truck visits in the hub now."""
        if self.source is not None:
            for record in self.source.trucks_on_site():
                self.trucks.setdefault(record.truck.id, record)
        return [r for r in self.trucks.values() if r.state == "on_site"]

    def _check_may_leave(self, boxes: Iterable[str]) -> None:
        for box in boxes:
            status = self.records[box].container.customs_status
            if not status.may_leave:
                raise InvalidOperation(box, f"customs status {status.value}: may not leave the hub")

    # -- operations: validate, then record --------------------------------------------

    def register_train(self, train: TrainVisit, at: datetime) -> None:
        if self.find_train(train.id) is not None:
            raise VisitError(f"train visit {train.id!r} is already registered")
        self._record(TrainRegistered(at, train))

    def train_arrives(self, train_id: str, track: str, at: datetime) -> None:
        record = self.train(train_id)
        if record.state != "expected":
            raise VisitError(f"train {train_id} cannot arrive: it is {record.state}")
        if track not in self.site.tracks:
            raise VisitError(f"track {track!r} is not at {self.site.name}")
        busy = self.train_on_track(track)
        if busy is not None:
            raise VisitError(f"track {track} is taken by train {busy}")
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
        if self.find_truck(truck.id) is not None:
            raise VisitError(f"truck visit {truck.id!r} has already passed the in-gate")
        self._record(TruckArrived(at, truck))

    def truck_departs(self, visit_id: str, at: datetime) -> None:
        """The truck passes the out-gate with whatever it carries."""
        record = self.truck(visit_id)
        if record.state != "on_site":
            raise VisitError(f"truck visit {visit_id} has already left")
        if record.location == "road":
            raise VisitError(f"shuttle {visit_id} is on the road: its visit ends at one end")
        boxes = self.boxes_on_truck(visit_id)
        self._check_may_leave(boxes)
        events: list[Event] = [
            ContainerDeparted(at, ContainerNumber(box), self._place(box), visit_id) for box in boxes
        ]
        self._record(*events, TruckDeparted(at, visit_id))


__all__ = ["CarrierOperations"]
