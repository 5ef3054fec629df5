"""A crane job's life: planned → assigned → sent → picking → lifted → placing → done.

One job moves one box from one place to another with one crane. Off the happy path a job
can fail (the crane faulted or dropped off the bus), be re-assigned to another crane, or be
cancelled. A job that fails with its box on the spreader keeps its crane: the box hangs
there until the crane is cleared and finishes the move; it is never re-assigned.

Every change is a ``CraneJobChanged`` event; the store keeps the job's current state
and the event log its history.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from hubport.domain.errors import CraneJobRefused
from hubport.domain.events import Event


class JobState(StrEnum):
    PLANNED = "planned"
    ASSIGNED = "assigned"
    SENT = "sent"
    PICKING = "picking"
    LIFTED = "lifted"
    PLACING = "placing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: Where each state may go next. ``assigned → assigned`` is a re-assignment.
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.PLANNED: frozenset({JobState.ASSIGNED, JobState.CANCELLED}),
    JobState.ASSIGNED: frozenset(
        {JobState.ASSIGNED, JobState.SENT, JobState.FAILED, JobState.CANCELLED}
    ),
    JobState.SENT: frozenset(
        {JobState.ASSIGNED, JobState.PICKING, JobState.FAILED, JobState.CANCELLED}
    ),
    JobState.PICKING: frozenset({JobState.LIFTED, JobState.FAILED}),
    JobState.LIFTED: frozenset({JobState.PLACING, JobState.FAILED}),
    JobState.PLACING: frozenset({JobState.DONE, JobState.FAILED}),
    JobState.FAILED: frozenset(
        {JobState.ASSIGNED, JobState.CANCELLED, JobState.LIFTED, JobState.PLACING}
    ),
    JobState.DONE: frozenset(),
    JobState.CANCELLED: frozenset(),
}

#: A destination still to be chosen (when the job's order goes out).
TO_CHOOSE = "-"

#: States in which the job's box hangs from the crane's spreader.
ABOARD = frozenset({JobState.LIFTED, JobState.PLACING})
OPEN = frozenset(set(JobState) - {JobState.DONE, JobState.CANCELLED})


@dataclass(frozen=True)
class CraneJob:
    """One box moved by one crane, and where the job stands."""

    id: str
    number: str
    origin: str
    destination: str
    reason: str
    state: JobState = JobState.PLANNED
    crane: str | None = None
    #: The box is on the spreader (lifted, placing, or failed after the lift).
    box_aboard: bool = False
    #: Latest wanted completion (a train's departure, a truck's slot), if any.
    due: datetime | None = None
    priority: int = 0
    train_id: str | None = None
    version: int = 0
    note: str = ""
    #: The clock's time of the job's last change.
    changed_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.state in OPEN

    def advance(
        self, to: JobState, at: datetime, crane: str | None = None, note: str = ""
    ) -> tuple[CraneJob, CraneJobChanged]:
        """The job after moving to ``to``, and the event that records it; refused when
        the job's life does not allow it."""
        if to not in TRANSITIONS[self.state]:
            raise CraneJobRefused(self.id, f"cannot go from {self.state} to {to}")
        new_crane = self.crane
        if to is JobState.ASSIGNED:
            if crane is None:
                raise CraneJobRefused(self.id, "an assignment names its crane")
            if self.box_aboard:
                raise CraneJobRefused(
                    self.id, f"its box is on {self.crane}'s spreader: the job stays with it"
                )
            new_crane = crane
        elif crane is not None and crane != self.crane:
            raise CraneJobRefused(self.id, f"is {self.crane}'s job, not {crane}'s")
        if to is JobState.CANCELLED and self.box_aboard:
            raise CraneJobRefused(self.id, "cannot be cancelled with its box on the spreader")
        if self.state is JobState.FAILED and to in ABOARD and not self.box_aboard:
            raise CraneJobRefused(self.id, "has no box on the spreader to resume with")
        aboard = self.box_aboard
        if to is JobState.LIFTED:
            aboard = True
        elif to in (JobState.DONE, JobState.ASSIGNED, JobState.CANCELLED):
            aboard = False
        job = dataclasses.replace(
            self,
            state=to,
            crane=new_crane,
            box_aboard=aboard,
            version=self.version + 1,
            note=note,
            changed_at=at,
        )
        return job, CraneJobChanged(at, job.id, job.number, self.state, to, new_crane, note)


@dataclass(frozen=True)
class CraneJobChanged(Event):
    """A crane job moved on in its life (``previous`` → ``state``)."""

    changes_inventory: ClassVar[bool] = False

    job: str
    number: str
    previous: str  # a JobState
    state: str  # a JobState
    crane: str | None
    note: str = ""


@dataclass(frozen=True)
class CraneJobPlanned(Event):
    """A crane job was created: a box to move from one place to another."""

    changes_inventory: ClassVar[bool] = False

    job: str
    number: str
    origin: str
    destination: str
    reason: str
    due: datetime | None = None
    train_id: str | None = None


