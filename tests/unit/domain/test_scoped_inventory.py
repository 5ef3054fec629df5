"""A scoped inventory fetches only what it touches and answers as the whole one does."""

from __future__ import annotations

import copy
from collections.abc import Collection

from hubport.domain.inventory import Inventory
from hubport.domain.places import StackKey, TruckSlot, WagonSlot, YardSlot
from hubport.domain.records import LoadedStack, Record, TrainRecord, TruckRecord, VesselRecord
from hubport.domain.site import Site
from hubport.domain.stacks import BayRange, StackSummary
from tests.conftest import T0, box, train, truck


class CopyingSource:
    """An InventorySource over a whole inventory (the "store"), handing out copies and
    counting what it was asked for."""

    def __init__(self, store: Inventory):
        self.store = store
        self.asked: list[str] = []

    def container(self, number: str) -> Record | None:
        self.asked.append(f"box {number}")
        record = self.store.records.get(number)
        return copy.deepcopy(record)

    def containers(self, numbers: Collection[str]) -> list[Record]:
        self.asked.append(f"boxes {len(numbers)}")
        return [copy.deepcopy(self.store.records[n]) for n in numbers if n in self.store.records]

    def stack(self, stack: StackKey) -> LoadedStack:
        self.asked.append(f"stack {stack}")
        numbers = self.store.stack(stack.block, stack.bay, stack.row)
        return LoadedStack(tuple(copy.deepcopy(self.store.records[n]) for n in numbers), 0)

    def carried(self, carrier: str) -> list[Record]:
        self.asked.append(f"carrier {carrier}")
        return [copy.deepcopy(self.store.records[n]) for n in self.store.boxes_on(carrier)]

    def train(self, train_id: str) -> TrainRecord | None:
        return copy.deepcopy(self.store.trains.get(train_id))

    def truck(self, visit_id: str) -> TruckRecord | None:
        return copy.deepcopy(self.store.trucks.get(visit_id))

    def vessel(self, call_id: str) -> VesselRecord | None:
        return copy.deepcopy(self.store.vessels.get(call_id))

    def vessel_calls_at(self, berth: str) -> list[VesselRecord]:
        return copy.deepcopy(self.store.calls_at_berth(berth))

    def vessel_of_voyage(self, voyage: str) -> VesselRecord | None:
        return copy.deepcopy(self.store.vessel_of_voyage(voyage))

    def train_on_track(self, track: str) -> str | None:
        return self.store.train_on_track(track)

    def trucks_on_site(self) -> list[TruckRecord]:
        return copy.deepcopy(self.store.trucks_on_site())

    def stack_summaries(self, ranges: Collection[BayRange]) -> list[StackSummary]:
        self.asked.append("summaries")
        return list(self.store.stack_summaries(ranges).values())


def _yard_of_six(site: Site) -> Inventory:
    """Six boxes discharged from a train: two stacks of two in block A, two more apart."""
    store = Inventory(site)
    store.register_train(train("T100"), T0)
    store.train_arrives("T100", "T1", T0)
    for index in range(6):
        store.announce(box(index), T0)
        store.arrive(box(index).number, WagonSlot("T100", index + 1, "A"), T0)
    slots = [
        YardSlot("A", 3, 1, 1),
        YardSlot("A", 3, 1, 2),
        YardSlot("A", 5, 1, 1),
        YardSlot("A", 5, 1, 2),
        YardSlot("B", 9, 4, 1),
        YardSlot("B", 11, 4, 1),
    ]
    for index, slot in enumerate(slots):
        store.move(box(index).number, slot, T0, crane="ARMG1")
    store.pending.clear()
    return store


def test_a_move_fetches_the_box_and_the_two_stacks_it_touches(site: Site) -> None:
    source = CopyingSource(_yard_of_six(site))
    scoped = Inventory(site, source)
    scoped.move(box(1).number, YardSlot("A", 7, 2, 1), T0, crane="ARMG1")
    assert set(scoped.records) == {box(0).number.value, box(1).number.value}
    assert "summaries" not in source.asked
    assert not any(ask.startswith("carrier") for ask in source.asked)
    assert scoped.touched_stacks == {StackKey("A", 3, 1), StackKey("A", 7, 2)}


def test_summaries_show_the_stacks_as_changed_in_the_unit_of_work(site: Site) -> None:
    store = _yard_of_six(site)
    scoped = Inventory(site, CopyingSource(store))
    scoped.move(box(3).number, YardSlot("A", 3, 1, 3), T0, crane="ARMG1")
    summaries = scoped.stack_summaries([BayRange("A", 1, 9)])
    assert summaries[StackKey("A", 3, 1)].height == 3
    assert summaries[StackKey("A", 3, 1)].top == box(3).number.value
    assert summaries[StackKey("A", 5, 1)].height == 1
    # the store itself has not changed
    assert store.stack_summaries([BayRange("A", 1, 9)])[StackKey("A", 3, 1)].height == 2


def test_scoped_and_whole_answer_the_same(site: Site) -> None:
    store = _yard_of_six(site)
    whole = copy.deepcopy(store)
    scoped = Inventory(site, CopyingSource(store))
    for inventory in (whole, scoped):
        inventory.truck_arrives(truck("TV1"), T0)
        inventory.move(box(5).number, TruckSlot("TV1", "A"), T0, crane="ARMG3")
    assert scoped.boxes_above(box(0).number) == whole.boxes_above(box(0).number)
    assert scoped.boxes_on_truck("TV1") == whole.boxes_on_truck("TV1") == [box(5).number.value]
    assert scoped.stack_summaries() == whole.stack_summaries()
    assert scoped.can_stand(box(9), YardSlot("A", 3, 1, 3))
    assert not scoped.can_stand(box(9), YardSlot("A", 3, 1, 2))
