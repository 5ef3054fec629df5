"""Handlers of what the cranes report about their jobs, and of their faults. The inventory
follows the job: the box goes onto the crane's spreader when the crane reports the lift,
and onto its destination at the set-down.

A report that repeats the job's current state changes nothing. A report that contradicts
the job or the inventory (another crane, a step out of order, a box that is not where
the job says) is not applied: it is logged as an ``EquipmentAlarm`` instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from hubport.domain.crane_jobs import TO_CHOOSE, EquipmentAlarm, JobState
from hubport.domain.errors import CraneJobRefused, HubportError
from hubport.domain.places import Spreader, parse_place
from hubport.services import crane_commands as jobs
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.crane_handlers import change_job, job_summary
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork

#: What a controller may report, and the state each report leads to.
REPORTS = {
    "picking": JobState.PICKING,
    "lifted": JobState.LIFTED,
    "placing": JobState.PLACING,
    "done": JobState.DONE,
}


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
        job = change_job(uow, job, step, command.at, crane=command.crane)
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
        change_job(uow, job, JobState.FAILED, clock.now(), crane=command.crane, note=command.reason)
    )


def clear_crane_job(command: jobs.ClearCraneJob, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    job = uow.crane_jobs.get(command.job)
    if job.state is not JobState.FAILED:
        return {**job_summary(job), "unchanged": True}
    return job_summary(
        change_job(uow, job, JobState.LIFTED, clock.now(), crane=command.crane, note="cleared")
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
    job = change_job(uow, job, JobState.PLACING, now, crane=job.crane, note=note)
    job = change_job(uow, job, JobState.DONE, now, crane=job.crane, note=note)
    inventory.move(record.container.number, place, now, crane=job.crane, reason=job.reason)
    return job_summary(job)


def raise_crane_alarm(
    command: jobs.RaiseCraneAlarm, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    return _alarm(uow, clock, command.crane, command.job, command.problem)


CRANE_REPORT_HANDLERS: Mapping[type[Command], CommandHandler] = {
    jobs.ReportCraneJob: report_crane_job,
    jobs.FailCraneJob: fail_crane_job,
    jobs.ClearCraneJob: clear_crane_job,
    jobs.SetDownByHand: set_down_by_hand,
    jobs.RaiseCraneAlarm: raise_crane_alarm,
}


__all__ = ["CRANE_REPORT_HANDLERS", "REPORTS"]
