"""A departing train's load plan from the live yard: the request the planner solves (the
train's wagons where they stand, the booked boxes with their masses, holds, dangerous
goods, the boxes standing on them and where they stand), and the command that plans it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hubport.domain.container import CustomsStatus
from hubport.domain.errors import InvalidOperation
from hubport.domain.inventory import Inventory
from hubport.domain.places import WagonSlot, YardSlot
from hubport.domain.rail import TrainLimits
from hubport.domain.records import ContainerState
from hubport.planning import cranes
from hubport.planning.load_plan import Assignment, LoadBox, LoadRequest, Split
from hubport.planning.load_plan_file import plan_json
from hubport.planning.load_planner import plan_load
from hubport.planning.load_units import DETERMINISTIC
from hubport.planning.wagon_types import wagon_spec
from hubport.services import train_commands
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork

#: A train's limits when its service is not in the site's timetable (an extra train):
#: 850 m and 4,000 t (assumed), and the rule that two 20' boxes on a wagon differ by under
#: 5 t (China Railway's rules as quoted by sinoeurorailway.com).
DEFAULT_LIMITS = TrainLimits(
    max_gross_kg=4_000_000, max_length_m=850.0, max_pair_difference_kg=5_000
)


def wagon_id(number: int) -> str:
    return f"{number:02d}"


def load_request(inventory: Inventory, train_id: str, numbers: Iterable[str]) -> LoadRequest:
    """The planning request of a train on its track and the booked boxes in the yard: the
    wagons' figures from their types, the limits and split points from its service."""
    record = inventory.train(train_id)
    train = record.train
    if train.direction != "outbound":
        raise InvalidOperation(train_id, "is an inbound train: it has no load plan")
    if record.state == "departed":
        raise InvalidOperation(train_id, "has departed: `hubport train show` tells what it took")
    site = inventory.site
    track = site.tracks[record.track] if record.track else None
    unknown = [w for w in train.wagons if w.kind not in site.wagon_types]
    if unknown:
        raise InvalidOperation(
            train_id, f"wagon {unknown[0].number:02d} is of type {unknown[0].kind!r}, unknown here"
        )
    wagons = tuple(
        wagon_spec(
            site.wagon_types[wagon.kind],
            wagon_id(wagon.number),
            wagon.max_payload_kg,
            track.x_of(wagon.number) if track is not None else None,
        )
        for wagon in train.wagons
    )
    service = site.train_services.get(train.service)
    limits = service.limits if service is not None else DEFAULT_LIMITS
    splits = tuple(
        Split(split.at, tuple(wagon_id(n) for n in split.wagons(len(train.wagons))))
        for split in (service.splits if service is not None else ())
    )
    boxes, on_board = [], []
    for number in dict.fromkeys(numbers):
        box = inventory.get(number)
        place = box.place
        if box.state is ContainerState.DEPARTED:
            continue
        if isinstance(place, WagonSlot):
            if place.train == train_id:  # loaded already: it stays where it is
                on_board.append(Assignment(wagon_id(place.wagon), place.spot, number))
            continue
        in_yard = box.state is ContainerState.IN_HUB and isinstance(place, YardSlot)
        container = box.container
        leg = container.next_leg
        boxes.append(
            LoadBox(
                number=container.number.value,
                length_ft=container.size_type.length_ft,
                gross_kg=container.gross_mass_kg,
                priority=1,
                imdg_class=container.imdg_class,
                hold=container.customs_status is CustomsStatus.HELD,
                destination=leg.destination if leg is not None else None,
                # a box still to come (announced, on its truck) is planned by its
                # announced mass, so that its slot is kept for it
                blocked_by=tuple(inventory.boxes_above(number)) if in_yard else (),
                yard_x_m=cranes.x_in(inventory, place) if in_yard and place else None,
            )
        )
    return LoadRequest(limits, wagons, tuple(boxes), splits=splits, on_board=tuple(on_board))


def plan_train_load(
    command: train_commands.PlanTrainLoad, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    request = load_request(uow.inventory, command.train_id, (n.value for n in command.numbers))
    # the same yard gets the same plan: a day killed before its result was stored replays
    plan = plan_load(request, command.time_limit, seed=0, workers=DETERMINISTIC)
    return {"train": command.train_id, **plan_json(request, plan)}


TRAIN_HANDLERS: Mapping[type[Command], CommandHandler] = {
    train_commands.PlanTrainLoad: plan_train_load,
}

__all__ = ["DEFAULT_LIMITS", "TRAIN_HANDLERS", "load_request", "wagon_id"]
