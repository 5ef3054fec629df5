"""Crane jobs in the store: fetched one by one or as the open work, written under version."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select, true, update

from hubport.adapters import tables
from hubport.adapters.times import utc_or_none
from hubport.domain.crane_jobs import OPEN, CraneJob, JobState, OpenJobs
from hubport.domain.errors import ConcurrentUpdate

_TABLE = tables.crane_jobs
# built once (crane control reads and writes a job several times a move)
_GET = select(_TABLE).where(_TABLE.c.id == bindparam("key"))
_INSERT = insert(_TABLE)
_UPDATE = update(_TABLE).where(
    _TABLE.c.id == bindparam("where_key"), _TABLE.c.version == bindparam("where_version")
)


def _job(row: Any) -> CraneJob:
    return CraneJob(
        id=row.id,
        number=row.container_number,
        origin=row.origin,
        destination=row.destination,
        reason=row.reason,
        state=JobState(row.state),
        crane=row.crane,
        box_aboard=bool(row.box_aboard),
        due=utc_or_none(row.due),
        priority=row.priority,
        train_id=row.train_id,
        version=row.version,
        note=row.note,
        changed_at=utc_or_none(row.updated_at),
    )


class CraneJobStore:
    """Reads and writes the ``crane_jobs`` table inside the caller's transaction."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def get(self, job_id: str) -> CraneJob | None:
        row = self.connection.execute(_GET, {"key": job_id}).first()
        return None if row is None else _job(row)

    def open_jobs(self, crane: str | None = None) -> list[CraneJob]:
        query = select(_TABLE).where(_TABLE.c.state.in_([s.value for s in OPEN]))
        if crane is not None:
            query = query.where(_TABLE.c.crane == crane)
        return [_job(row) for row in self.connection.execute(query.order_by(_TABLE.c.id))]

    def open_which(self, which: OpenJobs) -> list[CraneJob]:
        """The open jobs ``which`` asks for (the store filters: few rows are read)."""
        query = select(_TABLE).where(_TABLE.c.state.in_([s.value for s in OPEN]))
        if which.numbers is not None:
            query = query.where(_TABLE.c.container_number.in_(sorted(which.numbers)))
        if which.aboard:
            query = query.where(_TABLE.c.box_aboard == true())
        prefix = which.wagon_prefix
        if prefix is not None:
            query = query.where(
                or_(
                    _TABLE.c.train_id == which.train,
                    _TABLE.c.origin.startswith(prefix, autoescape=True),
                    _TABLE.c.destination.startswith(prefix, autoescape=True),
                )
            )
        rows = self.connection.execute(query.order_by(_TABLE.c.id))
        return [job for job in map(_job, rows) if which.matches(job)]

    def jobs_of(self, numbers: Iterable[str]) -> list[CraneJob]:
        query = select(_TABLE).where(_TABLE.c.container_number.in_(list(numbers)))
        return [_job(row) for row in self.connection.execute(query.order_by(_TABLE.c.id))]

    def save(self, jobs: Iterable[tuple[CraneJob, int | None]], now: datetime) -> None:
        """Write each job; ``None`` as the expected version means a new job."""
        for job, expected in jobs:
            values = {
                "container_number": job.number,
                "origin": job.origin,
                "destination": job.destination,
                "reason": job.reason,
                "state": job.state.value,
                "crane": job.crane,
                "box_aboard": job.box_aboard,
                "due": utc_or_none(job.due),
                "priority": job.priority,
                "train_id": job.train_id,
                "note": job.note,
                "updated_at": utc_or_none(job.changed_at or now),
                "version": job.version,
            }
            if expected is None:
                self.connection.execute(_INSERT, {"id": job.id, **values})
                continue
            done = self.connection.execute(
                _UPDATE, {"where_key": job.id, "where_version": expected, **values}
            )
            if done.rowcount != 1:
                raise ConcurrentUpdate(f"crane job {job.id} changed since it was read")
