"""The park commands. Each says who asks: ``role`` (park-admin, department, enterprise,
or the runtime) and ``party`` (a department's code, an enterprise's name); the API fills
both from the caller's token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
class WatchRequestDeadlines(Command):
    """The runtime's duty: a request that outstayed its state goes to supervision."""

    role: str = "runtime"


__all__ = [
    "AssignRequest",
    "CloseRequest",
    "ImportRequests",
    "MoveRequest",
    "ParkCommand",
    "RateRequest",
    "SubmitRequest",
    "WatchRequestDeadlines",
]
