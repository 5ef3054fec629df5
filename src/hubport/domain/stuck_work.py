"""Work that is stuck: what ``hubport check`` names, so that "sound" means sound.

- a box on the spreader of a crane whose job failed (the crane faulted or dropped off the
  bus with it): it needs a person;
- a job open long past its due time (a train's departure, a truck's slot);
- a train past its departure with crane work still open for it.

The time they are judged at is the hub's: the latest time the store knows (the newest
event, or the runtime's heartbeat), never the wall clock of whoever runs the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from hubport.domain.crane_jobs import CraneJob, JobState
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.visits import TrainVisit

#: How long past its due time an open job may stay before it is called stuck.
OVERDUE = timedelta(hours=1)


def stuck_work(
    jobs: Iterable[CraneJob],
    trains_on_site: Iterable[TrainVisit],
    now: datetime,
    overdue: timedelta = OVERDUE,
) -> list[str]:
    """Each stuck item in words, naming the box, the job, the crane or the train."""
    found: list[str] = []
    open_jobs = [job for job in jobs if job.open]
    for job in open_jobs:
        if job.state is JobState.FAILED and job.box_aboard:
            found.append(
                f"box {job.number} hangs on {job.crane}'s spreader (job {job.id} failed"
                f"{': ' + job.note if job.note else ''}): it needs a person"
            )
        elif job.due is not None and now - job.due > overdue:
            late = _duration(now - job.due)
            found.append(
                f"job {job.id} ({job.reason} of {job.number}, {job.state.value}) is open "
                f"{late} past its due time {_hub(job.due)}"
            )
    by_train: dict[str, int] = {}
    for job in open_jobs:
        if job.train_id is not None:
            by_train[job.train_id] = by_train.get(job.train_id, 0) + 1
    for train in trains_on_site:
        if train.departs is not None and train.departs < now and by_train.get(train.id):
            found.append(
                f"train {train.id} is past its departure {_hub(train.departs)} with "
                f"{by_train[train.id]} crane job(s) open"
            )
    return found


def _hub(moment: datetime) -> str:
    return moment.astimezone(HUB_TIME).strftime("%Y-%m-%d %H:%M")


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


__all__ = ["OVERDUE", "stuck_work"]
