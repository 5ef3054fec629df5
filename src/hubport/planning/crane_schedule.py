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

The heuristic is a serial schedule generation scheme (each task, in priority order, goes
to its crane at the earliest moment every gap allows, before or after work already placed
on other cranes) under a local search over the assignment and the priorities.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Sequence
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
    """The tasks by priority, each after all its predecessors."""
    n = len(priority)
    waiting = [len(tables.predecessors[i]) for i in range(n)]
    ready = sorted((i for i in range(n) if waiting[i] == 0), key=lambda i: (priority[i], i))
    order: list[int] = []
    while ready:
        task = ready.pop(0)
        order.append(task)
        for after in tables.successors[task]:
            waiting[after] -= 1
            if waiting[after] == 0:
                ready.append(after)
        ready.sort(key=lambda i: (priority[i], i))
    if len(order) != n:
        raise InvalidSchedule("the precedence pairs form a cycle")
    return order


def _allowed(problem: Problem, task: int) -> list[int]:
    eligible = problem.tasks[task].eligible
    return sorted(eligible) if eligible else list(range(problem.crane_count))


def _zone_assignment(problem: Problem, boundaries: Sequence[float]) -> list[int]:
    """Each task to the crane whose stretch (cut at ``boundaries``) holds its position."""
    crane_of = []
    for index, task in enumerate(problem.tasks):
        crane = sum(1 for cut in boundaries if task.start_position >= cut)
        allowed = _allowed(problem, index)
        crane_of.append(min(allowed, key=lambda k: (abs(k - crane), k)))
    return crane_of


def _balanced_cuts(problem: Problem, shift: int) -> list[float]:
    """Cut the rail so that every crane gets about the same work (then move cuts by shift)."""
    by_position: dict[float, float] = {}
    for task in problem.tasks:
        by_position[task.start_position] = by_position.get(task.start_position, 0) + task.duration
    positions = sorted(by_position)
    total = sum(by_position.values())
    q = problem.crane_count
    cuts: list[float] = []
    running = 0.0
    for index, position in enumerate(positions):
        running += by_position[position]
        while len(cuts) < q - 1 and running >= total * (len(cuts) + 1) / q:
            target = min(max(index + 1 + shift, 1), len(positions) - 1) if positions else 0
            cuts.append(positions[target] if positions else 0.0)
    while len(cuts) < q - 1:
        cuts.append(math.inf)
    return cuts


@dataclass(frozen=True)
class HeuristicResult:
    schedule: Schedule
    value: float
    evaluations: int


def heuristic(
    problem: Problem,
    time_limit: float,
    seed: int = 0,
    initial: Sequence[tuple[Sequence[int], Sequence[float]]] = (),
    progress: Callable[[float], None] | None = None,
    evaluations: int | None = None,
) -> HeuristicResult:
    """The best schedule a local search finds within ``time_limit`` seconds, or within
    ``evaluations`` schedules tried when given (then the result depends on the seed only)."""
    tables = Tables(problem)
    n = len(problem.tasks)
    rng = random.Random(seed)
    deadline = time.monotonic() + time_limit
    if n == 0:
        empty = Schedule((), ())
        return HeuristicResult(empty, 0.0, 0)

    candidates: list[tuple[list[int], list[float]]] = [
        (list(crane_of), list(priority)) for crane_of, priority in initial
    ]
    up = [problem.tasks[i].start_position + 1e-6 * i for i in range(n)]
    down = [-p for p in up]
    by_release = [problem.tasks[i].release + 1e-6 * up[i] for i in range(n)]
    for shift in (0, -1, 1, -2, 2):
        crane_of = _zone_assignment(problem, _balanced_cuts(problem, shift))
        candidates += [(crane_of, up), (crane_of, down), (crane_of, by_release)]
    evaluated = 0

    def evaluate(crane_of: list[int], priority: list[float]) -> tuple[float, Schedule]:
        nonlocal evaluated
        evaluated += 1
        schedule = decode(tables, topological(tables, priority), crane_of)
        return score(problem, schedule), schedule

    best_value, best_schedule = math.inf, Schedule((), ())
    best_state: tuple[list[int], list[float]] = candidates[0]
    for crane_of, priority in candidates:
        value, schedule = evaluate(crane_of, priority)
        if value < best_value - EPSILON:
            best_value, best_schedule, best_state = value, schedule, (crane_of, priority)

    current_assign, current_priority = list(best_state[0]), list(best_state[1])
    current_value = best_value
    temperature = max(best_value * 0.002, EPSILON)
    q = problem.crane_count
    while evaluated < evaluations if evaluations is not None else time.monotonic() < deadline:
        assign, priority = list(current_assign), list(current_priority)
        move = rng.random()
        task = rng.randrange(n)
        if move < 0.4 and q > 1:
            allowed = [k for k in _allowed(problem, task) if abs(k - assign[task]) == 1]
            if not allowed:
                continue
            assign[task] = rng.choice(allowed)
        elif move < 0.8:
            other = rng.randrange(n)
            priority[task], priority[other] = priority[other], priority[task]
        else:
            priority[task] += rng.gauss(0.0, 2.0) * problem.separation
        value, schedule = evaluate(assign, priority)
        if value <= current_value + EPSILON or rng.random() < math.exp(
            -(value - current_value) / temperature
        ):
            current_assign, current_priority, current_value = assign, priority, value
            if value < best_value - EPSILON:
                best_value, best_schedule = value, schedule
                if progress is not None:
                    progress(best_value)
        temperature *= 0.9995
        if temperature < best_value * 1e-5:
            # restart from the best with some heat
            current_assign, current_priority = (
                list(best_schedule.crane_of),
                [best_schedule.start[i] + 1e-6 * up[i] for i in range(n)],
            )
            current_value = best_value
            temperature = max(best_value * 0.002, EPSILON)
    return HeuristicResult(best_schedule, best_value, evaluated)


__all__ = [
    "CraneStart",
    "HeuristicResult",
    "Objective",
    "Problem",
    "Schedule",
    "Tables",
    "Task",
    "decode",
    "heuristic",
    "interference_gap",
    "score",
    "start_bound",
    "topological",
]
