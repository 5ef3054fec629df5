"""Customs and the gate on the store (SQLite and PostgreSQL): declarations, holds and
appointments are kept, read back under version, and refused steps leave nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from hubport.domain.customs import CustomsRefused, Leg
from hubport.domain.gate import GateRefused
from hubport.domain.places import WagonSlot, parse_place
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services import gate_commands as gate
from hubport.services.queries import Queries
from tests.conftest import T0, box, train
from tests.integration.test_store import audit_store, make_bus
from tests.integration.test_store import store as store  # the fixture

PLATE = "渝A12345"


def test_a_declaration_is_reported_held_released_and_read_back(store: Engine) -> None:
    bus = make_bus(store)
    bus.handle(commands.RegisterTrain(train("T100", wagons=2)))
    for index in range(2):
        bus.handle(commands.AnnounceContainer(box(index)))
    numbers = (box(0).number, box(1).number)
    legs = (Leg("rail", "LAVTE", "CNJGJ"), Leg("river", "CNLOH", "CNSHA"))
    bus.handle(customs.LodgeDeclaration("D1", "import", numbers, legs))
    consist = tuple((box(i).number, WagonSlot("T100", i + 1, "A")) for i in range(2))
    bus.handle(commands.ArriveTrain("T100", "T1", consist))
    bus.handle(commands.MoveContainer(box(0).number, parse_place("yard:A-03-01-1")))
    bus.handle(customs.SelectForInspection("D1", box(1).number, "I1", "x-ray"))
    with pytest.raises(CustomsRefused, match="hold I1: exists already"):
        bus.handle(customs.PlaceHold(box(1).number, "I1", "again"))
    bus.handle(customs.LiftHold("I1", "nothing found"))
    bus.handle(customs.ReleaseDeclaration("D1"))
    site = bus.uow_factory().site
    queries = Queries(store, site)
    record = queries.customs_of(box(1).number.value)
    assert record["status"] == "released"
    (declaration,) = record["declarations"]
    assert declaration["state"] == "released" and declaration["arrived_at"]
    assert declaration["legs"] == ["rail LAVTE→CNJGJ", "river CNLOH→CNSHA"]
    assert [h["hold"] for h in record["holds"]] == ["I1"] and record["holds"][0]["lifted_at"]
    assert [d["declaration"] for d in queries.declarations()] == ["D1"]
    assert audit_store(store) == []


def test_appointments_and_a_truck_through_the_gate(store: Engine) -> None:
    bus = make_bus(store)
    bus.handle(commands.AnnounceContainer(box(3)))
    bus.handle(gate.BookAppointment("A1", PLATE, "deliver", box(3).number, T0))
    bus.handle(gate.ChangeAppointment("A1", T0 + timedelta(minutes=40)))
    with pytest.raises(GateRefused, match="is booked already"):
        bus.handle(gate.BookAppointment("A1", PLATE, "deliver", box(3).number, T0))
    site = bus.uow_factory().site
    (listed,) = Queries(store, site).appointments(T0, T0 + timedelta(days=1))
    assert listed["changes"] == 1 and listed["window"][0].startswith("2026-12-01T06:30")
    bus.clock.advance(40 * 60)  # type: ignore[attr-defined]
    result = bus.handle(gate.TruckAtGate("TV1", PLATE, "A1", box(3).number.value, 0.99)).result
    assert result["lane"] == "in" and result["crane_jobs"] == ["TV1:receipt"]
    again = bus.handle(gate.TruckAtGate("TV2", PLATE, "A1", box(3).number.value, 0.99)).result
    assert again["lane"] == "exception" and "appointment A1 is used" in again["reasons"]
    assert audit_store(store) == []
