"""Where a crane job's box goes, and what stands in its way: the wagon spot of a load
(near the box, on no spot another box is on its way to), a destination left open and
chosen when the job is sent, the relay point of a move no one crane reaches, and the
boxes in cranes' hands about to land on a box wanted."""

from __future__ import annotations

from hubport.domain.container import Container
from hubport.domain.crane_jobs import TO_CHOOSE, CraneJob, OpenJobs
from hubport.domain.errors import CraneJobRefused, InvalidOperation, StackingRuleViolation
from hubport.domain.places import Place, StackKey, WagonSlot, YardSlot, parse_place
from hubport.planning import cranes
from hubport.planning.stacking import choose_slot
from hubport.planning.train_load import choose_wagon_slot
from hubport.services.unit_of_work import UnitOfWork


def wagon_spots_taken(uow: UnitOfWork, train_id: str, but: str | None) -> frozenset[WagonSlot]:
    """Wagon spots of a train that open crane jobs are taking boxes to."""
    return frozenset(
        slot
        for other in uow.crane_jobs.open_which(OpenJobs(train=train_id))
        if other.id != but
        and other.destination != TO_CHOOSE
        and isinstance(slot := parse_place(other.destination), WagonSlot)
        and slot.train == train_id
    )


def wagon_for(uow: UnitOfWork, number: str, train_id: str, origin: Place) -> WagonSlot:
    """The wagon spot for a box, near it, and on no spot another box is on its way to."""
    inventory = uow.inventory
    container = inventory.get(number).container
    near = cranes.x_in(inventory, origin)
    taken = wagon_spots_taken(uow, train_id, None)
    at = near if near is not None else 0.0
    return choose_wagon_slot(inventory, container, train_id, near_x=at, taken=taken)


def landing_on(uow: UnitOfWork, origin: Place) -> list[tuple[str, Place | None]]:
    """Boxes in cranes' hands on their way to a slot above ``origin``: each will stand on
    the box, so it is moved aside from where it lands."""
    if not isinstance(origin, YardSlot):
        return []
    stacks = set(origin.stacks)
    landing: list[tuple[str, Place | None]] = []
    for other in uow.crane_jobs.open_which(OpenJobs(aboard=True)):
        if not other.box_aboard or other.destination == TO_CHOOSE:
            continue
        place = parse_place(other.destination)
        if isinstance(place, YardSlot) and place.tier > origin.tier and stacks & set(place.stacks):
            landing.append((other.number, place))
    return landing


def spot_gone(uow: UnitOfWork, job: str, container: Container, spot: WagonSlot) -> bool:
    """Another box stands on ``spot`` or is on its way there, or the box may not stand
    there now (the wagon took other weight)."""
    if spot in wagon_spots_taken(uow, spot.train, job):
        return True
    return not uow.inventory.can_stand(container, spot)


def relay_x(uow: UnitOfWork, origin: Place, destination: Place | None) -> float | None:
    """Where along the rail a box is set down on its way, when no one crane reaches both
    ends of its move: halfway, within the stretch both ends reach; None when one does."""
    if destination is None:
        return None
    a, b = cranes.x_in(uow.inventory, origin), cranes.x_in(uow.inventory, destination)
    if a is None or b is None or cranes.one_crane_reaches(uow.site, a, b):
        return None
    between = cranes.relay_reach(uow.site, a, b)
    if between is None:
        raise InvalidOperation(str(origin), f"no crane or pair of cranes reaches {destination}")
    return min(max((a + b) / 2, between[0]), between[1])


def set_down_place(
    uow: UnitOfWork, job: CraneJob, crane_id: str, reaches: tuple[tuple[float, float], ...]
) -> Place:
    """The job's destination, chosen now when it was left open: in the first of
    ``reaches`` (stretches of rail, narrowest first) that has room, else anywhere the
    crane can reach."""
    if job.destination != TO_CHOOSE:
        return parse_place(job.destination)
    inventory = uow.inventory
    site = inventory.site
    crane = site.crane(crane_id)
    whole = cranes.rail_reach(site, crane)
    origin = parse_place(job.origin)
    near = cranes.x_in(inventory, origin)
    container = inventory.get(job.number).container
    others = [other for other in uow.crane_jobs.open_jobs() if other.id != job.id]
    # wagons and stacks other cranes are about to load, set boxes on or dig in
    taken = frozenset(
        slot
        for other in others
        if other.destination != TO_CHOOSE
        and isinstance(slot := parse_place(other.destination), WagonSlot)
        and slot.train == job.train_id
    )
    reserved = frozenset(slot.wagon for slot in taken)
    busy: set[StackKey] = set()
    for other in others:
        for end in (other.origin, other.destination):
            place = parse_place(end) if end != TO_CHOOSE else None
            if isinstance(place, YardSlot):
                busy.update(place.stacks)
    if isinstance(origin, YardSlot):
        busy.update(origin.stacks)
    limit = relay_limit(uow, job, others, near) or whole
    inspect = job.train_id is None and job.reason not in ("relocation", "relay")
    if inspect and under_inspection(uow, job.number):
        stretch = (max(whole[0], limit[0]), min(whole[1], limit[1]))
        start = near if near is not None else crane.home_m
        try:
            return choose_slot(
                inventory, container, stretch, start, avoid=frozenset(busy), inspection=True
            )
        except StackingRuleViolation:
            pass  # the area is full: the box is inspected where it is set down
    for index, wanted in enumerate((*reaches, whole)):
        reach = (max(whole[0], wanted[0], limit[0]), min(whole[1], wanted[1], limit[1]))
        if reach[0] > reach[1]:
            continue
        at = near if near is not None and reach[0] <= near <= reach[1] else None
        at = at if at is not None else min(max(crane.home_m, reach[0]), reach[1])
        last = index == len(reaches)
        try:
            if job.train_id is not None:
                # the last try shares a wagon with a box on its way (the other spot)
                return choose_wagon_slot(
                    inventory,
                    container,
                    job.train_id,
                    near_x=at,
                    reach=reach,
                    reserved=frozenset() if last else reserved,
                    strict=not last,
                    taken=taken,
                )
            return choose_slot(inventory, container, reach, at, avoid=frozenset(busy))
        except StackingRuleViolation:
            if last:
                raise
    raise CraneJobRefused(job.id, "no place to set the box down")  # not reached: whole is last


def under_inspection(uow: UnitOfWork, number: str) -> bool:
    """Customs has an open inspection order on the box: it goes to the inspection area."""
    return any(hold.open and hold.kind == "inspection" for hold in uow.customs.holds_on(number))


def relay_limit(
    uow: UnitOfWork, job: CraneJob, others: list[CraneJob], near: float | None
) -> tuple[float, float] | None:
    """Where a relay may set its box down: where a crane reaches the next job's end."""
    if job.reason != "relay" or near is None:
        return None
    onward = next(
        (o for o in others if o.number == job.number and o.destination != TO_CHOOSE), None
    )
    if onward is None:
        return None  # the move it prepared was cancelled: any place will do
    end = cranes.x_in(uow.inventory, parse_place(onward.destination))
    return cranes.relay_reach(uow.site, near, end) if end is not None else None


__all__ = [
    "landing_on",
    "relay_x",
    "set_down_place",
    "spot_gone",
    "under_inspection",
    "wagon_for",
    "wagon_spots_taken",
]
