"""A train's visit as crane work, without anyone keying it: its discharge list becomes
jobs to the yard (or straight onto a waiting truck), its load plan becomes jobs to the
planned wagon slots, both in the working order of ``planning/train_work``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import InvalidOperation, VisitError
from hubport.domain.inventory import Inventory
from hubport.domain.places import Place, Spot, TruckSlot, WagonSlot, YardSlot
from hubport.planning import cranes
from hubport.planning.train_work import TrainMove, sequence
from hubport.services import train_commands
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.crane_handlers import plan_crane_job
from hubport.services.messagebus import CommandHandler
from hubport.services.train_loading import plan_train_load
from hubport.services.unit_of_work import UnitOfWork


def discharge_train(
    command: train_commands.DischargeTrain, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    record = inventory.train(command.train_id)
    if record.state != "on_site":
        raise VisitError(f"train {command.train_id} is {record.state}: nothing to discharge")
    lines = _discharge_list(inventory, command)
    busy = set(uow.crane_jobs.open_of_boxes(number for number, _slot in lines))
    moves = [
        TrainMove(number, slot.wagon, slot.spot, cranes.x_in(inventory, slot))
        for number, slot in lines
        if number not in busy
    ]
    prefix = command.job_prefix or f"{command.train_id}:discharge"
    trucks = _waiting_trucks(inventory)
    latest = record.train.departs if record.train.departs and record.train.departs > now else None
    jobs: list[dict[str, Any]] = []
    work, direct = [], []
    for item in sequence(moves, uow.site, now, latest):
        number = item.move.number
        destination: Place | None = trucks.pop(number, None)
        if destination is not None:
            direct.append(number)
        planned = plan_crane_job(
            PlanCraneJob(
                f"{prefix}:{number}", ContainerNumber(number), "discharge", destination, item.due
            ),
            uow,
            clock,
        )
        jobs += planned["jobs"]
        work.append(
            {"job": planned["job"], "box": number, "to": planned["to"], "due": _moment(item.due)}
        )
    return {
        "train": command.train_id,
        "jobs": jobs,
        "work": work,
        "direct": direct,
        "skipped": sorted(number for number, _ in lines if number in busy),
    }


def load_train(command: train_commands.LoadTrain, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    plan = plan_train_load(
        train_commands.PlanTrainLoad(command.train_id, command.numbers, command.time_limit),
        uow,
        clock,
    )
    train = inventory.train(command.train_id).train
    slots = {
        a["box"]: WagonSlot(command.train_id, int(a["wagon"]), a["position"])
        for a in plan["assignments"]
    }
    busy = set(uow.crane_jobs.open_of_boxes(slots))
    ready, waiting = [], []
    for number, slot in slots.items():
        record = inventory.get(number)
        if isinstance(record.place, WagonSlot):
            continue  # on its wagon already
        if number in busy:
            # a crane is moving it (off its truck, a shuttle, a relocation): it is loaded
            # once it stands in the yard
            waiting.append({"box": number, "to": str(slot), "reason": "being moved"})
        elif not isinstance(record.place, YardSlot):
            waiting.append({"box": number, "to": str(slot), "reason": "not in the yard yet"})
        elif not record.container.customs_status.may_leave:
            waiting.append({"box": number, "to": str(slot), "reason": "not cleared by customs"})
        else:
            x = cranes.x_in(inventory, slot)
            above = tuple(inventory.boxes_above(number))
            ready.append(TrainMove(number, slot.wagon, slot.spot, x, after=above))
    prefix = command.job_prefix or f"{command.train_id}:load"
    latest = train.departs if train.departs and train.departs > now else None
    jobs: list[dict[str, Any]] = []
    work = []
    for item in sequence(ready, uow.site, now, latest):
        number = item.move.number
        # due when the train leaves: left free among a train's loads, the dispatcher
        # relocates less than with their dues spread (44 against 65 relocations over the
        # demo's first 4 days); they are still planned in working order
        due = latest or item.due
        planned = plan_crane_job(
            PlanCraneJob(
                f"{prefix}:{number}",
                ContainerNumber(number),
                "load",
                slots[number],
                due,
                train_id=command.train_id,
            ),
            uow,
            clock,
        )
        jobs += planned["jobs"]
        work.append(
            {"job": planned["job"], "box": number, "to": planned["to"], "due": _moment(due)}
        )
    return {**plan, "jobs": jobs, "work": work, "waiting": waiting}


def _discharge_list(
    inventory: Inventory, command: train_commands.DischargeTrain
) -> list[tuple[str, WagonSlot]]:
    """The list to work: as given, each line checked against the wagons; or every box on
    the train. A line that does not match names the box and the slot."""
    on_train = {
        number: place
        for number in inventory.boxes_on_train(command.train_id)
        if isinstance(place := inventory.get(number).place, WagonSlot)
    }
    if not command.lines:
        return sorted(on_train.items(), key=lambda line: line[1])
    lines: dict[str, WagonSlot] = {}
    for container_number, slot in command.lines:
        number = container_number.value
        if number in lines:
            raise InvalidOperation(number, "is twice on the discharge list")
        if on_train.get(number) != slot:
            where = on_train.get(number)
            actual = f"stands at {where}" if where else f"is not on train {command.train_id}"
            raise InvalidOperation(number, f"is listed at {slot} but {actual}")
        lines[number] = slot
    return list(lines.items())


def _waiting_trucks(inventory: Inventory) -> dict[str, TruckSlot]:
    """For each box a truck in the hub is booked to collect, its spot on that truck."""
    spots: dict[str, TruckSlot] = {}
    for record in inventory.trucks_on_site():
        truck = record.truck
        free: list[Spot] = ["A", "B"]
        for number in inventory.boxes_on_truck(truck.id):
            place = inventory.get(number).place
            if isinstance(place, TruckSlot):
                free = [s for s in free if place.spot not in ("AB", s)]
        for number in truck.collects:
            found = inventory.find(number)
            if found is None or not found.container.customs_status.may_leave:
                continue  # straight onto a truck only when it may leave the hub now
            spot: Spot | None
            if found.container.size_type.is_forty:
                spot = "AB" if free == ["A", "B"] else None
            else:
                spot = free[0] if free else None
            if spot is None:
                continue
            spots[number] = TruckSlot(truck.id, spot)
            free = [] if spot == "AB" else [s for s in free if s != spot]
    return spots


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


TRAIN_WORK_HANDLERS: Mapping[type[Command], CommandHandler] = {
    train_commands.DischargeTrain: discharge_train,
    train_commands.LoadTrain: load_train,
}

__all__ = ["TRAIN_WORK_HANDLERS"]
