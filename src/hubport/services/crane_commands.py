"""Commands of a crane job's life (see ``domain/crane_jobs``): the platform plans, assigns,
sends and cancels; a crane's controller reports what it did, each report under its own
message id so that a repeat changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubport.domain.container import ContainerNumber
from hubport.domain.places import Place
from hubport.services.commands import Command


@dataclass(frozen=True)
class PlanCraneJob(Command):
    """Create a job to take ``number`` from where it stands to ``destination``.

    Without a destination the crane's set-down slot is chosen when the box is lifted
    (the stacking policy, within the crane's reach), so it reflects the yard at that moment.
    """

    job: str
    number: ContainerNumber
    reason: str
    destination: Place | None = None
    due: datetime | None = None
    priority: int = 0
    train_id: str | None = None


@dataclass(frozen=True)
class AssignCraneJob(Command):
    """Give a job to a crane (again: a re-assignment), as the dispatcher planned."""

    job: str
    crane: str
    note: str = ""


@dataclass(frozen=True)
class SendCraneJob(Command):
    """The job's order went out to its crane's controller. A destination still to choose
    is chosen now, within ``reach`` of the rail (default: all the crane can reach)."""

    job: str
    crane: str
    reach: tuple[float, float] | None = None
    #: Where to look next when ``reach`` has no room (the crane's working stretch).
    stretch: tuple[float, float] | None = None


@dataclass(frozen=True)
class ReportCraneJob(Command):
    """A crane's controller reports a job's progress: picking, lifted, placing or done.

    ``at`` is the controller's time of the step. The idempotency key is the report's
    message id.
    """

    job: str
    crane: str
    state: str
    at: datetime


@dataclass(frozen=True)
class FailCraneJob(Command):
    """A crane faulted or dropped off with the job: the job fails, and keeps its crane
    when the box is on the spreader."""

    job: str
    crane: str
    reason: str


@dataclass(frozen=True)
class ClearCraneJob(Command):
    """A crane that failed with a box on its spreader was cleared: the job resumes."""

    job: str
    crane: str


@dataclass(frozen=True)
class SetDownByHand(Command):
    """A person set down by hand the box of a job that failed with it on the spreader (the
    crane lost for good): at ``place``, or the job's own destination when that is fixed."""

    job: str
    place: Place | None
    by: str


@dataclass(frozen=True)
class RaiseCraneAlarm(Command):
    """Crane control raises an alarm that needs a person: a box on a lost crane's
    spreader, a job no crane in service can reach."""

    crane: str
    job: str | None
    problem: str


@dataclass(frozen=True)
class CancelCraneJob(Command):
    job: str
    reason: str


__all__ = [
    "AssignCraneJob",
    "CancelCraneJob",
    "ClearCraneJob",
    "FailCraneJob",
    "PlanCraneJob",
    "RaiseCraneAlarm",
    "ReportCraneJob",
    "SendCraneJob",
    "SetDownByHand",
]
