"""The river port's use cases: vessel calls in their berth windows, bay plans and load
lists, boxes worked between a vessel and a shuttle, and the shuttles' trips to the rail
station, where the boxes they bring get their crane work as they arrive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import InvalidOperation, InvalidPlace, VisitError
from hubport.domain.places import TruckSlot, VesselCell, parse_place
from hubport.domain.records import ContainerState, VesselRecord
from hubport.domain.visits import TruckVisit
from hubport.services import river_commands as river
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.crane_handlers import plan_crane_job
from hubport.services.gate_handlers import SERVED_WITHIN
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork

#: The reasons recorded on moves the river port's own cranes make.
DISCHARGE, LOAD = "vessel discharge", "vessel load"


def call_summary(record: VesselRecord, aboard: list[str] | None = None) -> dict[str, Any]:
    call = record.call
    summary: dict[str, Any] = {
        "call": call.id,
        "vessel": call.vessel,
        "kind": call.kind,
        "voyage": call.voyage,
        "berth": call.berth,
        "window": [call.eta.isoformat(), call.etd.isoformat()],
        "state": record.state,
        "bay_plan": {number: str(cell) for number, cell in sorted(record.bay_plan.items())},
        "load_list": list(record.load_list),
        "origin": call.origin,
        "destination": call.destination,
    }
    if aboard is not None:
        summary["aboard"] = aboard
    return summary


def register_vessel_call(
    command: river.RegisterVesselCall, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    inventory.register_vessel(command.call, now)
    if command.load_list:
        numbers = [number.value for number in command.load_list]
        inventory.record_load_list(command.call.id, numbers, now)
    return call_summary(inventory.vessel(command.call.id))


def record_bay_plan(command: river.RecordBayPlan, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory = uow.inventory
    inventory.prefetch(number for number, _cell in command.cells)
    cells = [(number.value, cell) for number, cell in command.cells]
    inventory.record_bay_plan(command.call_id, cells, command.source, clock.now())
    return call_summary(inventory.vessel(command.call_id))


def record_load_list(
    command: river.RecordLoadList, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    numbers = [number.value for number in command.numbers]
    uow.inventory.record_load_list(command.call_id, numbers, clock.now())
    return call_summary(uow.inventory.vessel(command.call_id))


def berth_vessel(command: river.BerthVessel, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """Alongside: every box of the bay plan that is still announced comes aboard its cell
    (a box of the plan that came another way meanwhile is left out, and named)."""
    inventory, now = uow.inventory, clock.now()
    inventory.vessel_berths(command.call_id, now)
    plan = inventory.vessel(command.call_id).bay_plan
    inventory.prefetch(plan)
    aboard, elsewhere = [], []
    for number, cell in sorted(plan.items()):
        record = inventory.get(number)
        if record.state is not ContainerState.ANNOUNCED:
            elsewhere.append(number)
            continue
        inventory.arrive(ContainerNumber(number), cell, now, visit=command.call_id)
        aboard.append(number)
    return {**call_summary(inventory.vessel(command.call_id), aboard), "not_aboard": elsewhere}


def depart_vessel(command: river.DepartVessel, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    boxes = uow.inventory.boxes_on_vessel(command.call_id)
    uow.inventory.vessel_departs(command.call_id, clock.now())
    return {"call": command.call_id, "boxes": boxes}


def start_shuttle(command: river.StartShuttle, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    if uow.site.river_port is None:
        raise VisitError(f"shuttle {command.visit}: this site has no river port")
    truck = TruckVisit(command.visit, command.plate, shuttle=True, starts_at=command.at)
    uow.inventory.truck_arrives(truck, clock.now())
    return {"visit": command.visit, "location": command.at}


def discharge_vessel(
    command: river.DischargeVessel, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    inventory = uow.inventory
    origin = inventory.get(command.number).place
    if not isinstance(origin, VesselCell):
        raise InvalidOperation(command.number.value, f"is not aboard a vessel but at {origin}")
    spot = _spot(command.shuttle, command.spot)
    inventory.move(command.number, spot, clock.now(), crane=None, reason=DISCHARGE)
    return {"number": command.number.value, "from": str(origin), "to": str(spot)}


def load_vessel(command: river.LoadVessel, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory, number = uow.inventory, command.number.value
    call = inventory.vessel(command.cell.call)
    if call.load_list and number not in call.load_list:
        raise InvalidOperation(number, f"is not on the load list of vessel call {call.call.id}")
    origin = inventory.get(number).place
    inventory.move(command.number, command.cell, clock.now(), crane=None, reason=LOAD)
    return {"number": number, "from": str(origin), "to": str(command.cell)}


def drive_shuttle(command: river.DriveShuttle, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory = uow.inventory
    bound_for = inventory.shuttle_leaves(command.visit, clock.now())
    return {
        "visit": command.visit,
        "bound_for": bound_for,
        "boxes": inventory.boxes_on_truck(command.visit),
    }


def shuttle_arrives(command: river.ShuttleArrives, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    location = inventory.shuttle_reaches(command.visit, now)
    boxes = inventory.boxes_on_truck(command.visit)
    jobs: list[str] = []
    summaries: list[dict[str, Any]] = []
    work: list[dict[str, Any]] = []
    if location == "station" and command.plan_work:
        for number in boxes:
            job = PlanCraneJob(
                f"{command.visit}:receipt:{number}",
                ContainerNumber(number),
                "receipt",
                due=now + SERVED_WITHIN,
            )
            planned = plan_crane_job(job, uow, clock)
            jobs += [each["job"] for each in planned["jobs"]]
            summaries += planned["jobs"]
            work.append({"job": planned["job"], "box": number, "to": planned["to"]})
    return {
        "visit": command.visit,
        "location": location,
        "boxes": boxes,
        "crane_jobs": jobs,
        "jobs": summaries,
        "work": work,
    }


def send_to_river_port(
    command: river.SendToRiverPort, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    truck = uow.inventory.truck(command.shuttle)
    if not truck.truck.shuttle or truck.state != "on_site" or truck.location != "station":
        raise VisitError(f"{command.shuttle} is not a shuttle waiting at the station")
    spot = _spot(command.shuttle, command.spot)
    job = PlanCraneJob(
        f"{command.shuttle}:to-river:{command.number.value}",
        command.number,
        "delivery",
        spot,
        due=clock.now() + SERVED_WITHIN,
    )
    planned = plan_crane_job(job, uow, clock)
    number = command.number.value
    return {
        "number": number,
        "to": str(spot),
        "crane_jobs": [each["job"] for each in planned["jobs"]],
        "jobs": planned["jobs"],
        "work": [{"job": planned["job"], "box": number, "to": planned["to"]}],
    }


def end_shuttle(command: river.EndShuttle, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory = uow.inventory
    record = inventory.truck(command.visit)
    if not record.truck.shuttle:
        raise VisitError(f"truck visit {command.visit} is not a shuttle: it leaves by the gate")
    boxes = inventory.boxes_on_truck(command.visit)
    if boxes:
        raise VisitError(f"shuttle {command.visit} still carries {', '.join(boxes)}")
    location = record.location
    inventory.truck_departs(command.visit, clock.now())
    return {"visit": command.visit, "ended_at": location}


def _spot(shuttle: str, spot: str) -> TruckSlot:
    """The shuttle's spot, checked as typed (A, B or AB)."""
    place = parse_place(f"truck:{shuttle}:{spot}")
    if not isinstance(place, TruckSlot):
        raise InvalidPlace(f"{spot!r} is not a spot of shuttle {shuttle}")
    return place


RIVER_HANDLERS: Mapping[type[Command], CommandHandler] = {
    river.RegisterVesselCall: register_vessel_call,
    river.RecordBayPlan: record_bay_plan,
    river.RecordLoadList: record_load_list,
    river.BerthVessel: berth_vessel,
    river.DepartVessel: depart_vessel,
    river.StartShuttle: start_shuttle,
    river.DischargeVessel: discharge_vessel,
    river.LoadVessel: load_vessel,
    river.DriveShuttle: drive_shuttle,
    river.ShuttleArrives: shuttle_arrives,
    river.SendToRiverPort: send_to_river_port,
    river.EndShuttle: end_shuttle,
}

__all__ = ["DISCHARGE", "LOAD", "RIVER_HANDLERS", "call_summary"]
