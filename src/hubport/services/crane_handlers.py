"""Handlers of the crane job's life as the platform decides it: a job planned (with the
relocations of the boxes on its box first), assigned to a crane, sent, cancelled. What
the cranes report, and their faults, are in ``crane_report_handlers.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from hubport.domain.container import CustomsStatus
from hubport.domain.crane_jobs import (
    TO_CHOOSE,
    CraneJob,
    CraneJobPlanned,
    JobState,
)
from hubport.domain.errors import (
    CraneJobRefused,
    InvalidOperation,
)
from hubport.domain.places import (
    Place,
    Spreader,
    TruckSlot,
    WagonSlot,
    parse_place,
)
from hubport.domain.records import ContainerState
from hubport.planning import cranes
from hubport.services import crane_commands as jobs
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.crane_targets import (
    landing_on,
    relay_x,
    set_down_place,
    spot_gone,
    wagon_for,
)
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork


def job_summary(job: CraneJob) -> dict[str, Any]:
    """A job as the commands about it answer (and crane control keeps its view)."""
    return {
        "job": job.id,
        "state": job.state.value,
        "crane": job.crane,
        "box": job.number,
        "from": job.origin,
        "to": job.destination,
        "box_aboard": job.box_aboard,
        "reason": job.reason,
        "due": job.due.isoformat() if job.due is not None else None,
        "train_id": job.train_id,
        "version": job.version,
    }


def change_job(uow: UnitOfWork, job: CraneJob, to: JobState, at: Any, **kw: Any) -> CraneJob:
    changed, event = job.advance(to, at, **kw)
    uow.crane_jobs.put(changed)
    uow.inventory.note(event)
    return changed


def _new_job(
    uow: UnitOfWork,
    clock: Clock,
    job_id: str,
    number: str,
    origin: Place,
    reason: str,
    destination: Place | None = None,
    due: Any = None,
    priority: int = 0,
    train_id: str | None = None,
) -> CraneJob:
    job = CraneJob(
        id=job_id,
        number=number,
        origin=str(origin),
        destination=str(destination) if destination else TO_CHOOSE,
        reason=reason,
        due=due,
        priority=priority,
        train_id=train_id,
        changed_at=clock.now(),
    )
    uow.crane_jobs.add(job)
    uow.inventory.note(
        CraneJobPlanned(
            clock.now(),
            job.id,
            job.number,
            job.origin,
            job.destination,
            job.reason,
            job.due,
            job.train_id,
        )
    )
    return job


def plan_crane_job(command: jobs.PlanCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """Plan a move, and first a relocation for every box that stands on the box (top
    first; the dispatcher keeps them in that order). The result lists every job planned."""
    inventory = uow.inventory
    record = inventory.get(command.number)
    if record.state is not ContainerState.IN_HUB or record.place is None:
        raise InvalidOperation(command.number.value, "is not in the hub: no crane job for it")
    # a held box may ride a hub shuttle (it stays in the supervised area), nothing else
    destination = command.destination
    onto_carrier = command.train_id is not None or isinstance(destination, WagonSlot | TruckSlot)
    if (
        onto_carrier
        and record.container.customs_status is CustomsStatus.HELD
        and not inventory.is_shuttle_spot(destination)
    ):
        raise InvalidOperation(
            command.number.value,
            "is under a customs hold: it may not be loaded until customs releases it",
        )
    other = uow.crane_jobs.open_of_boxes([command.number.value]).get(command.number.value)
    origin: Place = record.place
    if isinstance(origin, Spreader):
        if other is None or other.reason != "relocation" or other.destination == TO_CHOOSE:
            raise InvalidOperation(command.number.value, f"hangs from {origin.crane} already")
        origin = parse_place(other.destination)  # where the relocation in hand sets it down
    planned = []
    if other is not None:
        if other.reason != "relocation":
            raise InvalidOperation(command.number.value, f"has an open crane job {other.id}")
        if other.state in (JobState.PLANNED, JobState.ASSIGNED):
            # the box was to move aside; now it leaves: this job takes it instead
            planned.append(
                change_job(uow, other, JobState.CANCELLED, clock.now(), note=f"for {command.job}")
            )
        # a relocation in hand sets the box down first; this job starts from there
    planned += _clear_above(uow, clock, command.job, command.number.value, origin)
    destination = command.destination
    if (
        isinstance(destination, WagonSlot)
        and command.train_id is not None
        and spot_gone(uow, command.job, record.container, destination)
    ):
        destination = None  # its planned spot went to another box meanwhile: choose again
    if destination is None and command.train_id is not None:
        # a wagon spot is chosen now, near the box, so that the dispatcher knows both
        # ends of the move and no two boxes are sent to one spot
        destination = wagon_for(uow, command.number.value, command.train_id, origin)
    relay_at = relay_x(uow, origin, destination)
    if relay_at is not None:
        # no crane reaches both ends: one sets the box down on the way, another takes it on
        planned.append(
            _new_job(
                uow,
                clock,
                f"{command.job}:relay",
                command.number.value,
                origin,
                "relay",
                due=command.due,
                priority=command.priority,
            )
        )
    job = _new_job(
        uow,
        clock,
        command.job,
        command.number.value,
        origin,
        command.reason,
        destination,
        command.due,
        command.priority,
        command.train_id,
    )
    summaries = [_placed_summary(uow, each, relay_at) for each in (*planned, job)]
    return {**summaries[-1], "jobs": summaries}


def _clear_above(
    uow: UnitOfWork,
    clock: Clock,
    job_id: str,
    number: str,
    origin: Place,
) -> list[CraneJob]:
    """A relocation (``JOB:rN``, top first) for every box that stands on ``number`` at
    ``origin``, or is in a crane's hand on its way there, and that no open job takes
    away already."""
    inventory = uow.inventory
    above = [(n, inventory.get(n).place) for n in inventory.boxes_above(number)]
    blockers = [*above, *landing_on(uow, origin)]
    open_jobs = uow.crane_jobs.open_of_boxes(blocker for blocker, _place in blockers)
    planned = []
    for index, (blocker, place) in enumerate(blockers, start=1):
        if blocker in open_jobs and not open_jobs[blocker].box_aboard:
            continue  # already on its way out of the stack
        if place is None:
            continue
        planned.append(_new_job(uow, clock, f"{job_id}:r{index}", blocker, place, "relocation"))
    return planned


def _placed_summary(
    uow: UnitOfWork, job: CraneJob, relay_at: float | None = None
) -> dict[str, Any]:
    """A job planned, as its command answers it: with where along the rail its box must
    be stored, when only part of the yard can take it."""
    if job.state is JobState.CANCELLED:
        return job_summary(job)
    inventory = uow.inventory
    record = inventory.get(job.number)
    near = cranes.x_in(inventory, record.place) if record.place is not None else None
    if job.reason == "relay":
        near = relay_at
    zone = cranes.storage_x(uow.site, record.container, near)
    return {**job_summary(job), "zone_x": zone if zone is not None else near}


def assign_crane_job(command: jobs.AssignCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    uow.site.crane(command.crane)
    job = uow.crane_jobs.get(command.job)
    if job.state is JobState.ASSIGNED and job.crane == command.crane:
        return {**job_summary(job), "unchanged": True}
    job = change_job(
        uow, job, JobState.ASSIGNED, clock.now(), crane=command.crane, note=command.note
    )
    return job_summary(job)


def send_crane_job(command: jobs.SendCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """The order goes out; an open destination is chosen now, so the crane knows it."""
    job = uow.crane_jobs.get(command.job)
    if job.state is JobState.SENT and job.crane == command.crane:
        return {**job_summary(job), "unchanged": True}
    place = uow.inventory.get(job.number).place
    if place is None or isinstance(place, Spreader):
        raise CraneJobRefused(job.id, f"{job.number} is not where a crane can pick it: {place}")
    if str(place) != job.origin:
        job = dataclasses.replace(job, origin=str(place))  # a relocation moved it since
    clearing = _clear_above(uow, clock, f"{job.id}:v{job.version}", job.number, place)
    if clearing:
        # boxes stand on it that no job takes away (the train one was for left without
        # it): they move aside first, and the job waits, back with its crane, for them
        blockers = ", ".join(each.number for each in clearing)
        job = change_job(
            uow, job, JobState.ASSIGNED, clock.now(), crane=command.crane,
            note=f"waits for {blockers} to move aside",
        )  # fmt: skip
        summaries = [_placed_summary(uow, each) for each in (*clearing, job)]
        return {**summaries[-1], "jobs": summaries, "waits_for": [c.id for c in clearing]}
    if job.destination == TO_CHOOSE:
        job.advance(JobState.SENT, clock.now(), crane=command.crane)
        reaches = tuple(r for r in (command.reach, command.stretch) if r is not None)
        destination = set_down_place(uow, job, command.crane, reaches)
        job = dataclasses.replace(job, destination=str(destination))
    return job_summary(change_job(uow, job, JobState.SENT, clock.now(), crane=command.crane))


def cancel_crane_job(command: jobs.CancelCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    job = uow.crane_jobs.get(command.job)
    if job.state is JobState.CANCELLED:
        return {**job_summary(job), "unchanged": True}
    return job_summary(change_job(uow, job, JobState.CANCELLED, clock.now(), note=command.reason))


CRANE_JOB_HANDLERS: Mapping[type[Command], CommandHandler] = {
    jobs.PlanCraneJob: plan_crane_job,
    jobs.AssignCraneJob: assign_crane_job,
    jobs.SendCraneJob: send_crane_job,
    jobs.CancelCraneJob: cancel_crane_job,
}

__all__ = ["CRANE_JOB_HANDLERS", "change_job", "job_summary", "plan_crane_job"]
