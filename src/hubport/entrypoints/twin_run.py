"""``hubport twin run``: a scenario's days driven through the platform's runtime.

The world (``twin/world.py``) plays the scenario's generated traffic through the
in-process client, the runtime (``runtime/operate.py``) reacts and dispatches the virtual
cranes, on a stepped clock. Each run has a store of its own (a SQLite file in its output
folder unless ``--database`` names another), so ``hubport check`` can read it afterwards.
The virtual cranes always catch up with the clock before it moves on, and the load
planner and dispatcher run on budgets of work, not of time: the same seed gives the same
run on any machine.
"""

from __future__ import annotations

import functools
import shutil
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import tomli_w
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from hubport.adapters.database import install_site, make_engine, migrate
from hubport.adapters.site_file import default_site_text, site_from_text
from hubport.bootstrap import Hub, bootstrap
from hubport.config import Settings
from hubport.cranes.view import FinishedJob
from hubport.entrypoints.demo_world import railway_folder
from hubport.runtime.clock import SteppedClock
from hubport.runtime.identity import runtime_author
from hubport.runtime.operate import Runtime, RuntimeOptions
from hubport.twin.inprocess_client import InProcessHubClient
from hubport.twin.run_kpis import Move, RunLog, Sample, Timed, TrainLog
from hubport.twin.run_result import run_answer
from hubport.twin.scenario import Scenario, ScenarioError
from hubport.twin.traffic import DayTraffic, generate_day
from hubport.twin.world import World
from hubport.twin.world_customs import CustomsTimes
from hubport.twin.world_futures import LogDeliveries
from hubport.twin.world_payments import LinesPay

#: How far the clock moves per turn of world and runtime (hub seconds).
STEP = timedelta(seconds=10)
#: The hub is sampled (yard, gate) this often.
SAMPLE_EVERY = timedelta(hours=1)


@dataclass
class TwinRun:
    """A finished run: its results as printed with ``--json``, and where they are."""

    result: dict[str, Any]
    log: RunLog
    out: Path
    database_url: str


def site_text(scenario: Scenario) -> tuple[str, str]:
    """The scenario's site: its site file with the scenario's crane count (equal stretches
    of the rail, the file's first crane type) and gate capacity."""
    if scenario.site == "xiaonanya":
        text, source = default_site_text(), "hubport/sites/xiaonanya.toml"
    else:
        path = Path(scenario.site)
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as error:
            raise ScenarioError(f"cannot read site file {path}: {error.strerror}") from None
    if scenario.cranes is None and scenario.trucks_per_window is None:
        return text, source
    data = tomllib.loads(text)
    if scenario.cranes is not None:
        cranes = data["cranes"]
        start = min(float(c["zone_start_m"]) for c in cranes)
        end = max(float(c["zone_end_m"]) for c in cranes)
        count, width = scenario.cranes, (end - start) / scenario.cranes
        data["cranes"] = [
            {
                "id": f"ARMG{index + 1}",
                "rail": cranes[0]["rail"],
                "type": cranes[0]["type"],
                "zone_start_m": round(start + index * width, 2),
                "zone_end_m": round(end if index == count - 1 else start + (index + 1) * width, 2),
            }
            for index in range(count)
        ]
    if scenario.trucks_per_window is not None:
        data.setdefault("gate", {})["trucks_per_window"] = scenario.trucks_per_window
    return tomli_w.dumps(data), f"{source} (scenario {scenario.name})"


def prepare_store(scenario: Scenario, database_url: str, synchronous: str = "full") -> None:
    """A fresh store on the scenario's site."""
    text, source = site_text(scenario)
    site = site_from_text(text, source)
    engine = make_engine(database_url, synchronous)
    try:
        migrate(engine)
        install_site(engine, site, text, source)
    finally:
        engine.dispose()


def run(
    scenario: Scenario,
    out: Path,
    database_url: str | None = None,
    console: Console | None = None,
) -> TwinRun:
    """Run ``scenario`` (its ``days`` from its start) into ``out``; a SQLite store there
    unless ``database_url`` names an empty one."""
    began, started = time.perf_counter(), datetime.now(UTC)
    out.mkdir(parents=True, exist_ok=True)
    # a fresh run: the partners' folders of an earlier run in ``out`` go with its store
    shutil.rmtree(out / "edi", ignore_errors=True)
    # the run's own store is thrown away with the run (a run killed half-way is run again
    # from the start): its commits need not reach the disk; a store named here does
    synchronous: Literal["full", "off"] = "full"
    if database_url is None:
        stale = out / "twin.db"
        for path in (stale, stale.with_name("twin.db-wal"), stale.with_name("twin.db-shm")):
            path.unlink(missing_ok=True)
        database_url, synchronous = f"sqlite:///{stale}", "off"
    prepare_store(scenario, database_url, synchronous)
    settings = Settings(
        data_dir=out,
        database_url=database_url,
        edi_dir=out / "edi",
        seed=scenario.seed,
        sqlite_synchronous=synchronous,
    )
    first = scenario.played_from
    clock = SteppedClock(first)
    hub = bootstrap(settings, clock=clock)
    hub.bus.author = runtime_author()
    try:
        log = _play(hub, settings, scenario, clock, console)
    finally:
        hub.close()
    log.warmup_s = scenario.warmup_days * 86_400.0
    result = {
        **run_answer(scenario, log),
        "wall_s": round(time.perf_counter() - began, 2),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "out": str(out),
    }
    return TwinRun(result, log, out, database_url)


