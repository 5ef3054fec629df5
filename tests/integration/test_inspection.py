"""Inspections on the store (SQLite and PostgreSQL): a box selected for inspection goes to
an inspection area by crane work and comes back when customs lifts the order; one
selected on its wagon lands there at discharge; other boxes never stand there."""

from __future__ import annotations

from sqlalchemy import Engine

from hubport.domain.customs import Leg
from hubport.domain.places import WagonSlot, YardSlot
from hubport.services import commands
from hubport.services import crane_commands as jobs
from hubport.services import customs_commands as customs
from hubport.services.messagebus import MessageBus
from tests.conftest import box, train
from tests.integration.test_crane_floor import _floor
from tests.integration.test_store import audit_store
from tests.integration.test_store import store as store  # the fixture
from tests.integration.test_train_visit import _run


def _slot(bus: MessageBus, number: str) -> YardSlot:
    with bus.uow_factory() as uow:
        place = uow.inventory.get(number).place
    assert isinstance(place, YardSlot), place
    return place


def _inspected(bus: MessageBus, slot: YardSlot) -> bool:
    site = bus.uow_factory().site
    return all(site.in_inspection_area(slot.block, bay, slot.row) for bay in slot.ground_bays)


def test_an_inspection_moves_the_box_to_the_area_and_back(store: Engine) -> None:
    bus, floor = _floor(store)
    bus.handle(commands.RegisterTrain(train("T100", wagons=8)))
    boxes = [box(index) for index in range(8)]
    for container in boxes:
        bus.handle(commands.AnnounceContainer(container))
    numbers = tuple(container.number for container in boxes)
    bus.handle(customs.LodgeDeclaration("D1", "import", numbers, (Leg("rail", "LAVTE", "CNJGJ"),)))
    consist = tuple((n, WagonSlot("T100", i + 1, "A")) for i, n in enumerate(numbers))
    bus.handle(commands.ArriveTrain("T100", "T1", consist))
    # box 0 is selected while still on its wagon: it lands in the inspection area
    bus.handle(customs.SelectForInspection("D1", numbers[0], "I0", "x-ray image"))
    for index, number in enumerate(numbers):
        bus.handle(jobs.PlanCraneJob(f"discharge:{index}", number, "discharge"))
    _run(bus, floor)
    assert _inspected(bus, _slot(bus, numbers[0].value))
    assert not any(_inspected(bus, _slot(bus, n.value)) for n in numbers[1:])

    # box 1, in the yard, is selected: a crane takes it to the area, one high
    selected = bus.handle(customs.SelectForInspection("D1", numbers[1], "I1", "seal")).result
    assert selected["crane_jobs"][-1] == "I1:to-inspection"
    _run(bus, floor)
    there = _slot(bus, numbers[1].value)
    assert _inspected(bus, there) and there.tier == 1

    lifted = bus.handle(customs.LiftHold("I1", "nothing found")).result
    assert lifted["crane_jobs"][-1] == "I1:from-inspection"
    _run(bus, floor)
    assert not _inspected(bus, _slot(bus, numbers[1].value))
    bus.handle(customs.LiftHold("I0", "cleared"))
    _run(bus, floor)
    assert not _inspected(bus, _slot(bus, numbers[0].value))
    assert audit_store(store) == []
