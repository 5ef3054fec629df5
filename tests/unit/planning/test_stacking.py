from __future__ import annotations

from datetime import timedelta

import pytest

from hubport.domain.container import LegMode, NextLeg
from hubport.domain.errors import StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import WagonSlot, YardSlot
from hubport.planning.stacking import NoFreeSlot, choose_slot
from tests.conftest import T0, at, box, train


def leaving(index: int, hours: float, code: str = "22G1") -> object:
    return box(
        index, code, next_leg=NextLeg(LegMode.ROAD, f"TV{index}", T0 + timedelta(hours=hours))
    )


def put(inventory: Inventory, container: object, slot: YardSlot) -> None:
    if "T100" not in inventory.trains:
        inventory.register_train(train("T100", wagons=20), at(0))
        inventory.train_arrives("T100", "T1", at(0))
    inventory.announce(container, at(0))  # type: ignore[arg-type]
    spot = "AB" if container.size_type.is_forty else "A"  # type: ignore[attr-defined]
    inventory.arrive(container.number, WagonSlot("T100", 1, spot), at(0))  # type: ignore[attr-defined]
    inventory.move(container.number, slot, at(1))  # type: ignore[attr-defined]


def test_box_is_not_stacked_on_one_that_leaves_earlier(inventory: Inventory) -> None:
    zone = (0.0, 30.0)  # block A bays 01..07, the reefer stretch
    for bay in (1, 3, 5, 7):
        for row in range(1, 9):
            put(
                inventory, leaving(100 + bay * 10 + row, hours=10 + row), YardSlot("A", bay, row, 1)
            )
    late = leaving(1, hours=14.5)
    slot = choose_slot(inventory, late, zone, near_x=0.0)
    assert slot.tier == 2
    (below,) = inventory.stack(slot.block, slot.bay, slot.row)[:1]
    due = inventory.get(below).container.next_leg.due  # type: ignore[union-attr]
    assert due is not None and due >= T0 + timedelta(hours=14.5)


def test_box_goes_to_free_ground_before_burying_anything(inventory: Inventory) -> None:
    put(inventory, leaving(100, hours=1), YardSlot("A", 1, 1, 1))
    slot = choose_slot(inventory, leaving(1, hours=5), (0.0, 30.0), near_x=0.0)
    assert slot.tier == 1


def test_chosen_slot_is_always_legal(inventory: Inventory) -> None:
    reefer = box(1, "22R1", reefer_setpoint_c=-18.0)
    slot = choose_slot(inventory, reefer, (0.0, 400.0), near_x=300.0)
    assert inventory.site.has_plug(slot.block, slot.bay, slot.row)
    tank = box(2, "22T1", imdg_class="3")
    slot = choose_slot(inventory, tank, (0.0, 400.0), near_x=0.0)
    assert inventory.site.in_dangerous_goods_zone(slot.block, slot.bay, slot.row)


def test_no_legal_slot_in_the_stretch_is_said_clearly(inventory: Inventory) -> None:
    reefer = box(1, "22R1", reefer_setpoint_c=-18.0)
    with pytest.raises(NoFreeSlot, match="no free legal slot"):
        choose_slot(inventory, reefer, (100.0, 190.0), near_x=150.0)  # no reefer rack here


def test_the_inspection_area_is_kept_for_boxes_under_inspection(inventory: Inventory) -> None:
    site = inventory.site
    area = (40.0, 60.0)  # block A bays 13-15 row 8 lies here
    for index in range(60):
        slot = choose_slot(inventory, leaving(index, hours=5), area, near_x=50.0)
        assert not site.in_inspection_area(slot.block, slot.bay, slot.row)
        put(inventory, leaving(index, hours=5), slot)
    inspected = choose_slot(inventory, leaving(200, hours=5), area, near_x=50.0, inspection=True)
    assert site.in_inspection_area(inspected.block, inspected.bay, inspected.row)
    put(inventory, leaving(200, hours=5), inspected)
    second = choose_slot(inventory, leaving(201, hours=5), area, near_x=50.0, inspection=True)
    assert second.tier == 1 and second != inspected
    put(inventory, leaving(201, hours=5), second)
    with pytest.raises(NoFreeSlot, match="inspection area"):  # one high: two places here
        choose_slot(inventory, leaving(202, hours=5), area, near_x=50.0, inspection=True)
    with pytest.raises(StackingRuleViolation, match="one high"):
        put(inventory, leaving(203, hours=5), YardSlot(second.block, second.bay, second.row, 2))