def _play(
    hub: Hub, settings: Settings, scenario: Scenario, clock: SteppedClock, console: Console | None
) -> RunLog:
    first, day_one = scenario.played_from, scenario.first_day
    plan = scenario.plan()
    runtime = Runtime(
        hub,
        clock,
        RuntimeOptions(
            equipment="virtual",
            start=first,
            edi_root=settings.edi_root,
            railway=settings.edi_railway,
            step_budget_s=None,
            load_plan_s=scenario.planning.load_plan_s,
        ),
    )
    finished: list[FinishedJob] = []
    runtime.on_finished = finished.extend
    runtime.take_lead()

    @functools.lru_cache(maxsize=8)
    def traffic_of(number: int) -> DayTraffic:
        return generate_day(number, scenario.seed, day_one, plan)

    times = scenario.customs
    client = InProcessHubClient(hub)
    per_month = scenario.futures.matches_per_month
    deliveries = LogDeliveries(client, scenario.seed, per_month) if per_month > 0 else None
    world = World(
        client,
        traffic_of,
        scenario.skip_days + 1,
        scenario.skip_days + scenario.days,
        look_every_s=0.0,
        railway_edi=railway_folder(hub, settings, scenario.seed),
        payers=LinesPay(client, scenario.seed),
        customs=CustomsTimes(
            release_after=timedelta(minutes=times.release_after_min),
            inspection_share=times.inspection_share,
            inspection=timedelta(hours=times.inspection_h),
            lodge_after_arrival=(
                None if times.lodge == "advance" else timedelta(minutes=times.lodge_after_min)
            ),
        ),
        tracks=tuple(hub.site.tracks),
        futures=deliveries,
    )
    samples: list[Sample] = []
    trains: dict[str, tuple[str, float, float, float]] = {}
    try:
        end = _drive(world, runtime, clock, first, scenario.days, console, samples, hub, trains)
    finally:
        runtime.release()
    hours = (end - first).total_seconds() / 3600

    def since(moment: datetime) -> float:
        return (moment - first).total_seconds()

    gate = hub.site.gate
    log = RunLog(
        cranes=len(hub.site.cranes),
        tracks=len(hub.site.tracks),
        hours=hours,
        gate_trucks_per_hour=gate.trucks * 60 / gate.minutes,
    )
    log.moves = [
        Move(
            job.crane,
            job.reason,
            since(job.sent_at),
            (job.done_at - job.sent_at).total_seconds(),
            job.train,
        )
        for job in finished
    ]
    for train_id, (direction, scheduled, due, teu) in trains.items():
        arrived = world.arrived_at.get(train_id)
        dwell = world.log.train_dwell_s.get(train_id)
        if arrived is None:
            continue
        departed = since(arrived) + dwell if dwell is not None else -1.0
        log.trains.append(
            TrainLog(train_id, direction, scheduled, since(arrived), due, departed, teu)
        )
    log.truck_turns = [Timed(since(came), seconds) for came, seconds in world.log.truck_visits]
    log.turned_away_s = [since(at) for at in world.log.turned_away_at.values()]
    log.releases = [Timed(since(came), seconds) for came, seconds in world.customs.releases]
    log.samples = samples
    if deliveries is not None:
        log.futures = [
            (since(datetime.combine(row.matched_on, first.timetz())), row.state)
            for row in hub.futures().queries.deliveries()
        ]
    return log


def _drive(
    world: World,
    runtime: Runtime,
    clock: SteppedClock,
    first: datetime,
    days: int,
    console: Console | None,
    samples: list[Sample],
    hub: Hub,
    trains: dict[str, tuple[str, float, float, float]],
) -> datetime:
    """Turn world and runtime until the world is done; where the clock stopped."""
    end = first + timedelta(days=days)
    total = (end - first).total_seconds()
    world.begin()
    seen_days: set[int] = set()
    next_sample = first
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=console is None,
    ) as bar:
        task = bar.add_task("the twin", total=total)
        now = clock.now()
        while not world.over(now):
            world.play(now)
            runtime.advance(now)
            for day, traffic in world.days.items():
                if day not in seen_days:
                    seen_days.add(day)
                    _note_trains(traffic, first, trains)
            if now >= next_sample:
                samples.append(_sample(hub, world, (now - first).total_seconds() / 3600))
                next_sample += SAMPLE_EVERY
            now = now + STEP
            clock.set(now)
            done = min((now - first).total_seconds(), total)
            bar.update(task, completed=done, description=f"hub time {now:%Y-%m-%d %H:%M}")
    return now


def _note_trains(
    traffic: DayTraffic, first: datetime, trains: dict[str, tuple[str, float, float, float]]
) -> None:
    def since(moment: datetime | None) -> float:
        return (moment - first).total_seconds() if moment is not None else 0.0

    for inbound in traffic.inbound:
        visit = inbound.visit
        trains[visit.id] = ("inbound", since(visit.arrives), since(visit.departs), inbound.teu)
    for outbound in traffic.outbound:
        visit = outbound.visit
        trains[visit.id] = ("outbound", since(visit.arrives), since(visit.departs), outbound.teu)


def _sample(hub: Hub, world: World, hour: float) -> Sample:
    occupancy = hub.queries.yard_occupancy()
    share = occupancy.teu / occupancy.capacity_teu if occupancy.capacity_teu else 0.0
    inside = world.log.trucks_in - world.log.trucks_out
    return Sample(hour, float(occupancy.teu), share, inside)


__all__ = ["TwinRun", "prepare_store", "run", "site_text"]
