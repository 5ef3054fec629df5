"""The gate on the bus: appointments within window capacity, the in-gate's checks (a
mismatch goes to the exception lane and changes nothing else), the linkage to crane work,
and the out-gate's refusals under a customs hold or unpaid charges."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from hubport.domain.customs import Leg
from hubport.domain.gate import GateException, GateRefused
from hubport.domain.places import parse_place
from hubport.domain.site import Site
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services import gate_commands as gate
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from tests.conftest import T0, box
from tests.unit.services.fakes import FakeStore, FakeUnitOfWork

PLATE = "渝A12345"


def _bus(site: Site, trucks: int = 30) -> tuple[MessageBus, FakeStore, ManualClock]:
    store = FakeStore(dataclasses.replace(site, gate=dataclasses.replace(site.gate, trucks=trucks)))
    clock = ManualClock(T0)
    bus = MessageBus(lambda: FakeUnitOfWork(store), clock, COMMAND_HANDLERS, EVENT_HANDLERS)
    return bus, store, clock


def _in_yard(bus: MessageBus, index: int) -> None:
    """A box delivered earlier, standing in the yard."""
    bus.handle(commands.AnnounceContainer(box(index)))
    bus.handle(
        commands.GateIn(commands.TruckVisit(f"EARLIER{index}", "渝B1"), ((box(index).number, "A"),))
    )
    bus.handle(
        commands.MoveContainer(box(index).number, parse_place(f"yard:A-{2 * index + 1:02d}-01-1"))
    )
    bus.handle(commands.GateOut(f"EARLIER{index}"))


def test_a_full_window_refuses_the_booking_and_names_the_next_free_one(site: Site) -> None:
    bus, _, _ = _bus(site, trucks=2)
    for index in range(3):
        bus.handle(commands.AnnounceContainer(box(index)))
    at = T0 + timedelta(hours=2)
    for index in range(2):
        bus.handle(gate.BookAppointment(f"A{index}", PLATE, "deliver", box(index).number, at))
    with pytest.raises(
        GateRefused, match=r"is full \(2 trucks\); the next free window starts 08:30"
    ):
        bus.handle(gate.BookAppointment("A2", PLATE, "deliver", box(2).number, at))
    bus.handle(gate.CancelAppointment("A0", "plans changed"))
    booked = bus.handle(gate.BookAppointment("A2", PLATE, "deliver", box(2).number, at)).result
    assert booked["window"][0].startswith("2026-12-01T08:00")


def test_a_truck_that_matches_its_appointment_goes_in_and_its_crane_work_is_planned(
    site: Site,
) -> None:
    bus, store, clock = _bus(site)
    container = dataclasses.replace(box(1), seal="SL123")
    bus.handle(commands.AnnounceContainer(container))
    bus.handle(gate.BookAppointment("A1", PLATE, "deliver", container.number, T0))
    clock.advance(600)
    result = bus.handle(
        gate.TruckAtGate("TV1", PLATE, "A1", container.number.value, 0.98, seal="SL123")
    ).result
    assert result["lane"] == "in" and result["crane_jobs"] == ["TV1:receipt"]
    uow = FakeUnitOfWork(store)
    assert str(uow.inventory.get(container.number).place) == "truck:TV1:A"
    assert uow.appointments.get("A1").state.value == "used"
    assert uow.crane_jobs.get("TV1:receipt").reason == "receipt"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"plate": "渝C99999"}, "plate 渝C99999 is not the booked"),
        ({"read": "HPTU0000O17"}, "misread"),
        ({"confidence": 0.5}, "camera confidence 0.50 below 0.90"),
        ({"seal": "SL999"}, "seal SL999 is not the announced SL123"),
        ({"appointment": "A9"}, "no appointment A9"),
    ],
)
def test_a_mismatch_sends_the_truck_to_the_exception_lane_and_changes_nothing_else(
    site: Site, change: dict[str, object], reason: str
) -> None:
    bus, store, _ = _bus(site)
    container = dataclasses.replace(box(1), seal="SL123")
    bus.handle(commands.AnnounceContainer(container))
    bus.handle(gate.BookAppointment("A1", PLATE, "deliver", container.number, T0))
    arrival = gate.TruckAtGate("TV1", PLATE, "A1", container.number.value, 0.98, seal="SL123")
    result = bus.handle(dataclasses.replace(arrival, **change)).result  # type: ignore[arg-type]
    assert result["lane"] == "exception" and any(reason in r for r in result["reasons"])
    uow = FakeUnitOfWork(store)
    assert uow.inventory.find_truck("TV1") is None and uow.crane_jobs.open_jobs() == []
    assert uow.appointments.get("A1").state.value == "booked"
    assert isinstance(store.events[-1], GateException)
    if "read" in change:
        assert result["suggestion"] == container.number.value, "suggested, not applied"


def test_the_out_gate_refuses_a_held_or_unpaid_box(site: Site) -> None:
    bus, store, clock = _bus(site)
    _in_yard(bus, 1)
    _in_yard(bus, 2)
    bus.handle(gate.BookAppointment("C1", PLATE, "collect", box(1).number, T0 + timedelta(hours=1)))
    bus.handle(gate.BookAppointment("C2", PLATE, "collect", box(2).number, T0 + timedelta(hours=1)))
    store.unpaid[box(2).number.value] = f"box {box(2).number.value}: MSK owes CNY 424.00"
    clock.advance(3600)
    first = bus.handle(gate.TruckAtGate("TV1", PLATE, "C1", box(1).number.value, 0.99)).result
    assert first["lane"] == "in" and first["crane_jobs"] == ["TV1:delivery"]
    bus.handle(commands.MoveContainer(box(1).number, parse_place("truck:TV1:A")))
    bus.handle(
        customs.LodgeDeclaration("D1", "import", (box(1).number,), (Leg("road", "CNJGJ", "CNCKG"),))
    )
    bus.handle(customs.PlaceHold(box(1).number, "H1", "late risk hit"))
    with pytest.raises(GateRefused, match=r"box .* is under customs held"):
        bus.handle(gate.TruckLeaves("TV1"))
    bus.handle(customs.LiftHold("H1", "cleared"))
    bus.handle(customs.ReleaseDeclaration("D1"))
    assert bus.handle(gate.TruckLeaves("TV1")).result["lane"] == "out"
    bus.handle(gate.TruckAtGate("TV2", PLATE, "C2", box(2).number.value, 0.99))
    bus.handle(commands.MoveContainer(box(2).number, parse_place("truck:TV2:A")))
    with pytest.raises(GateRefused, match=r"MSK owes CNY 424\.00"):
        bus.handle(gate.TruckLeaves("TV2"))
    assert FakeUnitOfWork(store).inventory.truck("TV2").state == "on_site"
