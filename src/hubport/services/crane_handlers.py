"""Handlers of the crane job's life. The inventory follows the job: the box goes onto the
crane's spreader when the crane reports the lift, and onto its destination at the set-down.

A report that repeats the job's current state changes nothing. A report that contradicts
the job or the inventory (another crane, a step out of order, a box that is not where
the job says) is not applied: it is logged as an ``EquipmentAlarm`` instead.
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
    EquipmentAlarm,
    JobState,
)
from hubport.domain.errors import (
    CraneJobRefused,
    HubportError,
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

#: What a controller may report, and the state each report leads to.
REPORTS = {
    "picking": JobState.PICKING,
    "lifted": JobState.LIFTED,
    "placing": JobState.PLACING,
    "done": JobState.DONE,
}


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


def _change(uow: UnitOfWork, job: CraneJob, to: JobState, at: Any, **kw: Any) -> CraneJob:
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
    open_jobs = {job.number: job for job in uow.crane_jobs.open_jobs()}
    other = open_jobs.get(command.number.value)
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
                _change(uow, other, JobState.CANCELLED, clock.now(), note=f"for {command.job}")
            )
        # a relocation in hand sets the box down first; this job starts from there
    planned += _clear_above(uow, clock, command.job, command.number.value, origin, open_jobs)
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
    open_jobs: Mapping[str, CraneJob],
) -> list[CraneJob]:
    """A relocation (``JOB:rN``, top first) for every box that stands on ``number`` at
    ``origin``, or is in a crane's hand on its way there, and that no open job takes
    away already."""
    inventory = uow.inventory
    above = [(n, inventory.get(n).place) for n in inventory.boxes_above(number)]
    planned = []
    for index, (blocker, place) in enumerate([*above, *landing_on(uow, origin)], start=1):
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
    job = _change(uow, job, JobState.ASSIGNED, clock.now(), crane=command.crane, note=command.note)
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
    open_jobs = {other.number: other for other in uow.crane_jobs.open_jobs()}
    clearing = _clear_above(uow, clock, f"{job.id}:v{job.version}", job.number, place, open_jobs)
    if clearing:
        # boxes stand on it that no job takes away (the train one was for left without
        # it): they move aside first, and the job waits, back with its crane, for them
        blockers = ", ".join(each.number for each in clearing)
        job = _change(
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
    return job_summary(_change(uow, job, JobState.SENT, clock.now(), crane=command.crane))


def _alarm(
    uow: UnitOfWork, clock: Clock, crane: str, job: str | None, problem: str
) -> dict[str, Any]:
    uow.inventory.note(EquipmentAlarm(clock.now(), crane, job, problem))
    return {"job": job, "refused": problem, "alarm": True}


#: The forward chain a controller reports along; a report may skip steps lost on the way.
_CHAIN = (JobState.SENT, JobState.PICKING, JobState.LIFTED, JobState.PLACING, JobState.DONE)


def _steps(state: JobState, to: JobState) -> list[JobState]:
    """The states from ``state`` to ``to`` along the chain (just ``to`` off the chain)."""
    if state in _CHAIN and to in _CHAIN and _CHAIN.index(to) > _CHAIN.index(state):
        return list(_CHAIN[_CHAIN.index(state) + 1 : _CHAIN.index(to) + 1])
    return [to]


def report_crane_job(command: jobs.ReportCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """Apply a controller's report, or raise an alarm for one that contradicts the hub."""
    job = uow.crane_jobs.find(command.job)
    if job is None:
        return _alarm(uow, clock, command.crane, command.job, "reports a job the hub never sent")
    to = REPORTS.get(command.state)
    if to is None:
        return _alarm(uow, clock, command.crane, job.id, f"unknown job step {command.state!r}")
    if job.state is to and job.crane == command.crane:
        return {**job_summary(job), "unchanged": True}
    if job.crane != command.crane:
        return _alarm(uow, clock, command.crane, job.id, f"the job is {job.crane}'s")
    inventory = uow.inventory
    record = inventory.get(job.number)
    steps = _steps(job.state, to)
    # a report may pass over the lift (picking → placing): the lift is checked all the same
    lifting = JobState.LIFTED in steps
    try:
        destination = None
        if lifting:
            if str(record.place) != job.origin:
                raise CraneJobRefused(
                    job.id, f"{job.number} is at {record.place}, not {job.origin}"
                )
            above = inventory.boxes_above(job.number)
            if above:
                raise CraneJobRefused(job.id, f"{above[0]} stands on {job.number}")
            held = inventory.occupant(str(Spreader(command.crane)))
            if held is not None and held != job.number:
                raise CraneJobRefused(job.id, f"the hub has {held} on {command.crane}'s spreader")
        if to is JobState.DONE:
            if not lifting and record.place != Spreader(command.crane):
                raise CraneJobRefused(job.id, f"{job.number} is not on {command.crane}'s spreader")
            destination = parse_place(job.destination)
            inventory.check_can_stand(record.container, destination, moving=job.number)
        check = job
        for step in steps:
            check, _ = check.advance(step, command.at, crane=command.crane)
    except HubportError as error:
        return _alarm(uow, clock, command.crane, command.job, str(error))
    for step in steps:
        job = _change(uow, job, step, command.at, crane=command.crane)
    if lifting:
        inventory.move(
            record.container.number,
            Spreader(command.crane),
            command.at,
            crane=command.crane,
            reason=job.reason,
        )
    if to is JobState.DONE and destination is not None:
        inventory.move(
            record.container.number, destination, command.at, crane=command.crane, reason=job.reason
        )
    return job_summary(job)


