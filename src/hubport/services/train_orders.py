"""The railway's writes: a train registered with its consist, and its discharge ordered.

Both only record what the railway says; the reactions (the boxes set on their wagons at
arrival, the discharge order turned into crane work once the train stands on its track)
follow at arrival and in the runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubport.domain.errors import VisitError
from hubport.domain.places import WagonSlot
from hubport.domain.rail import check_consist, check_visit
from hubport.domain.rail_orders import DischargeOrdered, check_discharge_order
from hubport.domain.records import ContainerState
from hubport.services import train_commands
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork


def announce_train(
    command: train_commands.AnnounceTrain, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    site, train, inventory, now = uow.site, command.train, uow.inventory, clock.now()
    check_visit(train, site.wagon_types, site.train_services.get(train.service))
    by_number = {container.number.value: container for container in command.containers}
    consist = {number.value: slot for number, slot in train.consist}
    if set(by_number) != set(consist):
        missing = sorted(set(consist) ^ set(by_number))
        raise VisitError(f"train {train.id}: boxes {', '.join(missing)} lack a wagon slot or facts")
    check_consist(train, site.wagon_types, [(by_number[n.value], s) for n, s in train.consist])
    inventory.register_train(train, now)
    inventory.prefetch(by_number)
    for container in command.containers:
        found = inventory.find(container.number)
        if found is not None and found.state is ContainerState.ANNOUNCED:
            inventory.update(container, now)  # pre-advised before (a COPRAR): the railway's facts
        else:
            inventory.announce(container, now)
    return {
        "train": train.id,
        "service": train.service,
        "direction": train.direction,
        "arrives": train.arrives.isoformat() if train.arrives else None,
        "departs": train.departs.isoformat() if train.departs else None,
        "wagons": len(train.wagons),
        "boxes": len(command.containers),
        "state": "expected",
    }


def order_discharge(
    command: train_commands.OrderDischarge, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    inventory = uow.inventory
    record = inventory.train(command.train_id)
    if record.state == "departed":
        raise VisitError(f"train {command.train_id} has left: nothing to discharge")
    on_wagons = {
        number: place
        for number in inventory.boxes_on_train(command.train_id)
        if isinstance(place := inventory.get(number).place, WagonSlot)
    }
    check_discharge_order(record.train, command.lines, on_wagons)
    lines = tuple((number.value, str(slot)) for number, slot in command.lines)
    inventory.note(DischargeOrdered(clock.now(), command.train_id, lines, command.source))
    return {
        "train": command.train_id,
        "ordered": len(lines) if lines else "all",
        "state": record.state,
    }


TRAIN_ORDER_HANDLERS: Mapping[type[Command], CommandHandler] = {
    train_commands.AnnounceTrain: announce_train,
    train_commands.OrderDischarge: order_discharge,
}

__all__ = ["TRAIN_ORDER_HANDLERS"]
