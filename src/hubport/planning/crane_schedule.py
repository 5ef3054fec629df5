"""Cranes on one rail: the scheduling problem, its interference rules and a fast heuristic.

The core shared by the hub's crane dispatch and the published quay-crane benchmark (QCSP,
Kim & Park 2004; Meisel & Bierwirth 2011). Tasks lie at positions along a rail and take a
fixed time; cranes on the rail cannot pass each other and keep ``separation`` apart. As in
Bierwirth & Meisel (2009), two tasks on cranes v < w whose positions come closer than the
cranes' combined separation must run at least ``travel × overlap`` apart in time, in either
order; those gaps, with each crane's travel between its own tasks, are exactly what
collision-free trajectories need (``crane_paths`` builds them).

A hub move picks at one rail position and sets down at another: a task therefore has a
``start_position`` and an ``end_position`` and reserves the stretch between them while it
runs. A QCSP task has the two equal.

``decode`` is a serial schedule generation scheme: each task, in priority order, goes to
its crane at the earliest moment every gap allows, before or after work already placed on
other cranes; ``crane_search`` searches over the assignment and the priorities.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from hubport.domain.errors import InvalidSchedule

EPSILON = 1e-9


class Objective(StrEnum):
    """What a schedule minimises."""

    MAKESPAN = "makespan"  # the last completion (the benchmark's objective)
    SERVICE = "service"  # lateness against due times first, then weighted completion


@dataclass(frozen=True)
class Task:
    """One piece of crane work: where it is on the rail, how long it takes, when it may start."""

    duration: float
    start_position: float
    end_position: float | None = None
    release: float = 0.0
    due: float | None = None
    weight: float = 1.0
    #: Cranes that may do it (by index along the rail); empty means any.
    eligible: frozenset[int] = frozenset()
    #: Already under way on its one eligible crane: it comes before that crane's others.
    under_way: bool = False

    @property
    def finish_position(self) -> float:
        return self.start_position if self.end_position is None else self.end_position

    @property
    def low(self) -> float:
        return min(self.start_position, self.finish_position)

    @property
    def high(self) -> float:
        return max(self.start_position, self.finish_position)


@dataclass(frozen=True)
class CraneStart:
    """Where a crane stands, and from when it is free to work."""

    position: float
    ready: float = 0.0


@dataclass(frozen=True)
class Problem:
    """Tasks on a rail, cranes numbered from the low end, and the rules between them."""

    tasks: tuple[Task, ...]
    cranes: tuple[CraneStart, ...]
    #: Time to move one unit of rail (a bay in the benchmark, a metre at the hub).
    travel: float
    #: Least distance between neighbouring cranes ((s + 1) bays in the benchmark).
    separation: float
    precedence: tuple[tuple[int, int], ...] = ()
    exclusive: tuple[tuple[int, int], ...] = ()
    objective: Objective = Objective.MAKESPAN

    def __post_init__(self) -> None:
        if not self.cranes:
            raise InvalidSchedule("a crane schedule needs at least one crane")
        if self.travel <= 0:
            raise InvalidSchedule(f"travel time per unit {self.travel} must be positive")
        positions = [crane.position for crane in self.cranes]
        for left, right in itertools.pairwise(positions):
            if right - left < self.separation - EPSILON:
                raise InvalidSchedule(
                    f"cranes start at {left} and {right}, closer than {self.separation}"
                )
        n = len(self.tasks)
        for pair in (*self.precedence, *self.exclusive):
            if not all(0 <= index < n for index in pair) or pair[0] == pair[1]:
                raise InvalidSchedule(f"task pair {pair} names no two tasks of {n}")
        for index, task in enumerate(self.tasks):
            if task.duration < 0:
                raise InvalidSchedule(f"task {index + 1} duration {task.duration} is negative")
            if task.eligible and not task.eligible <= set(range(len(self.cranes))):
                raise InvalidSchedule(f"task {index + 1} eligible cranes {sorted(task.eligible)}")

    @property
    def crane_count(self) -> int:
        return len(self.cranes)


@dataclass(frozen=True)
class Schedule:
    """Which crane does each task and when it starts (tasks and cranes by index)."""

    crane_of: tuple[int, ...]
    start: tuple[float, ...]

    def completion(self, problem: Problem, task: int) -> float:
        return self.start[task] + problem.tasks[task].duration

    def makespan(self, problem: Problem) -> float:
        return max((self.completion(problem, i) for i in range(len(self.start))), default=0.0)

    def sequence(self, crane: int) -> list[int]:
        """The tasks of one crane in the order it does them."""
        tasks = [i for i, k in enumerate(self.crane_of) if k == crane]
        return sorted(tasks, key=lambda i: (self.start[i], i))


def interference_gap(
    problem: Problem, first: int, first_crane: int, second: int, crane: int
) -> float | None:
    """The least time between two tasks on two cranes, or None when they never meet.

    On one crane it is the travel from where ``first`` ends to where ``second`` starts
    (``first`` runs first). On two cranes it holds in either order.
    """
    a, b = problem.tasks[first], problem.tasks[second]
    if first_crane == crane:
        return problem.travel * abs(b.start_position - a.finish_position)
    lower, upper = (a, b) if first_crane < crane else (b, a)
    overlap = lower.high - upper.low + problem.separation * abs(crane - first_crane)
    return problem.travel * overlap if overlap > EPSILON else None


def start_bound(problem: Problem, task: int, crane: int) -> float:
    """The earliest start of a task on a crane: its release, the crane's travel from its
    start, and every other crane's need to clear the way from where it starts."""
    item = problem.tasks[task]
    own = problem.cranes[crane]
    bound = max(item.release, own.ready + problem.travel * abs(item.start_position - own.position))
    for other, start in enumerate(problem.cranes):
        if other == crane:
            continue
        if other > crane:
            overlap = item.high - start.position + problem.separation * (other - crane)
        else:
            overlap = start.position - item.low + problem.separation * (crane - other)
        if overlap > EPSILON:
            bound = max(bound, start.ready + problem.travel * overlap)
    return bound


