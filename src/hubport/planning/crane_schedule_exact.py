"""An exact crane-scheduling model in OR-Tools CP-SAT: minimum makespan, proved or bounded.

The model is the interference model of ``crane_schedule`` stated directly: every pair of
tasks is ordered, and the gap the order needs depends on how far apart their cranes are.
It is not restricted to one-way sweeps, so it can find schedules in which cranes turn back.
Times must be whole numbers (the benchmark's are; the hub's are whole seconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from hubport.planning.crane_schedule import (
    EPSILON,
    Problem,
    Schedule,
    interference_gap,
    start_bound,
)


@dataclass(frozen=True)
class ExactResult:
    """What the solver found and what it proved."""

    schedule: Schedule | None
    makespan: float | None
    bound: float
    optimal: bool
    status: str


def _whole(value: float) -> int:
    return math.ceil(value - EPSILON)


def lower_bound(problem: Problem) -> float:
    """The benchmark's two bounds: work shared evenly over the cranes, and the work of any
    stretch shorter than the separation (no two of its tasks can run at once) after the
    earliest arrival there."""
    q = problem.crane_count
    tasks = problem.tasks
    total = sum(t.duration for t in tasks) + sum(c.ready for c in problem.cranes)
    bound = math.ceil(total / q - EPSILON) if tasks else 0.0
    for task in tasks:
        window = [
            j
            for j, other in enumerate(tasks)
            if task.low - EPSILON <= other.low < task.low + problem.separation - EPSILON
            and other.high < task.low + problem.separation - EPSILON
        ]
        arrival = (
            min(min(start_bound(problem, j, k) for k in range(q)) for j in window)
            if window
            else 0.0
        )
        bound = max(bound, arrival + sum(tasks[j].duration for j in window))
    return float(bound)


def solve_exact(
    problem: Problem,
    time_limit: float,
    hint: Schedule | None = None,
    seed: int = 0,
    workers: int = 4,
) -> ExactResult:
    """Minimise the makespan within ``time_limit`` seconds."""
    # -- data ------------------------------------------------------------------------------
    n, q = len(problem.tasks), problem.crane_count
    durations = [_whole(t.duration) for t in problem.tasks]
    horizon = (
        sum(durations)
        + _whole(max((start_bound(problem, i, k) for i in range(n) for k in range(q)), default=0))
        + _whole(problem.travel * _rail_length(problem)) * (n + 1)
    )
    ordered = {pair: True for pair in problem.precedence}
    ordered.update({(b, a): False for a, b in problem.precedence})

    # -- variables ---------------------------------------------------------------------------
    model = cp_model.CpModel()
    on: dict[tuple[int, int], cp_model.IntVar] = {}
    start, end, crane = [], [], []
    for i, task in enumerate(problem.tasks):
        allowed = sorted(task.eligible) if task.eligible else range(q)
        low = min(_whole(start_bound(problem, i, k)) for k in allowed)
        start.append(model.new_int_var(low, horizon, f"start_{i}"))
        end.append(model.new_int_var(low + durations[i], horizon + durations[i], f"end_{i}"))
        model.add(end[i] == start[i] + durations[i])
        crane.append(model.new_int_var(min(allowed), max(allowed), f"crane_{i}"))
        for k in allowed:
            on[i, k] = model.new_bool_var(f"task_{i}_on_crane_{k}")
        model.add_exactly_one(on[i, k] for k in allowed)
        model.add(crane[i] == sum(k * on[i, k] for k in allowed))
    makespan = model.new_int_var(0, horizon * 2, "makespan")

    # -- constraints --------------------------------------------------------------------------
    for (i, k), literal in on.items():
        model.add(start[i] >= _whole(start_bound(problem, i, k))).only_enforce_if(literal)
    for k in range(q):
        model.add_no_overlap(
            model.new_optional_interval_var(
                start[i], durations[i], end[i], on[i, k], f"work_{i}_on_{k}"
            )
            for i in range(n)
            if (i, k) in on
        )
    intervals = [
        model.new_interval_var(start[i], durations[i], end[i], f"work_{i}") for i in range(n)
    ]
    for group in _stretches(problem):
        model.add_no_overlap(intervals[i] for i in group)
    for a, b in problem.exclusive:
        model.add_no_overlap([intervals[a], intervals[b]])
    for i in range(n):
        model.add(makespan >= end[i])
        for j in range(i + 1, n):
            _order_pair(model, problem, i, j, start, end, crane, ordered.get((i, j)))

    # -- objective ---------------------------------------------------------------------------
    model.minimize(makespan)
    if hint is not None:
        for i in range(n):
            model.add_hint(start[i], round(hint.start[i]))
            for k in range(q):
                if (i, k) in on:
                    model.add_hint(on[i, k], hint.crane_of[i] == k)
        model.add_hint(makespan, round(hint.makespan(problem)))

    # -- solve -------------------------------------------------------------------------------
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    status = solver.solve(model)

    # -- read back ---------------------------------------------------------------------------
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactResult(None, None, lower_bound(problem), False, name)
    schedule = Schedule(
        tuple(solver.value(crane[i]) for i in range(n)),
        tuple(float(solver.value(start[i])) for i in range(n)),
    )
    return ExactResult(
        schedule,
        float(solver.value(makespan)),
        max(float(solver.best_objective_bound), lower_bound(problem)),
        status == cp_model.OPTIMAL,
        name,
    )


def _rail_length(problem: Problem) -> float:
    spots = [c.position for c in problem.cranes]
    spots += [t.low for t in problem.tasks] + [t.high for t in problem.tasks]
    return max(spots) - min(spots) + problem.separation * problem.crane_count


def _stretches(problem: Problem) -> list[list[int]]:
    """Groups of tasks lying within less than the separation: never two at once."""
    groups: list[list[int]] = []
    order = sorted(range(len(problem.tasks)), key=lambda i: problem.tasks[i].low)
    for first in order:
        edge = problem.tasks[first].low + problem.separation - EPSILON
        group = [
            j
            for j in order
            if problem.tasks[first].low <= problem.tasks[j].low and problem.tasks[j].high < edge
        ]
        if len(group) > 1 and not any(set(group) <= set(g) for g in groups):
            groups.append(group)
    return groups


def _order_pair(
    model: cp_model.CpModel,
    problem: Problem,
    i: int,
    j: int,
    start: list[cp_model.IntVar],
    end: list[cp_model.IntVar],
    crane: list[cp_model.IntVar],
    fixed: bool | None,
) -> None:
    """Task i before or after task j, with the gap their cranes' distance needs."""
    q = problem.crane_count
    first = model.new_bool_var(f"task_{i}_before_{j}")
    if fixed is not None:
        model.add(first == int(fixed))
    for distance in range(-(q - 1), q):
        if distance == 0:
            forward = interference_gap(problem, i, 0, j, 0) or 0.0
            backward = interference_gap(problem, j, 0, i, 0) or 0.0
        else:
            gap = interference_gap(problem, i, max(0, -distance), j, max(0, distance))
            if gap is None:
                continue
            forward = backward = gap
        apart = model.new_bool_var(f"cranes_of_{i}_{j}_differ_by_{distance}")
        model.add(crane[j] - crane[i] == distance).only_enforce_if(apart)
        model.add(crane[j] - crane[i] != distance).only_enforce_if(~apart)
        model.add(start[j] >= end[i] + _whole(forward)).only_enforce_if([apart, first])
        model.add(start[i] >= end[j] + _whole(backward)).only_enforce_if([apart, ~first])
    if fixed is not None and fixed:
        model.add(start[j] >= end[i])
    elif fixed is not None:
        model.add(start[i] >= end[j])


__all__ = ["ExactResult", "lower_bound", "solve_exact"]
