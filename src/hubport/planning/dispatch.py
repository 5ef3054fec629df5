"""Crane dispatch at the hub: which crane does which job, in what order, from when.

The jobs become tasks of the crane-scheduling core (``crane_schedule``): a task starts
where the box is picked and ends where it is set down, so it reserves that stretch of rail
while it runs; cranes that are out of service stay where they stand and block the rail.
The objective puts lateness against each job's due time first (a train's departure, a
truck's slot) and then weighted completion, so that trucks, weighted higher, wait little.
It is re-run whenever jobs arrive, finish or fail.

``fixed_zone_baseline`` is the simple rule to measure against: every crane takes the jobs
in its home stretch, nearest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hubport.domain.errors import InvalidSchedule
from hubport.planning.crane_schedule import (
    CraneStart,
    Objective,
    Problem,
    Schedule,
    Tables,
    Task,
    decode,
    score,
    start_bound,
    topological,
)
from hubport.planning.crane_search import heuristic

#: Far in the future: when a crane out of service will move again.
NEVER = 1e7


@dataclass(frozen=True)
class CraneWork:
    """One job to dispatch, in seconds from now and metres along the rail."""

    job: str
    pick_m: float
    place_m: float
    #: Hoist, trolley and spreader time of the move, without the gantry's travel.
    handling_s: float
    release_s: float = 0.0
    due_s: float | None = None
    weight: float = 1.0
    #: The crane that must do it (its box hangs from that crane's spreader).
    pinned: str | None = None
    #: Jobs that must be done first (the boxes standing on this one's box).
    after: tuple[str, ...] = ()
    #: Sent already to its (pinned) crane: the plan keeps it first there, and other
    #: cranes keep clear of its stretch until it is done.
    under_way: bool = False


@dataclass(frozen=True)
class CraneAvailability:
    """A crane as the dispatcher sees it now."""

    crane: str
    position_m: float
    ready_s: float = 0.0
    in_service: bool = True
    reach: tuple[float, float] = (float("-inf"), float("inf"))


@dataclass(frozen=True)
class PlannedJob:
    job: str
    crane: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class DispatchPlan:
    """Each crane's queue in order, with planned start and end times."""

    queues: Mapping[str, tuple[PlannedJob, ...]]
    makespan_s: float
    value: float
    #: Time jobs wait for other cranes to clear the way (start minus the earliest start
    #: the crane's own travel and the job's predecessors would allow), summed.
    interference_wait_s: float

    def job(self, job_id: str) -> PlannedJob | None:
        for queue in self.queues.values():
            for planned in queue:
                if planned.job == job_id:
                    return planned
        return None


@dataclass(frozen=True)
class Rail:
    """The rail's rules: least distance between crane centres and gantry speed."""

    separation_m: float
    gantry_speed_mps: float
    #: Added to each move for the gantry's speeding up and braking (speed / acceleration).
    ramp_s: float = 0.0


def problem_of(
    work: Sequence[CraneWork], cranes: Sequence[CraneAvailability], rail: Rail
) -> Problem:
    """The crane-scheduling problem of the hub's open jobs (cranes in rail order)."""
    ids = [c.crane for c in cranes]
    index = {job.job: i for i, job in enumerate(work)}
    tasks = []
    for job in work:
        travel = abs(job.place_m - job.pick_m) / rail.gantry_speed_mps
        if job.pinned is not None:
            if job.pinned not in ids:
                raise InvalidSchedule(f"job {job.job} is pinned to unknown crane {job.pinned}")
            eligible = frozenset({ids.index(job.pinned)})
        else:
            eligible = frozenset(
                k
                for k, c in enumerate(cranes)
                if c.in_service
                and c.reach[0] <= min(job.pick_m, job.place_m)
                and max(job.pick_m, job.place_m) <= c.reach[1]
            )
            if not eligible:
                raise InvalidSchedule(f"no crane in service can reach job {job.job}")
        tasks.append(
            Task(
                duration=job.handling_s + travel + rail.ramp_s,
                start_position=job.pick_m,
                end_position=job.place_m,
                release=job.release_s,
                due=job.due_s,
                weight=job.weight,
                eligible=eligible,
                under_way=job.under_way and job.pinned is not None,
            )
        )
    precedence = tuple(
        (index[before], index[job.job]) for job in work for before in job.after if before in index
    )
    positions = [c.position_m for c in cranes]
    for k in range(1, len(positions)):
        # positions reported a moment apart may look closer than the gap: plan them apart
        positions[k] = max(positions[k], positions[k - 1] + rail.separation_m)
    starts = tuple(
        CraneStart(x, c.ready_s if c.in_service else NEVER)
        for x, c in zip(positions, cranes, strict=True)
    )
    return Problem(
        tasks=tuple(tasks),
        cranes=starts,
        travel=1.0 / rail.gantry_speed_mps,
        separation=rail.separation_m,
        precedence=precedence,
        objective=Objective.SERVICE,
    )


