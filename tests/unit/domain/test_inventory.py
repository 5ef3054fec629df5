"""One test per inventory rule; each broken rule raises and changes nothing."""

from __future__ import annotations

import copy

import pytest

from hubport.domain.container import Container, CustomsStatus
from hubport.domain.errors import (
    InvalidOperation,
    InvalidPlace,
    PlaceOccupied,
    StackingRuleViolation,
    VisitError,
)
from hubport.domain.invariants import violations
from hubport.domain.inventory import ContainerState, Inventory
from hubport.domain.places import Spreader, TruckSlot, WagonSlot, YardSlot
from tests.conftest import at, box, train, truck


def on_wagons(inventory: Inventory, *containers: Container) -> None:
    """Announce boxes and bring them in on train T100 (two 20' or one 40' per wagon)."""
    if "T100" not in inventory.trains:
        inventory.register_train(train("T100", wagons=20), at(0))
        inventory.train_arrives("T100", "T1", at(1))
    for index, container in enumerate(containers):
        inventory.announce(container, at(0))
        spot = "AB" if container.size_type.is_forty else "A"
        inventory.arrive(container.number, WagonSlot("T100", index + 1, spot), at(1), "T100")


def into_yard(inventory: Inventory, container: Container, slot: YardSlot) -> None:
    on_wagons(inventory, container)
    inventory.move(container.number, slot, at(2), crane="ARMG1", reason="discharge")


def assert_unchanged(inventory: Inventory, before: dict[str, object]) -> None:
    assert inventory.snapshot() == before
    assert violations(inventory) == []


def test_box_is_set_down_on_the_ground(inventory: Inventory) -> None:
    into_yard(inventory, box(1), YardSlot("A", 11, 1, 1))
    assert inventory.stack("A", 11, 1) == [box(1).number.value]
    assert violations(inventory) == []


def test_no_box_over_empty_space(inventory: Inventory) -> None:
    on_wagons(inventory, box(1))
    before = copy.deepcopy(inventory.snapshot())
    with pytest.raises(StackingRuleViolation, match="empty space"):
        inventory.move(box(1).number, YardSlot("A", 11, 1, 2), at(2))
    assert_unchanged(inventory, before)


def test_twenty_never_on_top_of_a_forty(inventory: Inventory) -> None:
    into_yard(inventory, box(1, "45G1"), YardSlot("A", 12, 1, 1))
    on_wagons(inventory, box(2))
    before = copy.deepcopy(inventory.snapshot())
    with pytest.raises(StackingRuleViolation, match="20' never on top of a 40'"):
        inventory.move(box(2).number, YardSlot("A", 11, 1, 2), at(3))
    assert_unchanged(inventory, before)


def test_forty_may_stand_on_two_twenties(inventory: Inventory) -> None:
    into_yard(inventory, box(1), YardSlot("A", 11, 1, 1))
    into_yard(inventory, box(2), YardSlot("A", 13, 1, 1))
    into_yard(inventory, box(3, "42G1"), YardSlot("A", 12, 1, 2))
    assert violations(inventory) == []
    assert inventory.boxes_above(box(1).number) == [box(3).number.value]


def test_forty_may_not_straddle_a_forty_and_a_twenty(inventory: Inventory) -> None:
    into_yard(inventory, box(1, "42G1"), YardSlot("A", 12, 1, 1))
    into_yard(inventory, box(3), YardSlot("A", 15, 1, 1))
    on_wagons(inventory, box(4, "42G1"))
    with pytest.raises(StackingRuleViolation, match="40' must sit on a 40'"):
        inventory.move(box(4).number, YardSlot("A", 14, 1, 2), at(3))


def test_forty_needs_an_even_bay(inventory: Inventory) -> None:
    on_wagons(inventory, box(1, "45G1"))
    with pytest.raises(InvalidPlace, match="even"):
        inventory.move(box(1).number, YardSlot("A", 11, 1, 1), at(2))


def test_stack_never_exceeds_the_blocks_max_tiers(inventory: Inventory) -> None:
    for tier in range(1, 6):
        into_yard(inventory, box(tier), YardSlot("A", 21, 2, tier))
    on_wagons(inventory, box(6))
    before = copy.deepcopy(inventory.snapshot())
    with pytest.raises(StackingRuleViolation, match="tier 6 is above block A's 5"):
        inventory.move(box(6).number, YardSlot("A", 21, 2, 6), at(3))
    assert_unchanged(inventory, before)


def test_running_reefer_only_where_there_is_a_plug(inventory: Inventory) -> None:
    reefer = box(1, "22R1", reefer_setpoint_c=-18.0)
    on_wagons(inventory, reefer)
    with pytest.raises(StackingRuleViolation, match="reefer plug"):
        inventory.move(reefer.number, YardSlot("A", 21, 1, 1), at(2))
    inventory.move(reefer.number, YardSlot("A", 3, 1, 1), at(2))
    assert violations(inventory) == []


def test_empty_reefer_without_setpoint_may_stand_anywhere(inventory: Inventory) -> None:
    into_yard(inventory, box(1, "22R1", mass=3_000, full=False), YardSlot("A", 21, 1, 1))
    assert violations(inventory) == []


def test_dangerous_goods_only_in_their_zone(inventory: Inventory) -> None:
    tank = box(1, "22T1", imdg_class="3")
    on_wagons(inventory, tank)
    with pytest.raises(StackingRuleViolation, match="dangerous-goods zone"):
        inventory.move(tank.number, YardSlot("A", 21, 1, 1), at(2))
    inventory.move(tank.number, YardSlot("B", 55, 7, 1), at(2))
    assert violations(inventory) == []


