"""Crane control's view of the open jobs: each job as the last command about it answered,
so that dispatch needs no read of the store. A repeat answers as the command did then:
the view takes those jobs from the store as they are now. A key that came back with other
content is reconciled with the hub's state, not refused."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hubport.cranes.jobs import OpenJob
from hubport.cranes.reports import CraneStatus
from hubport.domain.container import ContainerNumber
from hubport.domain.crane_jobs import JobState
from hubport.domain.errors import CraneJobRefused
from hubport.domain.places import Place
from hubport.services import crane_commands as jobs
from hubport.services.commands import Command
from hubport.services.messagebus import HubBus, IdempotencyConflict

log = logging.getLogger(__name__)

#: What the cranes report: a message id used again for another report is a new message.
REPORTS = (jobs.ReportCraneJob, jobs.FailCraneJob, jobs.ClearCraneJob, jobs.RaiseCraneAlarm)


@dataclass(frozen=True)
class FinishedJob:
    """A job the platform saw done: for the day's KPIs."""

    job: str
    box: ContainerNumber
    crane: str
    reason: str
    sent_at: datetime
    done_at: datetime
    #: The train it discharged or loaded, if any.
    train: str | None = None


class JobView:
    """The open jobs of one site as crane control knows them (``CraneControl`` holds the
    state named here)."""

    bus: HubBus
    status: dict[str, CraneStatus]
    jobs: dict[str, OpenJob]
    finished: list[FinishedJob]
    _sent_at: dict[str, datetime]
    reconciled: int
    #: Jobs seen done since the start: a set-down may have found room since.
    done_count: int

    def load(self) -> None:
        """Fill the view from the store (when the platform starts)."""
        with self.bus.uow_factory() as uow:
            for job in uow.crane_jobs.open_jobs():
                self.jobs[job.id] = OpenJob.of(job)

    def refresh(self) -> int:
        """Take the open jobs as the store has them: jobs other writers planned (a gate
        transaction, a discharge order through the API) join the view. The number new."""
        with self.bus.uow_factory() as uow:
            stored = uow.crane_jobs.open_jobs()
        fresh = {}
        for job in stored:
            before = self.jobs.get(job.id)
            fresh[job.id] = OpenJob.of(job, before.zone_x if before is not None else None)
        new = len(set(fresh) - set(self.jobs))
        self.jobs = fresh
        return new

    def _handle(self, command: Command, now: datetime) -> dict[str, Any]:
        try:
            outcome = self.bus.handle(command)
        except IdempotencyConflict as conflict:
            return self._follow(self._settle_conflict(command, conflict), now)
        except CraneJobRefused as refused:
            if isinstance(command, REPORTS):
                raise
            # a decision from a view the hub has moved past (a run started again)
            log.warning("%s; crane control takes the hub's state again", refused)
            self.reconciled += 1
            self.refresh()
            return {}
        if outcome.repeat:
            # a repeat answers as the command did then: the view takes the jobs as now
            self._take_stored(outcome.result)
            return outcome.result
        return self._follow(outcome.result, now)

    def _take_stored(self, result: dict[str, Any]) -> None:
        named = [s["job"] for s in result.get("jobs", [result]) if "state" in s]
        with self.bus.uow_factory() as uow:
            stored = {job_id: uow.crane_jobs.find(job_id) for job_id in named}
        for job_id, job in stored.items():
            if job is None or not job.open:
                self.jobs.pop(job_id, None)
                continue
            before = self.jobs.get(job_id)
            self.jobs[job_id] = OpenJob.of(job, before.zone_x if before is not None else None)

    def _follow(self, result: dict[str, Any], now: datetime) -> dict[str, Any]:
        """The view after a command's answer: its jobs as they now stand."""
        for summary in result.get("jobs", [result]):
            if "state" not in summary:
                continue  # an alarm: nothing changed
            job = OpenJob.answered(summary, self.jobs.get(summary["job"]))
            if job.state is JobState.DONE:
                self.done_count += 1
                if job.id in self.jobs and job.crane is not None:
                    sent_at = self._sent_at.pop(job.id, now)
                    self.finished.append(
                        FinishedJob(job.id, job.box, job.crane, job.reason, sent_at, now, job.train)
                    )
                if job.destination is not None:
                    self._moved(job, job.destination)
            if job.open:
                self.jobs[job.id] = job
            else:
                self.jobs.pop(job.id, None)
        return result

    def _settle_conflict(self, command: Command, conflict: IdempotencyConflict) -> dict[str, Any]:
        """A key that came back with other content (a run killed half-way and started
        again, a crane whose message ids started over) is reconciled with the hub's state,
        not refused. A crane's report is a new message: applied under a key of its own
        content (the job's life accepts it or raises an alarm). A decision of crane control
        taken before with other content: the hub's state wins, the view takes it again."""
        self.reconciled += 1
        if isinstance(command, REPORTS) and command.idempotency_key is not None:
            key = f"{command.idempotency_key}:{command.digest()[:12]}"
            log.info("%s; applied as a new message under %s", conflict, key)
            result: dict[str, Any] = self.bus.handle(
                dataclasses.replace(command, idempotency_key=key)
            ).result
            return result
        log.warning("%s; crane control takes the hub's state again", conflict)
        self.refresh()
        return {}

    def _moved(self, done: OpenJob, to: Place) -> None:
        """The other jobs of a box a relay or a relocation moved pick it where it is now."""
        for other in list(self.jobs.values()):
            if other.box == done.box and other.id != done.id:
                self.jobs[other.id] = other.moved_from(to)

    def _key(self, job: str, step: str) -> str:
        """The idempotency key of a step of a job at the version the store has: the same
        decision taken again after a restart is a repeat, and a later one a new key."""
        return f"{job}:{step}:v{self.jobs[job].version}"

    def mine(self, crane: str, *states: JobState) -> list[OpenJob]:
        return [j for j in self.jobs.values() if j.crane == crane and j.state in states]

    @property
    def waiting(self) -> bool:
        """Some job waits for a crane, and some crane in service has nothing in hand."""
        if not any(j.waiting or j.state is JobState.FAILED for j in self.jobs.values()):
            return False
        in_hand = {j.crane for j in self.jobs.values() if j.in_hand}
        return any(s.in_service and c not in in_hand for c, s in self.status.items())


__all__ = ["REPORTS", "FinishedJob", "JobView"]
