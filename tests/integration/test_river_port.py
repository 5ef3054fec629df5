"""The river port on the store (SQLite and PostgreSQL): a barge's box is discharged at
Luohuang onto a shuttle, driven to the rail station, stacked by crane work and loaded on
a train, all under one declaration, with the arrival report issued by the discharge;
the box is somewhere at every step, and the audit finds the store sound."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from hubport.domain.container import CustomsStatus
from hubport.domain.customs import Leg
from hubport.domain.errors import HubportError, InvalidOperation, VisitError
from hubport.domain.places import TruckSlot, VesselCell, WagonSlot, YardSlot
from hubport.domain.river import VesselCall
from hubport.domain.visits import TrainVisit, Wagon
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services import river_commands as river
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.messagebus import MessageBus
from hubport.services.train_commands import LoadTrain
from tests.conftest import T0, box, truck
from tests.integration.test_crane_floor import _floor, _open_jobs
from tests.integration.test_store import audit_store, make_bus
from tests.integration.test_store import store as store  # the fixture


def barge(call_id: str = "B1", berth: str = "LH1", hours: float = 0.0) -> VesselCall:
    return VesselCall(
        call_id,
        "Minsheng 18",
        "barge",
        "V2612",
        berth,
        T0 + timedelta(hours=hours),
        T0 + timedelta(hours=hours + 8),
        length_m=85.0,
        origin="CNSHA",
    )


def _place_of(bus: MessageBus, number: str) -> object:
    with bus.uow_factory() as uow:
        return uow.inventory.get(number).place


def test_a_barge_box_goes_by_shuttle_to_a_train_under_one_declaration(store: Engine) -> None:
    bus, floor = _floor(store)
    container = box(1)
    number = container.number
    bus.handle(commands.AnnounceContainer(container))
    legs = (Leg("river", "CNSHA", "CNLOH"), Leg("rail", "CNJGJ", "LAVTE"))
    bus.handle(customs.LodgeDeclaration("J1", "import", (number,), legs))
    bus.handle(river.RegisterVesselCall(barge()))
    cell = VesselCell("B1", 1, 2, 82)
    bus.handle(river.RecordBayPlan("B1", ((number, cell),), source="BAPLIE test"))
    berthed = bus.handle(river.BerthVessel("B1")).result
    assert berthed["aboard"] == [number.value] and _place_of(bus, number.value) == cell

    bus.handle(river.StartShuttle("SH1", "渝D00001", at="river_port"))
    bus.handle(river.DischargeVessel(number, "SH1", "A"))
    with bus.uow_factory() as uow:
        declaration = uow.customs.get("J1")
        assert declaration.state.value == "arrived", "the discharge issued the arrival report"
        assert uow.inventory.get(number).container.customs_status is CustomsStatus.ARRIVED
    bus.handle(river.DriveShuttle("SH1"))
    assert _place_of(bus, number.value) == TruckSlot("SH1", "A"), "on the road, still tracked"
    with pytest.raises(VisitError, match="SH1 still carries"):
        bus.handle(river.EndShuttle("SH1"))
    arrived = bus.handle(river.ShuttleArrives("SH1")).result
    assert arrived["location"] == "station" and arrived["crane_jobs"]
    floor.control.load()
    floor.run(3600, until=lambda: not _open_jobs(bus))
    assert isinstance(_place_of(bus, number.value), YardSlot)
    bus.handle(river.EndShuttle("SH1"))

    bus.handle(customs.ReleaseDeclaration("J1", role="customs"))
    outbound = TrainVisit(
        "OUT7",
        "RS-QZH",
        "outbound",
        tuple(Wagon(n) for n in range(1, 4)),
        arrives=T0,
        departs=T0 + timedelta(hours=3),
    )
    bus.handle(commands.RegisterTrain(outbound))
    bus.handle(commands.ArriveTrain("OUT7", "T2", ()))
    loading = bus.handle(LoadTrain("OUT7", (number,), time_limit=2.0)).result
    assert not loading["left_behind"]
    floor.control.load()
    floor.run(3600, until=lambda: not _open_jobs(bus))
    assert isinstance(_place_of(bus, number.value), WagonSlot)
    with bus.uow_factory() as uow:
        assert [d.id for d in uow.customs.of_boxes([number.value])] == ["J1"]
    bus.handle(commands.DepartTrain("OUT7"))
    bus.handle(river.DepartVessel("B1"))
    assert audit_store(store) == []


def test_berth_windows_and_lengths_are_checked(store: Engine) -> None:
    bus = make_bus(store)
    bus.handle(river.RegisterVesselCall(barge("B1")))
    with pytest.raises(VisitError, match="berth LH1 is taken by B1"):
        bus.handle(river.RegisterVesselCall(barge("B2", hours=4)))
    with pytest.raises(VisitError, match="berth 'LH9' is not at Luohuang"):
        bus.handle(river.RegisterVesselCall(barge("B3", berth="LH9")))
    long_ship = VesselCall("S1", "Big", "ship", "V1", "LH2", T0, T0 + timedelta(hours=5), 180.0)
    with pytest.raises(VisitError, match="180 m, berth LH2 takes 150 m"):
        bus.handle(river.RegisterVesselCall(long_ship))
    bus.handle(river.RegisterVesselCall(barge("B4", hours=8)))  # right after B1: fine
    bus.handle(river.BerthVessel("B1"))
    with pytest.raises(VisitError, match="berth LH1 is taken by vessel call B1"):
        bus.handle(river.BerthVessel("B4"))
    assert audit_store(store) == []


def test_a_vessel_box_cannot_go_to_the_yard_or_a_road_truck(store: Engine) -> None:
    bus = make_bus(store)
    container = box(2)
    bus.handle(commands.AnnounceContainer(container))
    bus.handle(river.RegisterVesselCall(barge()))
    bus.handle(river.RecordBayPlan("B1", ((container.number, VesselCell("B1", 3, 1, 2)),)))
    bus.handle(river.BerthVessel("B1"))
    with pytest.raises(InvalidOperation, match="a vessel lies at the river port"):
        bus.handle(commands.MoveContainer(container.number, YardSlot("A", 3, 1, 1)))
    bus.handle(river.StartShuttle("SH2", "渝D00002", at="station"))
    with pytest.raises(InvalidOperation, match="is not at the river port"):
        bus.handle(river.DischargeVessel(container.number, "SH2", "A"))
    assert _place_of(bus, container.number.value) == VesselCell("B1", 3, 1, 2)
    assert audit_store(store) == []


def test_a_held_box_rides_the_shuttle_but_is_not_loaded_on_a_vessel(store: Engine) -> None:
    bus = make_bus(store)
    container = box(3)
    number = container.number
    bus.handle(commands.AnnounceContainer(container))
    legs = (Leg("river", "CNLOH", "CNSHA"),)
    bus.handle(customs.LodgeDeclaration("E1", "export", (number,), legs))
    bus.handle(commands.GateIn(truck("TV3"), ((number, "A"),)))
    bus.handle(commands.MoveContainer(number, YardSlot("A", 3, 1, 1)))
    bus.handle(commands.GateOut("TV3"))
    bus.handle(customs.PlaceHold(number, "H1", "documents", role="customs"))
    bus.handle(river.StartShuttle("SH3", "渝D00003", at="station"))
    bus.handle(commands.MoveContainer(number, TruckSlot("SH3", "A")))  # inside the area
    bus.handle(river.DriveShuttle("SH3"))
    assert bus.handle(river.ShuttleArrives("SH3")).result["location"] == "river_port"
    bus.handle(river.RegisterVesselCall(barge(), load_list=(number,)))
    bus.handle(river.BerthVessel("B1"))
    with pytest.raises(HubportError, match="may not be loaded"):
        bus.handle(river.LoadVessel(number, VesselCell("B1", 1, 1, 2)))
    with pytest.raises(VisitError, match="SH3 still carries"):
        bus.handle(river.EndShuttle("SH3"))
    bus.handle(customs.LiftHold("H1", "checked", role="customs"))
    bus.handle(customs.ReleaseDeclaration("E1", role="customs"))
    other = box(4)
    bus.handle(commands.AnnounceContainer(other))
    with pytest.raises(InvalidOperation, match="not on the load list"):
        bus.handle(river.LoadVessel(other.number, VesselCell("B1", 1, 1, 4)))
    bus.handle(river.LoadVessel(number, VesselCell("B1", 1, 1, 2)))
    bus.handle(river.EndShuttle("SH3"))
    departed = bus.handle(river.DepartVessel("B1")).result
    assert departed["boxes"] == [number.value]
    assert audit_store(store) == []


def test_a_held_box_gets_a_crane_job_onto_a_shuttle_but_not_onto_a_road_truck(
    store: Engine,
) -> None:
    bus = make_bus(store)
    container = box(5)
    number = container.number
    bus.handle(commands.AnnounceContainer(container))
    bus.handle(commands.GateIn(truck("TV5"), ((number, "A"),)))
    bus.handle(commands.MoveContainer(number, YardSlot("A", 3, 1, 1)))
    bus.handle(commands.GateOut("TV5"))
    bus.handle(customs.PlaceHold(number, "H5", "documents", role="customs"))
    bus.handle(commands.GateIn(truck("TV6"), ()))
    with pytest.raises(InvalidOperation, match="under a customs hold"):
        bus.handle(PlanCraneJob("to-road", number, "delivery", TruckSlot("TV6", "A")))
    bus.handle(river.StartShuttle("SH5", "渝D00005", at="station"))
    sent = bus.handle(river.SendToRiverPort(number, "SH5", "A")).result
    assert sent["to"] == "truck:SH5:A" and [w["box"] for w in sent["work"]] == [number.value]
    assert audit_store(store) == []
