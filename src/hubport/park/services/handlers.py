"""One handler per park command: check who asks, load the request, take the step the
state table allows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from hubport.park.domain.errors import RequestNotFound, RequestRefused
from hubport.park.domain.life import RequestState
from hubport.park.domain.meetings import Meeting, agenda_for, carried_over
from hubport.park.domain.requests import Request
from hubport.park.services import commands
from hubport.park.services.unit_of_work import ParkUnitOfWork
from hubport.services.clock import Clock

#: A request's overall time limit when the intake gives none (assumed: 15 days, the
#: usual limit of a 12345 case).
DEFAULT_TIME_LIMIT = timedelta(days=15)


class ParkRoleRefused(RequestRefused):
    """The caller's role, department or enterprise may not take this step."""


def _who(command: commands.ParkCommand) -> str:
    if command.author is not None and command.author.role not in (command.role, "runtime"):
        raise ParkRoleRefused(
            f"{command.author.account} is {command.author.role}: it cannot act as {command.role}"
        )
    return command.author.account if command.author is not None else (command.party or command.role)


def _summary(request: Request) -> dict[str, Any]:
    return {
        "request": request.id,
        "state": request.state.value,
        "entered": request.entered.isoformat(),
        "lead": request.lead,
    }


def _visible(command: commands.ParkCommand, request: Request) -> None:
    """A department acts on what is assigned to it; an enterprise on its own requests."""
    if command.role == "department" and command.party not in (request.lead, *request.supporting):
        raise RequestNotFound(f"no request {request.id!r}")
    if command.role == "enterprise" and command.party != request.enterprise:
        raise RequestNotFound(f"no request {request.id!r}")


