"""The crane-scheduling heuristic: a local search (simulated annealing with restarts) over
which crane does each task and the priorities ``crane_schedule.decode`` places them in,
from balanced one-way starting plans. Anytime: it stops at a time limit, or after a budget
of schedules tried (then its result depends on the seed only)."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hubport.planning.crane_schedule import (
    EPSILON,
    Problem,
    Schedule,
    Tables,
    decode,
    score,
    topological,
)


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


__all__ = ["HeuristicResult", "heuristic"]
