"""The moves of a customs inspection: a box selected for inspection goes to an inspection
area (one high, doors reachable) by crane work, and back into the yard when customs has
lifted its last inspection order.

A box that is not in the yard when it is selected (on a wagon, a truck or a vessel) goes
to the inspection area as it is set down in the yard: the crane's set-down choice reads
the open inspection (``crane_targets.set_down_place``). When every inspection area within
the crane's reach is full, the box is inspected where it stands.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.places import YardSlot
from hubport.services.clock import Clock
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.crane_handlers import plan_crane_job
from hubport.services.crane_targets import under_inspection
from hubport.services.unit_of_work import UnitOfWork

#: An inspection move should be done within this (assumed: customs waits for the box).
MOVE_WITHIN = timedelta(minutes=30)


def in_inspection_area(uow: UnitOfWork, slot: YardSlot) -> bool:
    site = uow.site
    return all(site.in_inspection_area(slot.block, bay, slot.row) for bay in slot.ground_bays)


def to_inspection(uow: UnitOfWork, clock: Clock, hold_id: str, number: str) -> dict[str, Any]:
    """Plan the move of a yard box to the inspection area (nothing when it is there, not
    in the yard, or already has crane work)."""
    place = uow.inventory.get(number).place
    if not isinstance(place, YardSlot) or in_inspection_area(uow, place):
        return _no_move()
    return _move(uow, clock, f"{hold_id}:to-inspection", number, "inspection")


def from_inspection(uow: UnitOfWork, clock: Clock, hold_id: str, number: str) -> dict[str, Any]:
    """Plan the move back into the yard once no inspection order is open on the box."""
    place = uow.inventory.get(number).place
    if not isinstance(place, YardSlot) or not in_inspection_area(uow, place):
        return _no_move()
    if under_inspection(uow, number):
        return _no_move()
    return _move(uow, clock, f"{hold_id}:from-inspection", number, "after inspection")


def _move(uow: UnitOfWork, clock: Clock, job: str, number: str, reason: str) -> dict[str, Any]:
    if uow.crane_jobs.open_of_boxes([number]):
        return _no_move()  # its crane work in hand decides where it lands
    command = PlanCraneJob(job, ContainerNumber(number), reason, due=clock.now() + MOVE_WITHIN)
    planned = plan_crane_job(command, uow, clock)
    return {
        "crane_jobs": [each["job"] for each in planned["jobs"]],
        "jobs": planned["jobs"],
        "work": [{"job": planned["job"], "box": number, "to": planned["to"]}],
    }


def _no_move() -> dict[str, Any]:
    return {"crane_jobs": [], "jobs": [], "work": []}


__all__ = ["MOVE_WITHIN", "from_inspection", "in_inspection_area", "to_inspection"]
