"""``hubport twin sweep``: a grid of scenario cells × replications, as Ray tasks.

Every cell runs the same replications' seeds (the scenario's traffic seed, then +1, +2,
…), so cells are compared on identical work. A local Ray by default, a cluster with
``address``; where Ray is not installed, a process pool runs the same tasks.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubport.entrypoints.twin_journal import Journal
from hubport.entrypoints.twin_tasks import execute
from hubport.twin.scenario import PARAMETERS, ScenarioError, load
from hubport.twin.sweep_stats import bottlenecks, capacity_answer, summarise


@dataclass(frozen=True)
class Task:
    scenario: str
    params: tuple[tuple[str, float], ...]
    seed: int
    days: int | None
    warmup: int | None = None


def parse_params(given: Sequence[str]) -> list[tuple[str, list[float]]]:
    """``name=v1,v2`` options as (name, values); a wrong one is named."""
    grid = []
    for text in given:
        name, _, values = text.partition("=")
        name = name.strip()
        if not values or name not in PARAMETERS:
            raise ScenarioError(
                f"--param {text!r}: write NAME=V1,V2,... with NAME one of {', '.join(PARAMETERS)}"
            )
        try:
            numbers = [float(value) for value in values.split(",") if value.strip()]
        except ValueError:
            raise ScenarioError(f"--param {text!r}: the values must be numbers") from None
        if not numbers:
            raise ScenarioError(f"--param {text!r} gives no values")
        grid.append((name, numbers))
    names = [name for name, _ in grid]
    if len(set(names)) != len(names):
        raise ScenarioError("each --param names a different parameter")
    return grid


def cells(grid: list[tuple[str, list[float]]]) -> list[tuple[tuple[str, float], ...]]:
    names = [name for name, _ in grid]
    return [
        tuple(zip(names, combo, strict=True)) for combo in itertools.product(*(v for _, v in grid))
    ]


def run_task(task: Task) -> dict[str, Any]:
    """One replication of one cell, in a folder of its own; its KPIs."""
    from hubport.entrypoints.twin_run import run

    scenario = load(task.scenario).with_seed(task.seed)
    for name, value in task.params:
        scenario = scenario.with_param(name, value)
    scenario = scenario.cut(task.days, task.warmup)
    with tempfile.TemporaryDirectory(prefix="hubport-twin-") as folder:
        result = run(scenario, Path(folder)).result
    return {
        "params": dict(task.params),
        "seed": task.seed,
        "kpis": result["kpis"],
        "totals": result["totals"],
        "wall_s": result["wall_s"],
    }


@dataclass
class SweepResult:
    result: dict[str, Any]
    engine: str


def sweep(
    scenario: str,
    grid: list[tuple[str, list[float]]],
    replications: int,
    days: int | None,
    address: str | None,
    workers: int | None = None,
    on_done: Callable[[int, int], None] | None = None,
    warmup: int | None = None,
    journal: Journal | None = None,
) -> SweepResult:
    """Run every cell × replication; each cell's KPI means and 95 % intervals. With a
    ``journal``, each finished run is kept as it finishes, and the runs it holds already
    (``--resume``) are not run again."""
    if replications < 1:
        raise ScenarioError("--replications must be 1 or more")
    base = load(scenario).cut(days, warmup)  # a wrong warm-up before anything runs
    grid_cells = cells(grid) if grid else [()]
    for params in grid_cells:  # refuse a wrong value before anything runs
        probe = base
        for name, value in params:
            probe = probe.with_param(name, value)
    seeds = [base.seed + index for index in range(replications)]
    tasks = [Task(scenario, params, seed, days, warmup) for params in grid_cells for seed in seeds]
    known = {index: journal.outcome(task) for index, task in enumerate(tasks)} if journal else {}
    to_run = [task for index, task in enumerate(tasks) if known.get(index) is None]

    def keep(index: int, outcome: dict[str, Any]) -> None:
        if journal is not None:
            journal.add(to_run[index], outcome)

    began = time.perf_counter()
    ran, engine = execute(to_run, run_task, address, workers, on_done, keep)
    wall = time.perf_counter() - began
    fresh = iter(ran)
    outcomes = [known.get(index) or next(fresh) for index in range(len(tasks))]
    by_cell: dict[tuple[tuple[str, float], ...], list[dict[str, Any]]] = {}
    for task, outcome in zip(tasks, outcomes, strict=True):
        by_cell.setdefault(task.params, []).append({"seed": task.seed, **outcome})
    rows = []
    for params in grid_cells:
        runs = [run for run in by_cell[params] if "error" not in run]
        failed = [
            {"seed": run["seed"], "error": run["error"]}
            for run in by_cell[params]
            if "error" in run
        ]
        figures = summarise([run["kpis"] for run in runs])
        rows.append(
            {
                "params": {name: _plain(value) for name, value in params},
                "replications": len(runs),
                "seeds": [run["seed"] for run in runs],
                "kpis": figures,
                "bottlenecks": bottlenecks(figures) if runs else [],
                "failed": failed,
            }
        )
    result = {
        "scenario": base.name,
        "days": base.days,
        "warmup_days": base.warmup_days,
        "replications": replications,
        "engine": engine,
        "tasks": len(tasks),
        "resumed": len(tasks) - len(to_run),
        "wall_s": round(wall, 2),
        "task_wall_s": round(sum(o.get("wall_s", 0.0) for o in outcomes), 2),
        "failed": sum(1 for o in outcomes if "error" in o),
        "cells": rows,
        # where the operator's targets break as the volume grows (sweeps over volume)
        "capacity": capacity_answer(
            rows,
            [
                ("train_handling_h_p95", base.targets.train_handling_h),
                ("truck_turn_min_p95", base.targets.truck_turn_min),
                ("train_track_wait_h_mean", base.targets.train_wait_h),
            ],
        ),
    }
    return SweepResult(result, engine)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


__all__ = ["SweepResult", "Task", "cells", "parse_params", "run_task", "sweep"]
