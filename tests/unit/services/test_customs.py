"""Customs on the bus: a declaration's life, the automatic arrival report, holds and
inspections only by customs, transit carried on, and no held box ever leaving."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubport.domain.container import CustomsStatus
from hubport.domain.customs import CustomsRefused, Leg, UndeclaredArrival
from hubport.domain.errors import HubportError
from hubport.domain.places import TruckSlot, WagonSlot
from hubport.domain.site import Site
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services.clock import ManualClock
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.customs_handlers import RoleRefused
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from tests.conftest import T0, box
from tests.unit.services.fakes import FakeStore, FakeUnitOfWork

RAIL = (Leg("rail", "LAVTE", "CNJGJ"),)
JOINT = (Leg("rail", "LAVTE", "CNJGJ"), Leg("river", "CNLOH", "CNSHA"))


def _bus(site: Site) -> tuple[MessageBus, FakeStore, ManualClock]:
    store = FakeStore(site)
    clock = ManualClock(T0)
    bus = MessageBus(lambda: FakeUnitOfWork(store), clock, COMMAND_HANDLERS, EVENT_HANDLERS)
    return bus, store, clock


def _status(store: FakeStore, index: int) -> CustomsStatus:
    return FakeUnitOfWork(store).inventory.get(box(index).number).container.customs_status


def _train_in(bus: MessageBus, count: int, service: str = "CL-VTE-N") -> None:
    wagons = tuple(Wagon(n) for n in range(1, count + 1))
    bus.handle(commands.RegisterTrain(TrainVisit("IN1", service, "inbound", wagons)))
    for index in range(count):
        bus.handle(commands.AnnounceContainer(box(index)))
    consist = tuple((box(i).number, WagonSlot("IN1", i + 1, "A")) for i in range(count))
    bus.handle(commands.ArriveTrain("IN1", "T1", consist))


def _declare(bus: MessageBus, declaration: str, *indices: int, legs: tuple[Leg, ...] = RAIL):
    numbers = tuple(box(i).number for i in indices)
    return bus.handle(customs.LodgeDeclaration(declaration, "import", numbers, legs)).result


def _discharge(bus: MessageBus, index: int, slot: str = "yard:A-03-01-1") -> None:
    from hubport.domain.places import parse_place

    bus.handle(commands.MoveContainer(box(index).number, parse_place(slot)))


def test_an_advance_declaration_gets_its_arrival_report_at_the_first_set_down(site: Site) -> None:
    bus, store, clock = _bus(site)
    _train_in(bus, 2)
    lodged = _declare(bus, "D1", 0, 1)
    assert lodged["state"] == "lodged" and _status(store, 0) is CustomsStatus.DECLARED
    clock.advance(300)
    _discharge(bus, 0)
    declaration = FakeUnitOfWork(store).customs.get("D1")
    assert declaration.state.value == "arrived" and declaration.arrived_at == clock.now()
    assert "arrival report" in declaration.note and "yard:A-03-01-1" in declaration.note
    assert _status(store, 0) is _status(store, 1) is CustomsStatus.ARRIVED
    _discharge(bus, 1, "yard:A-05-01-1")  # the second box: the report was issued once
    assert FakeUnitOfWork(store).customs.get("D1").arrived_at == T0 + timedelta(minutes=5)


def test_a_declaration_lodged_after_arrival_is_reported_at_once(site: Site) -> None:
    bus, _, _ = _bus(site)
    _train_in(bus, 1)
    _discharge(bus, 0)
    assert _declare(bus, "D1", 0)["state"] == "arrived"


def test_only_customs_may_hold_inspect_or_release(site: Site) -> None:
    bus, store, _ = _bus(site)
    _train_in(bus, 1)
    _declare(bus, "D1", 0)
    number = box(0).number
    for command in (
        customs.PlaceHold(number, "H1", "risk", role="operator"),
        customs.ReleaseDeclaration("D1", role="shipper"),
        customs.SelectForInspection("D1", number, "I1", "x-ray", role="admin"),
    ):
        with pytest.raises(RoleRefused, match="only customs may"):
            bus.handle(command)
    with pytest.raises(RoleRefused, match="role 'broker' is not one of"):
        bus.handle(customs.ReleaseDeclaration("D1", role="broker"))
    with pytest.raises(RoleRefused, match=r"only .* may lodge"):
        bus.handle(customs.LodgeDeclaration("D2", "import", (number,), RAIL, role="viewer"))
    assert FakeUnitOfWork(store).customs.get("D1").state.value == "lodged"


def test_the_declaration_state_machine_refuses_steps_out_of_order(site: Site) -> None:
    bus, _, _ = _bus(site)
    _train_in(bus, 1)
    _declare(bus, "D1", 0)
    bus.handle(customs.ReportArrival("D1"))
    with pytest.raises(CustomsRefused, match="is arrived: arrival reported"):
        bus.handle(customs.ReportArrival("D1"))
    bus.handle(customs.ReleaseDeclaration("D1"))
    with pytest.raises(CustomsRefused, match="cannot go from released to cancelled"):
        bus.handle(customs.CancelDeclaration("D1", "changed my mind"))
    assert _declare(bus, "D2", 0)["state"] == "lodged", "released: a new one may be lodged"
    with pytest.raises(CustomsRefused, match="is declared already under D2"):
        _declare(bus, "D3", 0)


def test_a_held_box_gets_no_crane_job_to_a_carrier_until_released(site: Site) -> None:
    bus, store, _ = _bus(site)
    _train_in(bus, 1)
    _declare(bus, "D1", 0)
    _discharge(bus, 0)
    number = box(0).number
    bus.handle(customs.PlaceHold(number, "H1", "risk profile"))
    bus.handle(customs.ReleaseDeclaration("D1"))
    assert _status(store, 0) is CustomsStatus.HELD, "an open hold outlasts the release"
    bus.handle(commands.GateIn(TruckVisit("TV1", "渝A1")))
    with pytest.raises(HubportError, match="under a customs hold"):
        bus.handle(PlanCraneJob("j1", number, "delivery", TruckSlot("TV1", "A")))
    bus.handle(customs.LiftHold("H1", "cleared"))
    assert _status(store, 0) is CustomsStatus.RELEASED
    bus.handle(PlanCraneJob("j1", number, "delivery", TruckSlot("TV1", "A")))


def test_an_inspection_selects_the_declaration_until_customs_lifts_it(site: Site) -> None:
    bus, store, _ = _bus(site)
    _train_in(bus, 2)
    _declare(bus, "D1", 0, 1)
    _discharge(bus, 0)
    bus.handle(customs.SelectForInspection("D1", box(1).number, "I1", "x-ray"))
    book = FakeUnitOfWork(store).customs
    assert (
        book.get("D1").state.value == "selected" and book.status_of(box(1).number.value) == "held"
    )
    with pytest.raises(CustomsRefused, match="not covered by D1"):
        bus.handle(customs.SelectForInspection("D1", box(5).number, "I2", "x-ray"))
    bus.handle(customs.LiftHold("I1", "nothing found"))
    assert FakeUnitOfWork(store).customs.get("D1").state.value == "arrived"
    bus.handle(customs.ReleaseDeclaration("D1"))
    assert _status(store, 1) is CustomsStatus.RELEASED


def test_joint_clearance_covers_the_river_leg_with_no_second_declaration(site: Site) -> None:
    bus, store, _ = _bus(site)
    _train_in(bus, 1)
    lodged = _declare(bus, "D1", 0, legs=JOINT)
    assert lodged["legs"] == ["rail LAVTE→CNJGJ", "river CNLOH→CNSHA"]
    assert FakeUnitOfWork(store).customs.get("D1").covers("river")


def test_a_transit_is_carried_on_to_the_next_leg_without_re_keying(site: Site) -> None:
    bus, _, _ = _bus(site)
    _train_in(bus, 2)
    numbers = (box(0).number, box(1).number)
    sea = (Leg("sea", "SGSIN", "CNQZH"), Leg("rail", "CNQZH", "CNJGJ"))
    bus.handle(customs.LodgeDeclaration("T1", "transit", numbers, sea, office="NNQZ"))
    with pytest.raises(CustomsRefused, match="release it first"):
        bus.handle(customs.ContinueTransit("T1", "T2", (Leg("river", "CNJGJ", "CNSHA"),)))
    bus.handle(customs.ReportArrival("T1"))
    bus.handle(customs.ReleaseDeclaration("T1"))
    onward = bus.handle(
        customs.ContinueTransit("T1", "T2", (Leg("river", "CNJGJ", "CNSHA"),))
    ).result
    assert onward["boxes"] == sorted(n.value for n in numbers)
    assert onward["office"] == "NNQZ" and onward["continues"] == "T1"
    assert onward["kind"] == "transit" and onward["derived_from"] == "T1"


def test_a_box_off_an_international_train_without_a_declaration_is_flagged(site: Site) -> None:
    bus, store, _ = _bus(site)
    _train_in(bus, 1, service="CL-VTE-N")
    flagged = [e for e in store.events if isinstance(e, UndeclaredArrival)]
    assert [e.number for e in flagged] == [box(0).number.value]
    domestic, domestic_store, _ = _bus(site)
    _train_in(domestic, 1, service="RS-QZH-N")
    assert not [e for e in domestic_store.events if isinstance(e, UndeclaredArrival)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["hold", "lift", "release", "deliver", "load"]), max_size=12))
def test_no_held_box_ever_leaves_or_is_loaded(steps: list[str]) -> None:
    from hubport.adapters.site_file import read_site_file

    site = read_site_file(None)[0]
    bus, store, clock = _bus(site)
    _train_in(bus, 1)
    _declare(bus, "D1", 0)
    _discharge(bus, 0)
    bus.handle(commands.GateIn(TruckVisit("TV1", "渝A1")))
    outbound = TrainVisit("OUT1", "RS-QZH", "outbound", (Wagon(1),))
    bus.handle(commands.RegisterTrain(outbound))
    bus.handle(commands.ArriveTrain("OUT1", "T2", ()))
    number, holds = box(0).number, 0
    for step in steps:
        clock.advance(60)
        held = _status(store, 0) is CustomsStatus.HELD
        before = FakeUnitOfWork(store).inventory.get(number).place
        try:
            if step == "hold":
                holds += 1
                bus.handle(customs.PlaceHold(number, f"H{holds}", "risk"))
            elif step == "lift" and holds:
                bus.handle(customs.LiftHold(f"H{holds}", "cleared"))
            elif step == "release":
                bus.handle(customs.ReleaseDeclaration("D1"))
            elif step == "deliver":
                bus.handle(commands.MoveContainer(number, TruckSlot("TV1", "A")))
                bus.handle(commands.GateOut("TV1"))
            elif step == "load":
                bus.handle(commands.MoveContainer(number, WagonSlot("OUT1", 1, "A")))
                bus.handle(commands.DepartTrain("OUT1"))
        except HubportError:
            pass
        record = FakeUnitOfWork(store).inventory.get(number)
        if held:
            assert record.state.value != "departed", "a held box left the hub"
            assert record.place == before, "a held box was loaded"
        if record.state.value == "departed":
            break
