"""An open crane job as crane control works with it: the box, where it is picked and
set down, its state and crane, typed. Text is only where the job comes from (the store's
rows, a command's answer) and where its order goes (the equipment bus)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.crane_jobs import ABOARD, TO_CHOOSE, CraneJob, JobState
from hubport.domain.places import Place, TruckSlot, WagonSlot, parse_place

#: States of a job waiting for a crane to start it.
WAITING = frozenset({JobState.PLANNED, JobState.ASSIGNED})
#: States of a job sent to its crane and not done.
IN_HAND = frozenset({JobState.SENT, JobState.PICKING, *ABOARD})


@dataclass(frozen=True)
class OpenJob:
    """One open crane job: a box to move from ``origin`` to ``destination`` (None: chosen
    when its order goes out)."""

    id: str
    box: ContainerNumber
    origin: Place
    destination: Place | None
    reason: str
    state: JobState
    crane: str | None = None
    box_aboard: bool = False
    due: datetime | None = None
    train_id: str | None = None
    version: int = 0
    #: Where along the rail the box's storage zone is (a box for the yard), if planned.
    zone_x: float | None = None

    @classmethod
    def of(cls, job: CraneJob, zone_x: float | None = None) -> OpenJob:
        """The view of a stored job."""
        return cls(
            job.id,
            ContainerNumber(job.number),
            parse_place(job.origin),
            None if job.destination == TO_CHOOSE else parse_place(job.destination),
            job.reason,
            job.state,
            job.crane,
            job.box_aboard,
            job.due,
            job.train_id,
            job.version,
            zone_x,
        )

    @classmethod
    def answered(cls, summary: Mapping[str, Any], before: OpenJob | None = None) -> OpenJob:
        """The view of a job as a crane command answered it (``job_summary``'s fields);
        what the answer leaves out is kept from ``before``."""
        due = summary.get("due")
        zone = summary.get("zone_x")
        return cls(
            str(summary["job"]),
            ContainerNumber(summary["box"]),
            parse_place(summary["from"]),
            None if summary["to"] == TO_CHOOSE else parse_place(summary["to"]),
            str(summary["reason"]),
            JobState(summary["state"]),
            summary.get("crane"),
            bool(summary["box_aboard"]),
            datetime.fromisoformat(due) if due else None,
            summary.get("train_id"),
            int(summary.get("version") or 0),
            float(zone) if zone is not None else before.zone_x if before is not None else None,
        )

    @property
    def open(self) -> bool:
        return self.state not in (JobState.DONE, JobState.CANCELLED)

    @property
    def waiting(self) -> bool:
        return self.state in WAITING

    @property
    def in_hand(self) -> bool:
        return self.state in IN_HAND

    @property
    def train(self) -> str | None:
        """The train it discharges or loads, if any."""
        if self.train_id:
            return self.train_id
        for end in (self.origin, self.destination):
            if isinstance(end, WagonSlot):
                return end.train
        return None

    @property
    def serves_truck(self) -> bool:
        return isinstance(self.origin, TruckSlot) or isinstance(self.destination, TruckSlot)

    def moved_from(self, place: Place) -> OpenJob:
        """The job once another job (a relay, a relocation) moved its box to ``place``."""
        return replace(self, origin=place)


__all__ = ["IN_HAND", "WAITING", "OpenJob"]
