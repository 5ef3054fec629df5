from __future__ import annotations

from typing import Any

import pytest

from hubport.domain.container import CustomsStatus
from hubport.domain.errors import ConcurrentUpdate, PlaceOccupied
from hubport.domain.invariants import violations
from hubport.domain.inventory import Inventory
from hubport.domain.places import TruckSlot, WagonSlot, YardSlot
from hubport.domain.site import Site
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import IdempotencyConflict, MessageBus
from tests.conftest import T0, box, train, truck
from tests.unit.services.fakes import FakeStore, FakeUnitOfWork


@pytest.fixture
def store(site: Site) -> FakeStore:
    return FakeStore(site)


@pytest.fixture
def bus(store: FakeStore) -> MessageBus:
    return MessageBus(
        lambda: FakeUnitOfWork(store), ManualClock(T0), COMMAND_HANDLERS, EVENT_HANDLERS
    )


def state(store: FakeStore) -> Inventory:
    return FakeUnitOfWork(store).inventory


def test_repeated_message_is_acknowledged_and_changes_nothing(
    bus: MessageBus, store: FakeStore
) -> None:
    first = bus.handle(commands.AnnounceContainer(box(1), idempotency_key="coprar-1"))
    events = len(store.events)
    again = bus.handle(commands.AnnounceContainer(box(1), idempotency_key="coprar-1"))
    assert again.repeat and not first.repeat
    assert again.result == first.result
    assert len(store.events) == events


def test_key_reused_for_other_content_is_refused(bus: MessageBus, store: FakeStore) -> None:
    bus.handle(commands.AnnounceContainer(box(1), idempotency_key="coprar-1"))
    with pytest.raises(IdempotencyConflict, match="coprar-1"):
        bus.handle(commands.AnnounceContainer(box(2), idempotency_key="coprar-1"))
    assert box(2).number.value not in state(store).records


def test_failed_command_applies_nothing(bus: MessageBus, store: FakeStore) -> None:
    bus.handle(commands.AnnounceContainer(box(1)))
    bus.handle(commands.RegisterTrain(train("T100")))
    consist = (
        (box(1).number, WagonSlot("T100", 1, "A")),
        (box(2).number, WagonSlot("T100", 2, "A")),  # never announced
    )
    before = len(store.events)
    with pytest.raises(Exception, match="no container"):
        bus.handle(commands.ArriveTrain("T100", "T1", consist, idempotency_key="arrive"))
    assert len(store.events) == before
    assert state(store).train("T100").state == "expected"
    assert "arrive" not in store.inbox


def test_first_set_down_of_a_declared_box_reports_its_arrival(
    bus: MessageBus, store: FakeStore
) -> None:
    declared = box(1, customs_status=CustomsStatus.DECLARED)
    bus.handle(commands.AnnounceContainer(declared))
    bus.handle(commands.RegisterTrain(train("T100")))
    bus.handle(commands.ArriveTrain("T100", "T1", ((declared.number, WagonSlot("T100", 1, "A")),)))
    outcome = bus.handle(commands.MoveContainer(declared.number, None, reason="discharge"))
    names = [type(event).__name__ for event in outcome.events]
    assert names == ["ContainerMoved", "CustomsStatusChanged"]
    assert state(store).get(declared.number).container.customs_status is CustomsStatus.ARRIVED


def test_move_without_destination_chooses_a_legal_slot_in_the_cranes_zone(
    bus: MessageBus, store: FakeStore, site: Site
) -> None:
    bus.handle(commands.AnnounceContainer(box(1)))
    bus.handle(commands.RegisterTrain(train("T100", wagons=20)))
    bus.handle(commands.ArriveTrain("T100", "T1", ((box(1).number, WagonSlot("T100", 18, "A")),)))
    outcome = bus.handle(commands.MoveContainer(box(1).number, None))
    move = outcome.result["moves"][0]
    slot = state(store).get(box(1).number).place
    assert isinstance(slot, YardSlot) and move["to"] == str(slot)
    assert site.crane(move["crane"]).covers(site.slot_x(slot))


def test_retrieval_relocates_the_boxes_above_first(bus: MessageBus, store: FakeStore) -> None:
    bus.handle(commands.RegisterTrain(train("T100")))
    wanted, blocker = box(1), box(2)
    for container in (wanted, blocker):
        bus.handle(commands.AnnounceContainer(container))
    bus.handle(
        commands.ArriveTrain(
            "T100",
            "T1",
            (
                (wanted.number, WagonSlot("T100", 1, "A")),
                (blocker.number, WagonSlot("T100", 1, "B")),
            ),
        )
    )
    bus.handle(commands.MoveContainer(wanted.number, YardSlot("A", 9, 1, 1), crane="ARMG1"))
    bus.handle(commands.MoveContainer(blocker.number, YardSlot("A", 9, 1, 2), crane="ARMG1"))
    bus.handle(commands.GateIn(truck("TV1")))
    outcome = bus.handle(
        commands.RetrieveContainer(wanted.number, TruckSlot("TV1", "A"), reason="delivery")
    )
    reasons = [move["reason"] for move in outcome.result["moves"]]
    assert reasons == ["relocation", "delivery"]
    inventory = state(store)
    relocated = inventory.get(blocker.number).place
    assert isinstance(relocated, YardSlot) and (relocated.bay, relocated.row) != (9, 1)
    assert violations(inventory) == []


def test_occupied_destination_is_refused_and_nothing_moves(
    bus: MessageBus, store: FakeStore
) -> None:
    bus.handle(commands.RegisterTrain(train("T100")))
    for container in (box(1), box(2)):
        bus.handle(commands.AnnounceContainer(container))
    bus.handle(
        commands.ArriveTrain(
            "T100",
            "T1",
            (
                (box(1).number, WagonSlot("T100", 1, "A")),
                (box(2).number, WagonSlot("T100", 1, "B")),
            ),
        )
    )
    bus.handle(commands.MoveContainer(box(1).number, YardSlot("A", 9, 1, 1)))
    with pytest.raises(PlaceOccupied):
        bus.handle(commands.MoveContainer(box(2).number, YardSlot("A", 9, 1, 1)))
    assert str(state(store).get(box(2).number).place) == "wagon:T100:01:B"


def test_a_command_that_keeps_losing_races_gets_through_on_an_exclusive_try(
    store: FakeStore,
) -> None:
    """The hub's own writers may win every optimistic try; the last one takes the lock."""
    tries: list[bool] = []

    class Raced(FakeUnitOfWork):
        def commit(self, cause: Any) -> None:
            tries.append(self.exclusive)
            if not self.exclusive:
                raise ConcurrentUpdate("another writer committed first")
            super().commit(cause)

    bus = MessageBus(lambda: Raced(store), ManualClock(T0), COMMAND_HANDLERS, EVENT_HANDLERS)
    bus.handle(commands.AnnounceContainer(box(1)))
    assert tries == [False, False, False, False, True]
    assert box(1).number.value in state(store).records
