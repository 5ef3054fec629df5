"""A train's whole visit on the store (SQLite and PostgreSQL): a service's train arrives,
its discharge list becomes crane work (one box straight onto the truck waiting for it),
a departing train is loaded to its CP-SAT plan by crane jobs, and leaves; bad lists are
refused with nothing applied."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from hubport.cranes.floor import CraneFloor
from hubport.domain.errors import HubportError, InvalidOperation, VisitError
from hubport.domain.places import TruckSlot, WagonSlot, YardSlot
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon
from hubport.services import commands
from hubport.services.messagebus import MessageBus
from hubport.services.train_commands import DischargeTrain, LoadTrain
from tests.conftest import T0, box
from tests.integration.test_crane_floor import _floor, _open_jobs
from tests.integration.test_store import audit_store
from tests.integration.test_store import store as store  # the fixture

WAGONS = 6


def _visit(train_id: str, service: str, direction: str, wagons: int = WAGONS) -> TrainVisit:
    return TrainVisit(
        train_id,
        service,
        direction,  # type: ignore[arg-type]
        tuple(Wagon(n) for n in range(1, wagons + 1)),
        arrives=T0,
        departs=T0 + timedelta(hours=3),
    )


def _inbound(bus: MessageBus) -> list[tuple[str, WagonSlot]]:
    """Train IN1 of service RS-QZH-N on track T1: wagons 1-4 with two 20', 5-6 one 40'."""
    bus.handle(commands.RegisterTrain(_visit("IN1", "RS-QZH-N", "inbound")))
    consist = []
    for wagon in range(1, WAGONS + 1):
        spots = ("A", "B") if wagon <= 4 else ("AB",)
        for spot in spots:
            index = len(consist)
            container = box(index, "42G1" if spot == "AB" else "22G1", 18_000 + 500 * index)
            bus.handle(commands.AnnounceContainer(container))
            consist.append((container.number.value, WagonSlot("IN1", wagon, spot)))  # type: ignore[arg-type]
    bus.handle(
        commands.ArriveTrain(
            "IN1", "T1", tuple((box(i).number, s) for i, (_, s) in enumerate(consist))
        )
    )
    return consist


def _run(bus: MessageBus, floor: CraneFloor) -> None:
    floor.control.load()
    floor.run(4 * 3600, until=lambda: not _open_jobs(bus))
    assert not _open_jobs(bus)


def test_a_train_visit_from_discharge_to_departure_by_crane_work(store: Engine) -> None:
    bus, floor = _floor(store)
    consist = _inbound(bus)
    waiting, collected = "TV1", box(2).number.value  # on wagon 02 A
    bus.handle(commands.GateIn(TruckVisit(waiting, "渝A12345", collects=(collected,))))

    discharge = bus.handle(DischargeTrain("IN1")).result
    assert discharge["direct"] == [collected]
    assert {item["box"] for item in discharge["work"]} == {n for n, _ in consist}
    again = bus.handle(DischargeTrain("IN1")).result  # the list once more: nothing new
    assert again["work"] == [] and len(again["skipped"]) == len(consist)
    _run(bus, floor)
    with bus.uow_factory() as uow:
        places = {n: uow.inventory.get(n).place for n, _ in consist}
    assert places[collected] == TruckSlot(waiting, "A"), "a direct transfer, no yard move"
    assert all(isinstance(p, YardSlot) for n, p in places.items() if n != collected)
    bus.handle(commands.GateOut(waiting))

    bus.handle(commands.RegisterTrain(_visit("OUT1", "RS-QZH", "outbound")))
    bus.handle(commands.ArriveTrain("OUT1", "T2", ()))
    booked = tuple(box(i).number for i in range(len(consist)) if box(i).number.value != collected)
    loading = bus.handle(LoadTrain("OUT1", booked, time_limit=2.0)).result
    assert loading["status"] == "optimal" and not loading["left_behind"]
    planned = {
        a["box"]: WagonSlot("OUT1", int(a["wagon"]), a["position"]) for a in loading["assignments"]
    }
    assert set(planned) == {n.value for n in booked}
    assert {item["box"] for item in loading["work"]} == set(planned)
    _run(bus, floor)
    with bus.uow_factory() as uow:
        assert {n: uow.inventory.get(n).place for n in planned} == planned
    departed = bus.handle(commands.DepartTrain("OUT1")).result
    assert sorted(departed["boxes"]) == sorted(planned)
    assert audit_store(store) == []


def test_a_discharge_list_that_does_not_match_the_wagons_is_refused_whole(
    store: Engine,
) -> None:
    bus, _ = _floor(store)
    consist = _inbound(bus)
    (first, first_slot), (second, _) = consist[0], consist[1]
    wrong = ((box(0).number, first_slot), (box(1).number, first_slot))
    with pytest.raises(InvalidOperation, match=rf"{second}: is listed at {first_slot}"):
        bus.handle(DischargeTrain("IN1", wrong))
    twice = ((box(0).number, first_slot), (box(0).number, first_slot))
    with pytest.raises(InvalidOperation, match=f"{first}: is twice on the discharge list"):
        bus.handle(DischargeTrain("IN1", twice))
    assert _open_jobs(bus) == [], "nothing of a refused list is applied"
    listed = bus.handle(DischargeTrain("IN1", ((box(0).number, first_slot),))).result
    assert [item["box"] for item in listed["work"]] == [first]


def test_a_train_that_does_not_match_its_service_or_wagons_is_refused(store: Engine) -> None:
    bus, _ = _floor(store)
    odd = TrainVisit("BAD1", "RS-QZH", "outbound", (Wagon(1), Wagon(2, "X99")))
    with pytest.raises(VisitError, match="wagon 02: type 'X99' is not a wagon type"):
        bus.handle(commands.RegisterTrain(odd))
    with pytest.raises(VisitError, match="60 wagons, service RS-QZH allows 50"):
        bus.handle(commands.RegisterTrain(_visit("BAD2", "RS-QZH", "outbound", wagons=60)))
    bus.handle(commands.RegisterTrain(_visit("IN2", "RS-QZH-N", "inbound")))
    for index in range(2):
        bus.handle(commands.AnnounceContainer(box(index)))
    double = ((box(0).number, WagonSlot("IN2", 1, "A")), (box(1).number, WagonSlot("IN2", 1, "A")))
    with pytest.raises(HubportError, match="slot wagon:IN2:01:A is double-booked"):
        bus.handle(commands.ArriveTrain("IN2", "T1", double))
    with bus.uow_factory() as uow:
        assert uow.inventory.train("IN2").state == "expected", "the refused arrival left no trace"
        assert uow.inventory.find_train("BAD1") is None
    assert audit_store(store) == []