@dataclass(frozen=True)
class EquipmentAlarm(Event):
    """The platform refused what a crane reported, or lost the crane; people must look."""

    changes_inventory: ClassVar[bool] = False

    crane: str
    job: str | None
    problem: str


@dataclass(frozen=True)
class OpenJobs:
    """Which open jobs a handler asks for, so that the store reads only those (the open
    work grows with the traffic: a command must not read all of it to find one box's)."""

    #: Jobs of these boxes.
    numbers: frozenset[str] | None = None
    #: Jobs whose box is in a crane's hand.
    aboard: bool = False
    #: Jobs for this train: its own, or taking a box to or from one of its wagons.
    train: str | None = None

    @property
    def wagon_prefix(self) -> str | None:
        """How a place on this train's wagons begins (``WagonSlot``'s text)."""
        return None if self.train is None else f"wagon:{self.train}:"

    def matches(self, job: CraneJob) -> bool:
        if not job.open:
            return False
        if self.numbers is not None and job.number not in self.numbers:
            return False
        if self.aboard and not job.box_aboard:
            return False
        prefix = self.wagon_prefix
        return (
            prefix is None
            or job.train_id == self.train
            or job.origin.startswith(prefix)
            or job.destination.startswith(prefix)
        )


class CraneJobBook:
    """The crane jobs one unit of work reads and changes, fetched on first use.

    ``fetch`` finds a stored job by id; ``fetch_open`` lists the open ones (of one crane
    when given); ``fetch_which`` the open ones an ``OpenJobs`` asks for (default: the
    open ones, filtered). Changes are kept with the version each job had when read, so
    that the store can refuse a writer that raced another.
    """

    def __init__(
        self,
        fetch: Callable[[str], CraneJob | None],
        fetch_open: Callable[[str | None], list[CraneJob]],
        fetch_which: Callable[[OpenJobs], list[CraneJob]] | None = None,
    ):
        self._fetch = fetch
        self._fetch_open = fetch_open
        self._fetch_which = fetch_which or (
            lambda which: [job for job in fetch_open(None) if which.matches(job)]
        )
        self._jobs: dict[str, CraneJob] = {}
        self._read_version: dict[str, int | None] = {}
        self.changed: dict[str, CraneJob] = {}

    def find(self, job_id: str) -> CraneJob | None:
        if job_id not in self._jobs:
            job = self._fetch(job_id)
            if job is None:
                return None
            self._jobs[job_id] = job
            self._read_version[job_id] = job.version
        return self._jobs[job_id]

    def get(self, job_id: str) -> CraneJob:
        job = self.find(job_id)
        if job is None:
            raise CraneJobRefused(job_id, "no such crane job")
        return job

    def open_jobs(self, crane: str | None = None) -> list[CraneJob]:
        for job in self._fetch_open(crane):
            if job.id not in self._jobs:
                self._jobs[job.id] = job
                self._read_version[job.id] = job.version
        return sorted(
            (j for j in self._jobs.values() if j.open and (crane is None or j.crane == crane)),
            key=lambda j: j.id,
        )

    def open_which(self, which: OpenJobs) -> list[CraneJob]:
        """The open jobs ``which`` asks for, as this unit of work sees them (its own
        changes and additions included), by id."""
        for job in self._fetch_which(which):
            if job.id not in self._jobs:
                self._jobs[job.id] = job
                self._read_version[job.id] = job.version
        return sorted((j for j in self._jobs.values() if which.matches(j)), key=lambda j: j.id)

    def open_of_boxes(self, numbers: Iterable[str]) -> dict[str, CraneJob]:
        """The open job of each of these boxes that has one."""
        which = OpenJobs(numbers=frozenset(numbers))
        return {job.number: job for job in self.open_which(which)} if which.numbers else {}

    def add(self, job: CraneJob) -> None:
        if self.find(job.id) is not None:
            raise CraneJobRefused(job.id, "exists already")
        self._jobs[job.id] = job
        self._read_version[job.id] = None
        self.changed[job.id] = job

    def put(self, job: CraneJob) -> None:
        """Keep a job's new state (it must have been read or added first)."""
        if job.id not in self._jobs:
            raise CraneJobRefused(job.id, "was not read in this unit of work")
        self._jobs[job.id] = job
        self.changed[job.id] = job

    def pending_writes(self) -> list[tuple[CraneJob, int | None]]:
        return [(job, self._read_version[job.id]) for job in self.changed.values()]


__all__ = [
    "ABOARD",
    "OPEN",
    "TO_CHOOSE",
    "TRANSITIONS",
    "CraneJob",
    "CraneJobBook",
    "CraneJobChanged",
    "CraneJobPlanned",
    "EquipmentAlarm",
    "JobState",
    "OpenJobs",
]
