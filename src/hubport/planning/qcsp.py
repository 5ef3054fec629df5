"""The published quay crane scheduling benchmark (QCSP) through the hub's crane scheduler.

Reads the QCSPgen text format of Meisel & Bierwirth (2011), in which the Kim & Park (2004)
instances are also given, solves an instance with the same core the crane dispatch uses
(the heuristic first, then the exact CP-SAT model warm-started from it), and writes the
benchmark's JSON schedule: each crane's tasks, their start times and its path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from hubport.domain.errors import InvalidSchedule
from hubport.planning.crane_paths import Path as CranePath
from hubport.planning.crane_paths import closest_approach, trajectories
from hubport.planning.crane_schedule import (
    EPSILON,
    CraneStart,
    Problem,
    Schedule,
    Task,
)
from hubport.planning.crane_schedule_exact import lower_bound, solve_exact
from hubport.planning.crane_search import heuristic

#: Share of the time limit the heuristic gets before the exact model takes over.
HEURISTIC_SHARE = 0.3


def read_instance(path: Path) -> Problem:
    """A QCSPgen instance file as a crane-scheduling problem (bays as rail positions)."""
    try:
        lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    except OSError as error:
        raise InvalidSchedule(f"cannot read instance {path}: {error.strerror}") from error
    try:
        header = [int(v) for v in lines[0].split(",")]
        n, _bays, n_phi, n_psi, q, travel, safety = header
        durations = [int(v) for v in lines[1].split(",")]
        bays = [int(v) for v in lines[2].split(",")]
        ready = [int(v) for v in lines[3].split(",")]
        origins = [int(v) for v in lines[4].split(",")]
        phi_at = lines.index("Phi:")
        psi_at = lines.index("Psi:")
        phi = [tuple(int(v) - 1 for v in line.split(",")) for line in lines[phi_at + 1 : psi_at]]
        end_at = lines.index("end.")
        psi = [tuple(int(v) - 1 for v in line.split(",")) for line in lines[psi_at + 1 : end_at]]
    except (ValueError, IndexError) as error:
        raise InvalidSchedule(f"{path.name} is not a QCSPgen instance: {error}") from error
    counts = {
        "processing times": (len(durations), n),
        "task bays": (len(bays), n),
        "ready times": (len(ready), q),
        "initial bays": (len(origins), q),
        "precedence pairs": (len(phi), n_phi),
        "non-simultaneous pairs": (len(psi), n_psi),
    }
    for what, (found, expected) in counts.items():
        if found != expected:
            raise InvalidSchedule(f"{path.name}: {found} {what}, the header says {expected}")
    return Problem(
        tasks=tuple(Task(float(p), float(b)) for p, b in zip(durations, bays, strict=True)),
        cranes=tuple(CraneStart(float(x), float(r)) for x, r in zip(origins, ready, strict=True)),
        travel=float(travel),
        separation=float(safety + 1),
        precedence=tuple((a, b) for a, b in phi),
        exclusive=tuple((a, b) for a, b in psi),
    )


@dataclass(frozen=True)
class QcspResult:
    schedule: Schedule
    makespan: float
    lower_bound: float
    optimal: bool
    paths: tuple[CranePath, ...]
    heuristic_makespan: float
    seconds: float


def solve(problem: Problem, time_limit: float = 10.0, seed: int = 0) -> QcspResult:
    """The best schedule found within ``time_limit`` seconds, with its bound and paths."""
    began = time.monotonic()
    bound = lower_bound(problem)
    found = heuristic(problem, time_limit * HEURISTIC_SHARE, seed=seed)
    best, value, optimal = found.schedule, found.value, found.value <= bound + EPSILON
    if not optimal:
        remaining = time_limit - (time.monotonic() - began)
        exact = solve_exact(problem, remaining, hint=best, seed=seed)
        bound = max(bound, exact.bound)
        if exact.schedule is not None and exact.makespan is not None:
            if exact.makespan < value - EPSILON:
                best, value = exact.schedule, exact.makespan
            optimal = exact.optimal and value <= exact.makespan + EPSILON
        optimal = optimal or value <= bound + EPSILON
    paths = tuple(trajectories(problem, best))
    if closest_approach(paths) < problem.separation - 1e-6:
        raise InvalidSchedule("the schedule's crane paths come closer than the separation")
    return QcspResult(best, value, bound, optimal, paths, found.value, time.monotonic() - began)


def _number(value: float) -> float | int:
    rounded = round(value, 9)
    return int(rounded) if rounded == int(rounded) else rounded


def schedule_json(problem: Problem, result: QcspResult) -> dict[str, object]:
    """The benchmark's schedule format (tasks and cranes numbered from 1)."""
    cranes = []
    for crane in range(problem.crane_count):
        tasks = result.schedule.sequence(crane)
        if not tasks:
            continue
        cranes.append(
            {
                "crane": crane + 1,
                "tasks": [
                    {"task": i + 1, "start": _number(result.schedule.start[i])} for i in tasks
                ],
                "path": [[_number(t), _number(x)] for t, x in result.paths[crane]],
            }
        )
    return {
        "makespan": _number(result.makespan),
        "lower_bound": _number(result.lower_bound),
        "optimal": result.optimal,
        "seconds": round(result.seconds, 3),
        "cranes": cranes,
    }


__all__ = ["QcspResult", "read_instance", "schedule_json", "solve"]
