"""Which open crane jobs crane control hands the dispatcher, and how each looks to it: a
job waits while boxes stand on its box or its box is on another job's way; each crane
works its home stretch and some way into its neighbours'; a move longer than any stretch
goes to a crane whose rail reaches both ends."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import datetime

from hubport.cranes.jobs import OpenJob
from hubport.domain.container import ContainerNumber
from hubport.domain.crane_motion import Point, move_times
from hubport.domain.places import StackKey, YardSlot
from hubport.domain.site import Site
from hubport.planning import cranes as crane_rules
from hubport.planning.dispatch import CraneAvailability, CraneWork

#: Weight of a truck's job against a train's in the dispatcher's objective.
TRUCK_WEIGHT = 5.0
#: How far a crane may work into each neighbour's home stretch.
SHARED_M = 60.0


def long_haul(
    site: Site,
    in_service: Mapping[str, bool],
    item: CraneWork,
    cranes: list[CraneAvailability],
    stopped: Mapping[str, float] | None = None,
) -> CraneWork:
    """A move longer than any crane's working stretch (a box to the far end of the
    train) goes to the crane in service whose rail reaches both ends and whose home is
    nearest their middle; its neighbours make way."""
    low, high = min(item.pick_m, item.place_m), max(item.pick_m, item.place_m)
    if any(c.in_service and c.reach[0] <= low and high <= c.reach[1] for c in cranes):
        return item
    able = [
        crane
        for crane in site.cranes_along_rail
        if in_service[crane.id]
        and free_reach(site, crane.id, stopped or {})[0] <= low
        and high <= free_reach(site, crane.id, stopped or {})[1]
    ]
    if not able:
        return item
    middle = (low + high) / 2
    crane = min(able, key=lambda c: (abs(c.home_m - middle), c.id))
    return dataclasses.replace(item, pinned=crane.id)


class Blockers:
    """What holds jobs back, read once per plan from all the open jobs (a look per job
    then costs the same however many jobs are open): a box under another job's box waits
    until that one is lifted off, and a box on its way to a relay waits until it is
    there."""

    def __init__(self, jobs: Mapping[str, OpenJob]):
        self._of_box: dict[ContainerNumber, list[OpenJob]] = {}
        #: The highest tier each yard stack has a box to lift off at (not yet aboard).
        self._top: dict[StackKey, int] = {}
        for job in jobs.values():
            self._of_box.setdefault(job.box, []).append(job)
            place = job.origin
            if isinstance(place, YardSlot) and not job.box_aboard:
                for stack in place.stacks:
                    self._top[stack] = max(self._top.get(stack, 0), place.tier)

    def hold(self, job: OpenJob) -> bool:
        """Whether ``job`` waits for another job first."""
        for other in self._of_box.get(job.box, ()):
            if other.id == job.id:
                continue
            relaying = other.reason == "relay" and job.reason != "relay"
            if other.in_hand or relaying:
                return True  # its box is still on another job's way
        origin = job.origin
        if not isinstance(origin, YardSlot):
            return False
        return any(self._top.get(stack, 0) > origin.tier for stack in origin.stacks)


def stretch(
    site: Site,
    in_service: Mapping[str, bool],
    crane_id: str,
    stopped: Mapping[str, float] | None = None,
) -> tuple[float, float]:
    """Where the dispatcher lets a crane work: its home stretch and ``SHARED_M`` into
    each neighbour's, within its rail reach; wider where a neighbour is out of service,
    so that its work can be taken over, but never past a crane stopped on the rail."""
    along = site.cranes_along_rail
    index = [c.id for c in along].index(crane_id)
    crane = along[index]
    low, high = crane.zone_start_m - SHARED_M, crane.zone_end_m + SHARED_M
    if index > 0 and not in_service[along[index - 1].id]:
        low = along[index - 1].zone_start_m
    if index + 1 < len(along) and not in_service[along[index + 1].id]:
        high = along[index + 1].zone_end_m
    reach = free_reach(site, crane_id, stopped or {})
    return (max(low, reach[0]), min(high, reach[1]))


def room(site: Site, crane: str, sweeps: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """The stretch a crane may work while the others finish what they have in hand
    (``sweeps``: the stretch each one crosses): beyond each one's sweep by a safety gap
    for every crane between."""
    along = [c.id for c in site.cranes_along_rail]
    index = along.index(crane)
    gap = site.safety_gap_m
    low, high = -math.inf, math.inf
    for other, (other_low, other_high) in sweeps.items():
        if other == crane:
            continue
        apart = along.index(other) - index
        if apart < 0:
            low = max(low, other_high - gap * apart)
        else:
            high = min(high, other_low - gap * apart)
    return low, high


def fits_room(
    site: Site, crane: str, sweep: tuple[float, float], sweeps: Mapping[str, tuple[float, float]]
) -> bool:
    """Whether a crane's move across ``sweep`` keeps to its ``room``."""
    low, high = room(site, crane, sweeps)
    return low <= sweep[0] and sweep[1] <= high


def free_reach(site: Site, crane_id: str, stopped: Mapping[str, float]) -> tuple[float, float]:
    """The stretch of rail a crane can reach at all: its rail reach, short of each crane
    stopped on the rail (where it stands, by a safety gap for every crane between)."""
    along = [c.id for c in site.cranes_along_rail]
    index = along.index(crane_id)
    low, high = crane_rules.rail_reach(site, site.crane(crane_id))
    for other, at in stopped.items():
        apart = along.index(other) - index
        if apart < 0:
            low = max(low, at - site.safety_gap_m * apart)
        elif apart > 0:
            high = min(high, at - site.safety_gap_m * apart)
    return low, high


def reachable(
    site: Site,
    in_service: Mapping[str, bool],
    stopped: Mapping[str, float],
    *xs: float,
) -> bool:
    """Whether some crane in service can reach every one of ``xs`` on the rail."""
    for crane, serving in in_service.items():
        if not serving:
            continue
        low, high = free_reach(site, crane, stopped)
        if all(low <= x <= high for x in xs):
            return True
    return False


def work_of(site: Site, job: OpenJob, pick: Point, place: Point, now: datetime) -> CraneWork:
    """A job as the dispatcher sees it: rail positions, handling time, due time, weight."""
    kind = site.cranes_along_rail[0].kind
    flat = Point(pick.along_m, place.across_m, place.height_m)
    height = site.travel_height_m
    handling = move_times(
        kind, Point(pick.along_m, pick.across_m, height), pick, flat, height
    ).total
    due = (job.due - now).total_seconds() if job.due is not None else None
    return CraneWork(
        job.id,
        pick.along_m,
        place.along_m,
        handling,
        due_s=due,
        weight=TRUCK_WEIGHT if job.serves_truck else 1.0,
    )


__all__ = [
    "SHARED_M",
    "TRUCK_WEIGHT",
    "Blockers",
    "fits_room",
    "free_reach",
    "long_haul",
    "reachable",
    "room",
    "stretch",
    "work_of",
]
