"""The park commands. Each says who asks: ``role`` (park-admin, department, enterprise,
or the runtime) and ``party`` (a department's code, an enterprise's name); the API fills
both from the caller's token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hubport.park.domain.meetings import Task
from hubport.park.domain.projects import Project
from hubport.park.domain.requests import Request
from hubport.services.commands import Command


@dataclass(frozen=True)
class ParkCommand(Command):
    role: str = "park-admin"
    party: str | None = None


@dataclass(frozen=True)
class SubmitRequest(ParkCommand):
    request: str = ""
    enterprise: str = ""
    channel: str = "online"
    category: str = ""
    urgency: str = "normal"
    project: str | None = None
    summary: str = ""
    deadline: datetime | None = None


@dataclass(frozen=True)
class AssignRequest(ParkCommand):
    request: str = ""
    lead: str = ""
    supporting: tuple[str, ...] = ()


@dataclass(frozen=True)
class MoveRequest(ParkCommand):
    """Claim, report progress, answer, return (with its reason) or reopen a request."""

    request: str = ""
    target: str = ""
    note: str = ""


@dataclass(frozen=True)
class CloseRequest(ParkCommand):
    request: str = ""
    reason: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class RateRequest(ParkCommand):
    request: str = ""
    score: int = 0


@dataclass(frozen=True)
class ImportRequests(ParkCommand):
    """Requests with their histories from another system, all or none."""

    requests: tuple[Request, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class RegisterProject(ParkCommand):
    project: Project | None = None


@dataclass(frozen=True)
class RecordStage(ParkCommand):
    project: str = ""
    stage: str = ""
    actual: date | None = None


@dataclass(frozen=True)
class CreateTask(ParkCommand):
    task: Task | None = None


@dataclass(frozen=True)
class CompleteTask(ParkCommand):
    """The assignee (``by``) reports the task done."""

    task: str = ""
    by: str = ""
    note: str = ""


@dataclass(frozen=True)
class HoldMeeting(ParkCommand):
    """A meeting with its attendees; its agenda is built from the open items."""

    meeting: str = ""
    kind: str = "joint"
    held_on: date | None = None
    attendees: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordDecision(ParkCommand):
    meeting: str = ""
    decision: str = ""


@dataclass(frozen=True)
class VerifyTask(ParkCommand):
    """Someone other than the assignee (``by``) verifies the task at a joint meeting."""

    task: str = ""
    meeting: str = ""
    by: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class WatchRequestDeadlines(Command):
    """The runtime's duty: a request that outstayed its state goes to supervision."""

    role: str = "runtime"


__all__ = [
    "AssignRequest",
    "CloseRequest",
    "CompleteTask",
    "CreateTask",
    "HoldMeeting",
    "ImportRequests",
    "MoveRequest",
    "ParkCommand",
    "RateRequest",
    "RecordDecision",
    "RecordStage",
    "RegisterProject",
    "SubmitRequest",
    "VerifyTask",
    "WatchRequestDeadlines",
]
