"""One handler per use case: ``(command, uow, clock) -> result``; results are plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.crane_jobs import JobState, OpenJobs
from hubport.domain.errors import HubportError, InvalidOperation, VisitError
from hubport.domain.events import ContainerMoved, Event
from hubport.domain.inventory import Inventory
from hubport.domain.places import Place, Spreader, StackKey, TruckSlot, YardSlot
from hubport.domain.rail import check_consist, check_visit
from hubport.domain.records import ContainerState, Record
from hubport.domain.track_reservations import UNKNOWN_STAY, check_train_may_take
from hubport.planning import cranes
from hubport.planning.stacking import choose_slot
from hubport.planning.train_load import choose_wagon_slot
from hubport.services import commands
from hubport.services.access_handlers import ACCESS_HANDLERS
from hubport.services.clock import Clock
from hubport.services.crane_handlers import CRANE_JOB_HANDLERS
from hubport.services.crane_report_handlers import CRANE_REPORT_HANDLERS
from hubport.services.customs_handlers import CUSTOMS_EVENT_HANDLERS, CUSTOMS_HANDLERS
from hubport.services.gate_handlers import GATE_HANDLERS
from hubport.services.messagebus import CommandHandler, EventHandler
from hubport.services.river_handlers import RIVER_HANDLERS
from hubport.services.train_loading import TRAIN_HANDLERS
from hubport.services.train_orders import TRAIN_ORDER_HANDLERS
from hubport.services.train_work import TRAIN_WORK_HANDLERS
from hubport.services.unit_of_work import UnitOfWork

#: A crane job in these states has its crane at work on it.
STARTED = frozenset({JobState.SENT, JobState.PICKING, JobState.LIFTED, JobState.PLACING})


def announce_container(
    command: commands.AnnounceContainer, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    uow.inventory.announce(command.container, clock.now())
    return {"announced": command.container.number.value}


class AdviceRefused(HubportError):
    """One line of an advice could not be applied; nothing of the advice was."""

    def __init__(self, line: int, number: str, reason: HubportError):
        self.line = line
        self.number = number
        self.reason = reason
        super().__init__(f"line {line + 1} ({number}): {reason}")


def advise_containers(
    command: commands.AdviseContainers, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    announced, updated, unchanged = [], [], []
    inventory.prefetch(advice.number for advice in command.advices)
    for line, advice in enumerate(command.advices):
        number = advice.number.value
        try:
            record = inventory.find(number)
            if record is None or record.state is ContainerState.DEPARTED:
                inventory.announce(advice.new_container(), now)
                announced.append(number)
                continue
            container = advice.merged(record.container)
            if container == record.container and container.seal == record.container.seal:
                unchanged.append(number)
                continue
            inventory.update(container, now)
            updated.append(number)
        except HubportError as error:
            raise AdviceRefused(line, number, error) from None
    return {
        "source": command.source,
        "announced": announced,
        "updated": updated,
        "unchanged": unchanged,
    }


def update_container(
    command: commands.UpdateContainer, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    uow.inventory.update(command.container, clock.now())
    return {"updated": command.container.number.value}


def set_customs_status(
    command: commands.SetCustomsStatus, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    uow.inventory.set_customs_status(command.number, command.status, command.reason, clock.now())
    return {"number": command.number.value, "customs_status": command.status.value}


def register_train(
    command: commands.RegisterTrain, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    site, train = uow.site, command.train
    check_visit(train, site.wagon_types, site.train_services.get(train.service))
    uow.inventory.register_train(train, clock.now())
    return {"train": train.id}


def arrive_train(command: commands.ArriveTrain, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory, now = uow.inventory, command.at or clock.now()
    # a track reserved for another use (a futures delivery's slot) is not the train's
    departs = inventory.train(command.train_id).train.departs
    leaves = departs if departs is not None and departs > now else now + UNKNOWN_STAY
    reserved = uow.track_reservations(command.track, now, leaves)
    check_train_may_take(command.train_id, command.track, now, departs, reserved)
    inventory.train_arrives(command.train_id, command.track, now)
    # the consist given, else the one the railway registered the train with
    consist = command.consist or inventory.train(command.train_id).train.consist
    inventory.prefetch(number for number, _slot in consist)
    # the whole consist is checked before any box is set on a wagon
    announced = [(inventory.get(number).container, slot) for number, slot in consist]
    check_consist(inventory.train(command.train_id).train, uow.site.wagon_types, announced)
    for number, slot in consist:
        inventory.arrive(number, slot, now, visit=command.train_id)
    return {"train": command.train_id, "track": command.track, "boxes": len(consist)}


def depart_train(command: commands.DepartTrain, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """The train leaves; refused while a crane has one of its boxes in hand. Its crane
    jobs not started yet are cancelled: their boxes stay behind."""
    working = uow.crane_jobs.open_which(OpenJobs(train=command.train_id))
    # a box on the spreader of a crane that failed with it is off the wagons: the train may
    # go; a person sets the box down (its job stays open, and ``hubport check`` names it)
    stranded = [job for job in working if job.state is JobState.FAILED and job.box_aboard]
    working = [job for job in working if job not in stranded]
    in_hand = sorted(job.id for job in working if job.box_aboard or job.state in STARTED)
    if in_hand:
        raise VisitError(
            f"train {command.train_id} cannot depart: a crane has {len(in_hand)} of its "
            f"boxes in hand ({', '.join(in_hand[:3])}{' …' if len(in_hand) > 3 else ''})"
        )
    for job in working:
        left = f"train {command.train_id} left without it"
        changed, event = job.advance(JobState.CANCELLED, clock.now(), note=left)
        uow.crane_jobs.put(changed)
        uow.inventory.note(event)
    boxes = uow.inventory.boxes_on_train(command.train_id)
    uow.inventory.train_departs(command.train_id, clock.now())
    left_behind = sorted(job.number for job in working if job.reason == "load")
    return {
        "train": command.train_id,
        "boxes": boxes,
        "left_behind": left_behind,
        "stranded": sorted(job.number for job in stranded),
    }


def gate_in(command: commands.GateIn, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    inventory.truck_arrives(command.truck, now)
    for number, spot in command.boxes:
        inventory.arrive(number, TruckSlot(command.truck.id, spot), now, visit=command.truck.id)
    return {"visit": command.truck.id, "boxes": [number.value for number, _ in command.boxes]}


def gate_out(command: commands.GateOut, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    boxes = uow.inventory.boxes_on_truck(command.visit_id)
    for number in boxes:
        refusal = uow.payment_refusal(number, clock.now())
        if refusal is not None:
            raise InvalidOperation(number, f"truck {command.visit_id} may not leave: {refusal}")
    uow.inventory.truck_departs(command.visit_id, clock.now())
    return {"visit": command.visit_id, "boxes": boxes}


def move_container(
    command: commands.MoveContainer, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    record, place = _in_hub(inventory, command.number)
    origin_x = cranes.x_in(inventory, place)
    crane = command.crane
    if crane is None and origin_x is not None:
        crane = cranes.crane_at(inventory.site, origin_x).id
    destination = command.destination
    if destination is None:
        zone = (
            cranes.reach(inventory.site.crane(crane))
            if crane is not None
            else cranes.whole_rail(inventory.site)
        )
        near = command.near_x if command.near_x is not None else origin_x
        near = near if near is not None else zone[0]
        if command.train_id is not None:
            destination = choose_wagon_slot(
                inventory, record.container, command.train_id, near_x=near, reach=zone
            )
        else:
            avoid = _dug_stacks(inventory, command.keep_clear_of)
            destination = choose_slot(inventory, record.container, zone, near_x=near, avoid=avoid)
    if crane is None:
        x = cranes.x_in(inventory, destination)
        crane = cranes.crane_at(inventory.site, x).id if x is not None else None
    inventory.move(command.number, destination, now, crane=crane, reason=command.reason)
    return {"moves": _moves(inventory.pending)}


def pick_container(
    command: commands.PickContainer, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    """Lift the next box of a crane job (see PickContainer) and plan where it goes."""
    inventory = uow.inventory
    crane = inventory.site.crane(command.crane)
    target, place = _in_hub(inventory, command.number)
    dug = frozenset(place.stacks) if isinstance(place, YardSlot) else frozenset()
    above = inventory.boxes_above(command.number)
    box = inventory.get(above[0]) if above else target
    origin = box.place
    if origin is None:
        raise InvalidOperation(box.container.number.value, "has no place")
    origin_x = cranes.x_in(inventory, origin)
    lift = cranes.lift_seconds(crane, command.crane_x, origin_x)
    lifted_at = clock.now() + timedelta(seconds=lift)
    reason = "relocation" if above else command.reason
    number = box.container.number
    inventory.move(number, Spreader(crane.id), lifted_at, crane=crane.id, reason=reason)
    near = origin_x if origin_x is not None else command.crane_x
    planned: Place
    if above:
        planned = choose_slot(inventory, box.container, cranes.reach(crane), near, avoid=dug)
    elif command.destination is not None:
        planned = command.destination
    elif command.train_id is not None:
        planned = choose_wagon_slot(
            inventory, box.container, command.train_id, near_x=near, reach=cranes.reach(crane)
        )
    else:
        planned = choose_slot(inventory, box.container, cranes.reach(crane), near)
    return {
        "moves": _moves(inventory.pending),
        "picked": number.value,
        "relocation": bool(above),
        "from": str(origin),
        "from_x": origin_x,
        "lifted_at": lifted_at.isoformat(),
        "planned": str(planned),
        "planned_x": cranes.x_in(inventory, planned),
    }


def retrieve_container(
    command: commands.RetrieveContainer, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    """Relocate the boxes above, then move the box onto its carrier."""
    inventory, now = uow.inventory, clock.now()
    record, slot = _in_hub(inventory, command.number)
    if not isinstance(slot, YardSlot):
        raise InvalidOperation(command.number.value, f"is not in the yard but at {slot}")
    x = inventory.site.slot_x(slot)
    crane = cranes.crane_at(inventory.site, x)
    dug = frozenset(slot.stacks)
    for blocker in inventory.boxes_above(command.number):
        blocking = inventory.get(blocker).container
        target = choose_slot(inventory, blocking, cranes.reach(crane), near_x=x, avoid=dug)
        inventory.move(blocking.number, target, now, crane=crane.id, reason="relocation")
    destination = command.destination
    if destination is None:
        if command.train_id is None:
            raise InvalidOperation(command.number.value, "retrieve needs a destination or a train")
        destination = choose_wagon_slot(
            inventory, record.container, command.train_id, near_x=x, reach=cranes.reach(crane)
        )
    inventory.move(command.number, destination, now, crane=crane.id, reason=command.reason)
    return {"moves": _moves(inventory.pending)}


def _in_hub(inventory: Inventory, number: ContainerNumber) -> tuple[Record, Place]:
    """A box that is in the hub now and its place, or an error saying why it is not."""
    record = inventory.get(number)
    if record.state is ContainerState.DEPARTED:
        raise InvalidOperation(number.value, "has left the hub")
    if record.place is None:
        raise InvalidOperation(number.value, "is not in the hub yet")
    return record, record.place


def _dug_stacks(inventory: Inventory, number: ContainerNumber | None) -> frozenset[StackKey]:
    if number is None:
        return frozenset()
    place = inventory.get(number).place
    return frozenset(place.stacks) if isinstance(place, YardSlot) else frozenset()


def _moves(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [
        {
            "number": event.number.value,
            "from": str(event.origin),
            "to": str(event.destination),
            "crane": event.crane,
            "reason": event.reason,
        }
        for event in events
        if isinstance(event, ContainerMoved)
    ]


COMMAND_HANDLERS: Mapping[type[commands.Command], CommandHandler] = {
    commands.AnnounceContainer: announce_container,
    commands.AdviseContainers: advise_containers,
    commands.UpdateContainer: update_container,
    commands.SetCustomsStatus: set_customs_status,
    commands.RegisterTrain: register_train,
    commands.ArriveTrain: arrive_train,
    commands.DepartTrain: depart_train,
    commands.GateIn: gate_in,
    commands.GateOut: gate_out,
    commands.MoveContainer: move_container,
    commands.PickContainer: pick_container,
    commands.RetrieveContainer: retrieve_container,
}

COMMAND_HANDLERS = {
    **COMMAND_HANDLERS,
    **CRANE_JOB_HANDLERS,
    **CRANE_REPORT_HANDLERS,
    **TRAIN_HANDLERS,
    **TRAIN_WORK_HANDLERS,
    **TRAIN_ORDER_HANDLERS,
    **CUSTOMS_HANDLERS,
    **GATE_HANDLERS,
    **RIVER_HANDLERS,
    **ACCESS_HANDLERS,
}

EVENT_HANDLERS: Mapping[type[Event], Sequence[EventHandler]] = CUSTOMS_EVENT_HANDLERS

__all__ = ["COMMAND_HANDLERS", "EVENT_HANDLERS", "AdviceRefused"]