def fail_crane_job(command: jobs.FailCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    job = uow.crane_jobs.get(command.job)
    if job.state is JobState.FAILED:
        return {**job_summary(job), "unchanged": True}
    return job_summary(
        _change(uow, job, JobState.FAILED, clock.now(), crane=command.crane, note=command.reason)
    )


def clear_crane_job(command: jobs.ClearCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    job = uow.crane_jobs.get(command.job)
    if job.state is not JobState.FAILED:
        return {**job_summary(job), "unchanged": True}
    return job_summary(
        _change(uow, job, JobState.LIFTED, clock.now(), crane=command.crane, note="cleared")
    )


def set_down_by_hand(command: jobs.SetDownByHand, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """The box of a failed job, set down by a person: the job is done where they put it."""
    job = uow.crane_jobs.get(command.job)
    if job.state is JobState.DONE:
        return {**job_summary(job), "unchanged": True}
    if job.state is not JobState.FAILED or not job.box_aboard or job.crane is None:
        raise CraneJobRefused(job.id, f"is {job.state.value}, not failed with its box aboard")
    place = command.place
    if place is None:
        if job.destination == TO_CHOOSE:
            raise CraneJobRefused(job.id, "has no fixed destination: name where the box went")
        place = parse_place(job.destination)
    inventory, now = uow.inventory, clock.now()
    record = inventory.get(job.number)
    if record.place != Spreader(job.crane):
        raise CraneJobRefused(job.id, f"{job.number} is at {record.place}, not on the spreader")
    inventory.check_can_stand(record.container, place, moving=job.number)
    note = f"set down by hand by {command.by}"
    job = dataclasses.replace(job, destination=str(place))
    job = _change(uow, job, JobState.PLACING, now, crane=job.crane, note=note)
    job = _change(uow, job, JobState.DONE, now, crane=job.crane, note=note)
    inventory.move(record.container.number, place, now, crane=job.crane, reason=job.reason)
    return job_summary(job)


def raise_crane_alarm(
    command: jobs.RaiseCraneAlarm, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    return _alarm(uow, clock, command.crane, command.job, command.problem)


def cancel_crane_job(command: jobs.CancelCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    job = uow.crane_jobs.get(command.job)
    if job.state is JobState.CANCELLED:
        return {**job_summary(job), "unchanged": True}
    return job_summary(_change(uow, job, JobState.CANCELLED, clock.now(), note=command.reason))


CRANE_JOB_HANDLERS: Mapping[type[Command], CommandHandler] = {
    jobs.PlanCraneJob: plan_crane_job,
    jobs.AssignCraneJob: assign_crane_job,
    jobs.SendCraneJob: send_crane_job,
    jobs.ReportCraneJob: report_crane_job,
    jobs.FailCraneJob: fail_crane_job,
    jobs.ClearCraneJob: clear_crane_job,
    jobs.CancelCraneJob: cancel_crane_job,
    jobs.SetDownByHand: set_down_by_hand,
    jobs.RaiseCraneAlarm: raise_crane_alarm,
}

__all__ = ["CRANE_JOB_HANDLERS", "REPORTS", "job_summary"]