def _plan(
    work: Sequence[CraneWork],
    cranes: Sequence[CraneAvailability],
    problem: Problem,
    schedule: Schedule,
) -> DispatchPlan:
    queues: dict[str, list[PlannedJob]] = {c.crane: [] for c in cranes}
    waits = 0.0
    finish_of: dict[int, float] = {}
    predecessors: dict[int, list[int]] = {}
    for before, after in problem.precedence:
        predecessors.setdefault(after, []).append(before)
    for k, crane in enumerate(cranes):
        previous: int | None = None
        for i in schedule.sequence(k):
            start = schedule.start[i]
            end = schedule.completion(problem, i)
            queues[crane.crane].append(PlannedJob(work[i].job, crane.crane, start, end))
            finish_of[i] = end
            own = start_bound(problem, i, k)
            if previous is not None:
                task = problem.tasks[i]
                gap = abs(task.start_position - problem.tasks[previous].finish_position)
                own = max(own, finish_of[previous] + gap * problem.travel)
            waits += max(0.0, start - own)
            previous = i
    return DispatchPlan(
        {crane: tuple(queue) for crane, queue in queues.items()},
        schedule.makespan(problem),
        score(problem, schedule),
        waits,
    )


def dispatch(
    work: Sequence[CraneWork],
    cranes: Sequence[CraneAvailability],
    rail: Rail,
    time_limit: float = 0.5,
    seed: int = 0,
    evaluations: int | None = None,
) -> DispatchPlan:
    """Assign and sequence the jobs over the cranes, non-crossing and gap kept; with
    ``evaluations``, a budget of schedules tried instead of a time (plans reproduce)."""
    if not work:
        return DispatchPlan({c.crane: () for c in cranes}, 0.0, 0.0, 0.0)
    problem = problem_of(work, cranes, rail)
    found = heuristic(problem, time_limit, seed=seed, evaluations=evaluations)
    return _plan(work, cranes, problem, found.schedule)


def fixed_zone_baseline(
    work: Sequence[CraneWork],
    cranes: Sequence[CraneAvailability],
    rail: Rail,
    zones: Mapping[str, tuple[float, float]],
) -> DispatchPlan:
    """Each crane takes the jobs picked in its home stretch, nearest job first."""
    if not work:
        return DispatchPlan({c.crane: () for c in cranes}, 0.0, 0.0, 0.0)
    problem = problem_of(work, cranes, rail)
    crane_of: list[int] = []
    for i, job in enumerate(work):
        allowed = sorted(problem.tasks[i].eligible)
        home = [
            k
            for k, c in enumerate(cranes)
            if zones[c.crane][0] <= job.pick_m < zones[c.crane][1] and k in allowed
        ]
        if home:
            crane_of.append(home[0])
        else:
            crane_of.append(min(allowed, key=lambda k: abs(cranes[k].position_m - job.pick_m)))
    priority = [0.0] * len(work)
    for k, crane in enumerate(cranes):
        position, left = crane.position_m, [i for i in range(len(work)) if crane_of[i] == k]
        rank = 0
        while left:
            ready = [i for i in left if work[i].release_s <= 0] or left
            nearest = min(ready, key=lambda i: (abs(work[i].pick_m - position), i))
            priority[nearest] = rank * len(cranes) + k
            position = work[nearest].place_m
            left.remove(nearest)
            rank += 1
    tables = Tables(problem)
    schedule = decode(tables, topological(tables, priority), crane_of)
    return _plan(work, cranes, problem, schedule)


__all__ = [
    "CraneAvailability",
    "CraneWork",
    "DispatchPlan",
    "PlannedJob",
    "Rail",
    "dispatch",
    "fixed_zone_baseline",
    "problem_of",
]