def score(problem: Problem, schedule: Schedule) -> float:
    """The value the problem's objective gives a schedule (lower is better)."""
    if problem.objective is Objective.MAKESPAN:
        return schedule.makespan(problem)
    lateness = 0.0
    weighted = 0.0
    for index, task in enumerate(problem.tasks):
        done = schedule.completion(problem, index)
        weighted += task.weight * done
        if task.due is not None:
            lateness += max(0.0, done - task.due)
    return 1000.0 * lateness + weighted


@dataclass
class Tables:
    """Per-problem facts the decoder looks up for every pair of tasks."""

    problem: Problem
    predecessors: list[list[int]] = field(default_factory=list)
    successors: list[list[int]] = field(default_factory=list)
    exclusive: list[set[int]] = field(default_factory=list)
    bounds: list[list[float]] = field(default_factory=list)
    gaps: dict[tuple[int, int, int], float | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, q = len(self.problem.tasks), self.problem.crane_count
        self.predecessors = [[] for _ in range(n)]
        self.successors = [[] for _ in range(n)]
        self.exclusive = [set() for _ in range(n)]
        for before, after in self.problem.precedence:
            self.predecessors[after].append(before)
            self.successors[before].append(after)
        for a, b in self.problem.exclusive:
            self.exclusive[a].add(b)
            self.exclusive[b].add(a)
        self.bounds = [[start_bound(self.problem, i, k) for k in range(q)] for i in range(n)]

    def gap(self, placed: int, placed_crane: int, task: int, crane: int) -> float | None:
        """Cross-crane gap (order-free), cached by the two tasks and the crane distance."""
        key = (placed, task, crane - placed_crane)
        if key not in self.gaps:
            self.gaps[key] = interference_gap(self.problem, placed, placed_crane, task, crane)
        return self.gaps[key]


def decode(tables: Tables, order: Sequence[int], crane_of: Sequence[int]) -> Schedule:
    """Place tasks in ``order`` (a topological order of the precedence) on their cranes."""
    problem = tables.problem
    n = len(problem.tasks)
    start = [0.0] * n
    finish = [0.0] * n
    last: list[int | None] = [None] * problem.crane_count
    placed: list[int] = []
    for task in order:
        crane = crane_of[task]
        item = problem.tasks[task]
        earliest = tables.bounds[task][crane]
        for before in tables.predecessors[task]:
            earliest = max(earliest, finish[before])
        previous = last[crane]
        if previous is not None:
            travel = interference_gap(problem, previous, crane, task, crane) or 0.0
            earliest = max(earliest, finish[previous] + travel)
        windows: list[tuple[float, float]] = []
        exclusive = tables.exclusive[task]
        for other in placed:
            other_crane = crane_of[other]
            if other_crane == crane:
                continue
            gap = tables.gap(other, other_crane, task, crane)
            if gap is None:
                if other not in exclusive:
                    continue
                gap = 0.0
            windows.append((start[other] - gap - item.duration, finish[other] + gap))
        for low, high in sorted(windows):
            if low >= earliest - EPSILON:
                break
            if earliest < high - EPSILON:
                earliest = high
        start[task] = earliest
        finish[task] = earliest + item.duration
        last[crane] = task
        placed.append(task)
    return Schedule(tuple(crane_of), tuple(start))


def topological(tables: Tables, priority: Sequence[float]) -> list[int]:
    """The tasks by priority, each after all its predecessors; tasks under way first."""
    n = len(priority)
    tasks = tables.problem.tasks

    def key(i: int) -> tuple[bool, float, int]:
        return (not tasks[i].under_way, priority[i], i)

    waiting = [len(tables.predecessors[i]) for i in range(n)]
    ready = sorted((i for i in range(n) if waiting[i] == 0), key=key)
    order: list[int] = []
    while ready:
        task = ready.pop(0)
        order.append(task)
        for after in tables.successors[task]:
            waiting[after] -= 1
            if waiting[after] == 0:
                ready.append(after)
        ready.sort(key=key)
    if len(order) != n:
        raise InvalidSchedule("the precedence pairs form a cycle")
    return order


__all__ = [
    "CraneStart",
    "Objective",
    "Problem",
    "Schedule",
    "Tables",
    "Task",
    "decode",
    "interference_gap",
    "score",
    "start_bound",
    "topological",
]
