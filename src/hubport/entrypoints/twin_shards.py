"""``hubport twin run SCENARIO --parts N``: a long run (the 2024 year) cut into N parts of
consecutive days that run side by side as tasks (``twin_tasks``: Ray, or a process pool).

Each part is a run of its own (``Scenario.shard``): from an empty yard, it first plays
the ``warmup`` days before its own (run, not measured: the yard fills and the trains
of those days leave), then its days, each with the traffic the whole run gives that day.
Its log is cut to what began in its days (``RunLog.during``: a train with all its moves)
and put on the whole run's clock; the parts' logs together are the run's log, and its
KPIs are that log's. The first part starts where the whole run does, with the
scenario's own warm-up. What the parts cannot give is what crosses their edges: the
yard a part starts from is the warm-up's, not the day before's; docs/twin.md measures
the difference against the same days in one run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hubport.entrypoints.twin_tasks import execute
from hubport.twin.run_kpis import RunLog, joined
from hubport.twin.run_result import run_answer
from hubport.twin.scenario import Scenario, ScenarioError

#: Days each part plays before its own, by default: the import boxes' median dwell is
#: 36 h and the export boxes come up to 30 h before their train, so after three days
#: the yard holds what the day before would have left in it (docs/twin.md measures it).
PART_WARMUP_DAYS = 3


@dataclass(frozen=True)
class Part:
    """One part of a long run: the scenario cut to it, its first measured day (1 = the
    run's first) and where its store goes (None: a folder of its own, thrown away)."""

    scenario: Scenario
    first_day: int
    folder: str | None = None
    #: The run's first part: its log keeps the run's own warm-up (its totals count it,
    #: as one run's do); the others leave theirs out (another part measures those days).
    leads: bool = False


@dataclass
class PartedRun:
    """A long run's answer, as ``run`` gives one (``--json``), and its log."""

    result: dict[str, Any]
    log: RunLog
    engine: str
    #: Each part's wall time (s): what it took where it ran.
    part_walls: list[float]


def split(days: int, measured_from: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` runs of consecutive days covering ``measured_from`` to ``days`` as evenly
    as whole days go, the first taking the warm-up before ``measured_from`` with it:
    each as (first day, days)."""
    measured = days - measured_from + 1
    if parts < 1 or parts > measured:
        raise ScenarioError(
            f"--parts must be between 1 and the {measured} measured days, not {parts}"
        )
    cut = [measured_from + round(index * measured / parts) for index in range(parts + 1)]
    return [(cut[i], cut[i + 1] - cut[i]) for i in range(parts)]


def run_part(part: Part) -> dict[str, Any]:
    """One part, run; its log, cut to its days and on the whole run's clock."""
    from hubport.entrypoints.twin_run import run

    scenario = part.scenario
    if part.folder is not None:
        finished = run(scenario, Path(part.folder))
    else:
        with tempfile.TemporaryDirectory(prefix="hubport-part-") as folder:
            finished = run(scenario, Path(folder))
    warm_s = scenario.warmup_days * 86_400.0
    end_s = scenario.days * 86_400.0
    last = part.first_day + scenario.days - scenario.warmup_days - 1
    offset_s = (part.first_day - 1) * 86_400.0 - warm_s
    # the last part keeps what began to the end of its run, the others to their last
    # day's end
    start_s = 0.0 if part.leads else warm_s
    cut = finished.log.during(start_s, end_s if last < _run_days(part) else float("inf"))
    return {
        "log": cut.shifted(offset_s),
        "days": [part.first_day, last],
        "warmup_days": scenario.warmup_days,
        "wall_s": finished.result["wall_s"],
    }


def _run_days(part: Part) -> int:
    """The whole run's last day (its plan's days)."""
    scenario = part.scenario
    return scenario.plan_days or scenario.skip_days + scenario.days


def run_in_parts(
    scenario: Scenario,
    parts: int,
    out: Path,
    warmup: int = PART_WARMUP_DAYS,
    address: str | None = None,
    workers: int | None = None,
    on_done: Callable[[int, int], None] | None = None,
) -> PartedRun:
    """Run ``scenario`` in ``parts`` parts side by side; one answer for the whole run."""
    began, started = time.perf_counter(), datetime.now(UTC)
    if warmup < 0:
        raise ScenarioError(f"--part-warmup must be 0 or more, not {warmup}")
    tasks = []
    for index, (first, days) in enumerate(split(scenario.days, scenario.warmup_days + 1, parts)):
        if index == 0:  # the run's own start, with its own warm-up
            shard = scenario.shard(1, first - 1 + days, 0).cut(None, scenario.warmup_days)
        else:
            shard = scenario.shard(first, days, warmup)
        # a cluster's parts keep their stores where they run; a local run's go to --out
        folder = None if address else str(out / f"part-{index + 1}")
        tasks.append(Part(shard, first, folder, leads=index == 0))
    outcomes, engine = execute(tasks, run_part, address, workers, on_done, lambda *_: None)
    failed = [
        f"part {index + 1}: {outcome['error']}"
        for index, outcome in enumerate(outcomes)
        if "error" in outcome
    ]
    if failed:
        raise ScenarioError("; ".join(failed))
    log = joined([outcome["log"] for outcome in outcomes])
    log.warmup_s = scenario.warmup_days * 86_400.0
    result = {
        **run_answer(scenario, log),
        # each part's days and warm-up (their wall times vary: PartedRun.part_walls)
        "parts": [
            {"days": outcome["days"], "warmup_days": outcome["warmup_days"]} for outcome in outcomes
        ],
        "part_warmup_days": warmup,
        "engine": engine,
        "wall_s": round(time.perf_counter() - began, 2),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "out": str(out),
    }
    return PartedRun(result, log, engine, [outcome["wall_s"] for outcome in outcomes])


__all__ = ["PART_WARMUP_DAYS", "Part", "PartedRun", "run_in_parts", "run_part", "split"]