def test_slot_outside_the_block_is_rejected(inventory: Inventory) -> None:
    on_wagons(inventory, box(1))
    with pytest.raises(InvalidPlace, match=r"rows 01\.\.08"):
        inventory.move(box(1).number, YardSlot("A", 11, 9, 1), at(2))
    with pytest.raises(InvalidPlace, match="block 'Z'"):
        inventory.move(box(1).number, YardSlot("Z", 11, 1, 1), at(2))


def test_two_boxes_never_share_a_position(inventory: Inventory) -> None:
    into_yard(inventory, box(1), YardSlot("A", 11, 1, 1))
    on_wagons(inventory, box(2, "42G1"))
    with pytest.raises(PlaceOccupied, match=box(1).number.value):
        inventory.move(box(2).number, YardSlot("A", 10, 1, 1), at(3))


def test_only_the_top_box_can_be_picked(inventory: Inventory) -> None:
    into_yard(inventory, box(1), YardSlot("A", 11, 1, 1))
    into_yard(inventory, box(2), YardSlot("A", 11, 1, 2))
    with pytest.raises(InvalidOperation, match="not on top"):
        inventory.move(box(1).number, Spreader("ARMG1"), at(3))
    inventory.move(box(2).number, Spreader("ARMG1"), at(3))
    inventory.move(box(2).number, YardSlot("A", 13, 1, 1), at(4))
    inventory.move(box(1).number, Spreader("ARMG1"), at(5))
    assert violations(inventory) == []


def test_a_spreader_holds_one_box(inventory: Inventory) -> None:
    on_wagons(inventory, box(1), box(2))
    inventory.move(box(1).number, Spreader("ARMG1"), at(2))
    with pytest.raises(PlaceOccupied):
        inventory.move(box(2).number, Spreader("ARMG1"), at(2))


def test_box_must_be_announced_before_it_arrives(inventory: Inventory) -> None:
    inventory.register_train(train(), at(0))
    inventory.train_arrives("T100", "T1", at(1))
    with pytest.raises(Exception, match="no container"):
        inventory.arrive(box(1).number, WagonSlot("T100", 1, "A"), at(1))


def test_announcing_a_box_twice_is_refused(inventory: Inventory) -> None:
    inventory.announce(box(1), at(0))
    with pytest.raises(InvalidOperation, match="already announced"):
        inventory.announce(box(1), at(0))


def test_held_box_is_not_loaded_to_leave(inventory: Inventory) -> None:
    held = box(1, customs_status=CustomsStatus.HELD)
    into_yard(inventory, held, YardSlot("A", 11, 1, 1))
    inventory.truck_arrives(truck(), at(3))
    with pytest.raises(InvalidOperation, match="customs status held"):
        inventory.move(held.number, TruckSlot("TV1", "A"), at(4))
    inventory.set_customs_status(held.number, CustomsStatus.RELEASED, "released", at(5))
    inventory.move(held.number, TruckSlot("TV1", "A"), at(6))
    inventory.truck_departs("TV1", at(7))
    assert inventory.get(held.number).state is ContainerState.DEPARTED


def test_train_departs_with_every_box_on_its_wagons(inventory: Inventory) -> None:
    on_wagons(inventory, box(1), box(2, "45G1"))
    inventory.train_departs("T100", at(3))
    assert {inventory.get(b.number).state for b in (box(1), box(2))} == {ContainerState.DEPARTED}
    assert inventory.occupancy() == {}
    assert violations(inventory) == []


def test_train_with_an_uncleared_box_cannot_depart(inventory: Inventory) -> None:
    on_wagons(inventory, box(1), box(2, customs_status=CustomsStatus.DECLARED))
    before = copy.deepcopy(inventory.snapshot())
    with pytest.raises(InvalidOperation, match="may not leave"):
        inventory.train_departs("T100", at(3))
    assert_unchanged(inventory, before)


def test_wagon_payload_is_kept(inventory: Inventory) -> None:
    inventory.register_train(train("T100", wagons=2), at(0))
    inventory.train_arrives("T100", "T1", at(1))
    inventory.announce(box(1, "22T1", mass=36_000), at(0))
    inventory.arrive(box(1).number, WagonSlot("T100", 1, "A"), at(1))
    heavy = box(2, "22T1", mass=36_000)
    inventory.announce(heavy, at(0))
    with pytest.raises(StackingRuleViolation, match="payload"):
        inventory.arrive(heavy.number, WagonSlot("T100", 1, "B"), at(1))


def test_track_takes_one_train_at_a_time(inventory: Inventory) -> None:
    inventory.register_train(train("T100"), at(0))
    inventory.register_train(train("T200"), at(0))
    inventory.train_arrives("T100", "T1", at(1))
    with pytest.raises(VisitError, match="taken by train T100"):
        inventory.train_arrives("T200", "T1", at(2))


def test_departed_box_may_come_back_later(inventory: Inventory) -> None:
    on_wagons(inventory, box(1))
    inventory.train_departs("T100", at(3))
    inventory.announce(box(1), at(10))
    assert inventory.get(box(1).number).state is ContainerState.ANNOUNCED


def test_replaying_the_events_rebuilds_the_same_inventory(inventory: Inventory) -> None:
    into_yard(inventory, box(1), YardSlot("A", 11, 1, 1))
    into_yard(inventory, box(2, "45R1", reefer_setpoint_c=2.0), YardSlot("A", 4, 1, 1))
    inventory.truck_arrives(truck(), at(5))
    inventory.move(box(1).number, TruckSlot("TV1", "A"), at(6))
    inventory.truck_departs("TV1", at(7))
    replayed = Inventory(inventory.site)
    for event in inventory.pending:
        replayed.apply(type(event).from_payload(type(event).__name__, event.to_payload()))
    assert replayed.snapshot() == inventory.snapshot()
