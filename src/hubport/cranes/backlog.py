"""The waiting crane jobs as the dispatcher sees them, kept from one plan to the next.

A job's points, move and long haul depend on the job, the tracks of the trains it names
and which cranes are in service or stopped on the rail; while those stay the same they
are not worked out again, so that a backlog of hundreds of jobs (the hub at its design
capacity) costs a plan a look-up each, not a computation each. Only the due time moves
with the clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from datetime import datetime

from hubport.cranes import window as crane_window
from hubport.cranes.jobs import OpenJob
from hubport.domain.crane_motion import Point
from hubport.domain.places import TruckSlot, WagonSlot
from hubport.domain.site import Site
from hubport.planning.dispatch import CraneAvailability, CraneWork

TrackOf = Callable[[str], str | None]
Points = Callable[[OpenJob], tuple[Point, Point]]
Worked = tuple[Point, Point, CraneWork]


class Backlog:
    """Each waiting job's dispatch item, with what it was worked out from."""

    def __init__(self, site: Site, track_of: TrackOf, points: Points):
        self.site, self.track_of, self.points = site, track_of, points
        self._kept: dict[str, tuple[OpenJob, object, Worked]] = {}

    def item(
        self,
        job: OpenJob,
        cranes: list[CraneAvailability],
        in_service: Mapping[str, bool],
        stopped: Mapping[str, float],
        now: datetime,
    ) -> Worked:
        """The job's pick and place points and its dispatch item at ``now``."""
        tracks = tuple(
            self.track_of(place.train)
            for place in (job.origin, job.destination)
            if isinstance(place, WagonSlot)
        )
        basis = (tracks, tuple(in_service.items()), tuple(sorted(stopped.items())))
        kept = self._kept.get(job.id)
        if kept is not None and kept[0] is job and kept[1] == basis:
            pick, place, item = kept[2]
        else:
            pick, place = self.points(job)
            moved = crane_window.work_of(self.site, job, pick, place, now)
            item = crane_window.long_haul(self.site, in_service, moved, cranes, stopped)
            # a truck's box for the yard with no zone nor crane queues where work is least
            if not (isinstance(job.origin, TruckSlot) and job.destination is None) or (
                job.zone_x is not None or job.crane is not None
            ):
                self._kept[job.id] = (job, basis, (pick, place, item))
        if job.due is not None:
            item = dataclasses.replace(item, due_s=(job.due - now).total_seconds())
        return pick, place, item

    def keep_only(self, open_jobs: Collection[str]) -> None:
        """Forget the jobs no longer open (now and then: not at every plan)."""
        if len(self._kept) > 2 * len(open_jobs) + 64:
            self._kept = {k: v for k, v in self._kept.items() if k in open_jobs}


__all__ = ["Backlog"]