def submit(command: commands.SubmitRequest, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    _who(command)
    if command.role not in ("enterprise", "park-admin"):
        raise ParkRoleRefused(f"{command.role} may not file a request")
    if command.role == "enterprise" and command.enterprise != command.party:
        raise ParkRoleRefused(f"enterprise {command.party} files requests for itself only")
    now = clock.now()
    request = Request(
        command.request,
        command.enterprise,
        now,
        command.deadline or now + DEFAULT_TIME_LIMIT,
        command.channel,
        command.category,
        command.urgency,
        command.project,
        command.summary,
    )
    uow.add(request, "api")
    return {**_summary(request), "deadline": request.deadline.isoformat()}


def assign(command: commands.AssignRequest, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    by = _who(command)
    request = uow.get(command.request)
    if not command.lead.strip():
        raise RequestRefused("an assignment names its lead department")
    request.move(
        uow.table,
        RequestState.ASSIGNED,
        by,
        clock.now(),
        command.role,
        f"lead {command.lead}"
        + (f"; supporting {', '.join(command.supporting)}" if command.supporting else ""),
    )
    request.lead, request.supporting = command.lead, command.supporting
    return _summary(request)


def move(command: commands.MoveRequest, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    by = _who(command)
    request = uow.get(command.request)
    _visible(command, request)
    try:
        target = RequestState(command.target)
    except ValueError:
        raise RequestRefused(f"{command.target!r} is not a request state") from None
    if target is RequestState.CLOSED:
        raise RequestRefused("closing goes through its own step, with a reason and evidence")
    if command.role == "department" and command.party != request.lead:
        raise ParkRoleRefused(
            f"department {command.party} supports request {request.id}; its lead "
            f"{request.lead} moves it"
        )
    request.move(uow.table, target, by, clock.now(), command.role, command.note)
    return _summary(request)


def close(command: commands.CloseRequest, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    by = _who(command)
    request = uow.get(command.request)
    request.close(uow.table, by, clock.now(), command.reason, command.evidence, command.role)
    return _summary(request)


def rate(command: commands.RateRequest, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    _who(command)
    request = uow.get(command.request)
    _visible(command, request)
    if command.role not in ("enterprise", "park-admin"):
        raise ParkRoleRefused(f"{command.role} may not rate a request")
    request.rate(command.score)
    return {**_summary(request), "rating": request.rating}


def import_requests(
    command: commands.ImportRequests, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _who(command)
    if command.role != "park-admin" and command.role != "admin":
        raise ParkRoleRefused(f"{command.role} may not import requests")
    added = 0
    for request in command.requests:
        uow.add(request, command.source[:120])
        added += 1
    return {"imported": added, "source": command.source}


def watch(
    command: commands.WatchRequestDeadlines, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    """Supervision takes up each request that outstayed its state, once."""
    if command.role not in ("runtime", "admin"):
        raise ParkRoleRefused(f"only the runtime watches the deadlines; {command.role} may not")
    now = clock.now()
    shortest = min(uow.table.limits.values(), default=timedelta(days=1))
    escalated = []
    for request_id in uow.open_since(now - shortest):
        request = uow.get(request_id)
        outstayed = request.overdue(uow.table, now)
        if outstayed is not None:
            request.escalated.append((request.state, request.entered))
            escalated.append(
                {
                    "request": request.id,
                    "state": request.state.value,
                    "since": request.entered.isoformat(),
                }
            )
    return {"escalated": escalated}


def _office(command: commands.ParkCommand, what: str) -> None:
    _who(command)
    if command.role not in ("park-admin", "admin"):
        raise ParkRoleRefused(f"only the park's service office may {what}; {command.role} may not")


def register_project(
    command: commands.RegisterProject, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _office(command, "register a project")
    if command.project is None:
        raise RequestRefused("a project to register")
    uow.add_record("project", command.project)
    return {"project": command.project.id, "stage": command.project.stage}


def record_stage(
    command: commands.RecordStage, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _office(command, "record a project's stage")
    project = uow.project(command.project)
    project.record(command.stage, command.actual or clock.now().date())
    return {"project": project.id, "stage": project.stage}


def create_task(command: commands.CreateTask, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    _office(command, "create a task")
    if command.task is None:
        raise RequestRefused("a task to create")
    uow.add_record("task", command.task)
    return {"task": command.task.id, "owner": command.task.owner, "state": command.task.state}


def complete_task(
    command: commands.CompleteTask, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _who(command)
    task = uow.task(command.task)
    task.complete(command.by, command.note)
    return {"task": task.id, "state": task.state}


def hold_meeting(
    command: commands.HoldMeeting, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _office(command, "hold a meeting")
    held_on = command.held_on or clock.now().date()
    meeting = Meeting(command.meeting, command.kind, held_on, command.attendees)
    tasks = uow.open_tasks()
    meeting.agenda = agenda_for(meeting, tasks, uow.requests_in("answered"), uow.escalated_open())
    carried: list[str] = []
    if meeting.kind == "joint":
        carried = carried_over(uow.last_joint_meeting(held_on), meeting)
        for task in tasks:
            if f"task {task.id}" in carried:
                task.meetings_open += 1
    uow.add_record("meeting", meeting)
    return {"meeting": meeting.id, "agenda": meeting.agenda, "carried_over": carried}


def record_decision(
    command: commands.RecordDecision, uow: ParkUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _office(command, "record a decision")
    meeting = uow.meeting(command.meeting)
    if not command.decision.strip():
        raise RequestRefused("a decision has its text")
    meeting.decisions.append(command.decision)
    return {"meeting": meeting.id, "decisions": len(meeting.decisions)}


def verify_task(command: commands.VerifyTask, uow: ParkUnitOfWork, clock: Clock) -> dict[str, Any]:
    _office(command, "verify a task")
    task, meeting = uow.task(command.task), uow.meeting(command.meeting)
    task.verify(command.by, meeting, command.evidence)
    return {"task": task.id, "state": task.state, "verified_by": task.verified_by}


Handler = Callable[[Any, ParkUnitOfWork, Clock], dict[str, Any]]
PARK_HANDLERS: Mapping[type, Handler] = {
    commands.SubmitRequest: submit,
    commands.AssignRequest: assign,
    commands.MoveRequest: move,
    commands.CloseRequest: close,
    commands.RateRequest: rate,
    commands.ImportRequests: import_requests,
    commands.WatchRequestDeadlines: watch,
    commands.RegisterProject: register_project,
    commands.RecordStage: record_stage,
    commands.CreateTask: create_task,
    commands.CompleteTask: complete_task,
    commands.HoldMeeting: hold_meeting,
    commands.RecordDecision: record_decision,
    commands.VerifyTask: verify_task,
}

__all__ = ["DEFAULT_TIME_LIMIT", "PARK_HANDLERS", "ParkRoleRefused"]
