"""``hubport demo``: the world and the runtime in one process, on a clock that moves as
fast as both can run.

The world (``twin/world.py``) plays the site's seeded traffic through the in-process
client, the same commands under the same keys as the HTTP API; the runtime
(``runtime/operate.py``) holds the store's lease and does what it does live: discharge
orders become crane work, outbound trains are planned at their cut-off, the virtual
cranes move the boxes. The driver here only moves the clock: a step at a time, never
ahead of the cranes.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.bootstrap import Hub, bootstrap
from hubport.config import Settings
from hubport.entrypoints.demo import FIRST_DAY
from hubport.runtime.clock import SteppedClock
from hubport.runtime.operate import Runtime, RuntimeOptions
from hubport.twin.inprocess import InProcessHubClient
from hubport.twin.traffic import DayTraffic, day_start, generate_day
from hubport.twin.world import World, WorldLog

#: How far the clock moves per turn of world and runtime (hub seconds).
STEP = timedelta(seconds=10)
#: The clock waits for the cranes while they lag it by more than this.
MAX_LAG = timedelta(seconds=30)


@dataclass(frozen=True)
class PlayedDays:
    """What a demo run played and what the platform recorded of it."""

    first: int
    last: int
    world: WorldLog
    moves: int
    relocations: int
    per_crane_hour: float
    truck_turn_mean_min: float | None
    trains_departed: int
    wall_seconds: float


def days_played(hub: Hub, seed: int) -> int:
    """The first traffic day not finished in the store: the world's last train of the day
    departed and its last truck out (1 on a fresh store)."""
    latest = latest_event(hub)
    if latest is None:
        return 1
    day = max(1, int((latest - FIRST_DAY).total_seconds() // 86_400) + 1)
    keys = set(hub.queries.applied_keys("api:departure:"))
    keys |= set(hub.queries.applied_keys("api:gate-out:"))
    for candidate in (day - 1, day):
        if candidate >= 1 and not finished(generate_day(candidate, seed, FIRST_DAY), keys):
            return candidate
    return day + 1


def latest_event(hub: Hub) -> datetime | None:
    return SqlLeaseStore(hub.engine, hub.site.code).last_event_time()


def finished(traffic: DayTraffic, keys: set[str]) -> bool:
    trains = [train.visit.id for train in traffic.inbound]
    trains += [train.visit.id for train in traffic.outbound]
    wanted = {f"api:departure:{train}" for train in trains}
    wanted |= {f"api:gate-out:{call.truck.id}" for call in traffic.trucks if not call.truck.shuttle}
    return wanted <= keys


def play(
    settings: Settings,
    console: Console,
    day: int | None,
    days: int,
    seed: int,
) -> PlayedDays:
    """Play ``days`` traffic days from ``day`` (default: the first not finished)."""
    began = time.perf_counter()
    clock = SteppedClock(FIRST_DAY)
    hub = bootstrap(settings, clock=clock)
    try:
        first = day if day is not None else days_played(hub, seed)
        last = first + days - 1
        latest = latest_event(hub)
        start = day_start(first, FIRST_DAY)
        if latest is not None and latest > start:
            start = latest  # the store is ahead: time never runs back
        runtime = Runtime(
            hub,
            clock,
            RuntimeOptions(equipment="virtual", start=start, edi_root=settings.edi_root),
        )
        runtime.take_lead()

        @functools.lru_cache(maxsize=4)
        def traffic_of(number: int) -> DayTraffic:
            return generate_day(number, seed, FIRST_DAY)

        world = World(InProcessHubClient(hub), traffic_of, first, last, look_every_s=0.0)
        try:
            _drive(world, runtime, clock, console, first, last)
        finally:
            runtime.release()
        return _figures(hub, world.log, runtime, first, last, time.perf_counter() - began)
    finally:
        hub.close()


def _drive(
    world: World,
    runtime: Runtime,
    clock: SteppedClock,
    console: Console,
    first: int,
    last: int,
) -> None:
    begin = day_start(first, FIRST_DAY)
    end = day_start(last + 1, FIRST_DAY)
    world.begin()
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("the world and the runtime", total=(end - begin).total_seconds())
        now = clock.now()
        while not world.over(now):
            world.play(now)
            runtime.advance(now)
            if runtime.step_lag(now) > MAX_LAG.total_seconds():
                continue  # the cranes catch up first
            now = now + STEP
            clock.set(now)
            done = min((now - begin).total_seconds(), (end - begin).total_seconds())
            bar.update(task, completed=done, description=f"hub time {now:%m-%d %H:%M}")


def _figures(
    hub: Hub, log: WorldLog, runtime: Runtime, first: int, last: int, wall: float
) -> PlayedDays:
    moves = relocations = 0
    rates: list[float] = []
    turns: list[float] = []
    for number in range(first, last + 1):
        kpis = hub.queries.kpis(day_start(number, FIRST_DAY).date())
        cranes = kpis["cranes"]
        rates.append(float(cranes.get("moves_per_crane_hour") or 0.0))
        mean = kpis["trucks"].get("mean_min")
        if mean is not None:
            turns.append(float(mean))
    counts = hub.queries.crane_moves_by_reason(
        day_start(first, FIRST_DAY), day_start(last + 1, FIRST_DAY) + timedelta(hours=12)
    )
    moves = sum(counts.values())
    relocations = counts.get("relocation", 0)
    return PlayedDays(
        first,
        last,
        log,
        moves,
        relocations,
        sum(rates) / len(rates) if rates else 0.0,
        sum(turns) / len(turns) if turns else None,
        log.trains_in + log.trains_out,
        wall,
    )


def summary_table(played: PlayedDays) -> Table:
    days = (
        f"day {played.first}"
        if played.first == played.last
        else f"days {played.first}–{played.last}"
    )
    table = Table(title=f"{days}: the world and the runtime in one process")
    table.add_column("figure")
    table.add_column("value", justify="right")
    log = played.world
    turn = played.truck_turn_mean_min
    rows = (
        ("trains in / out", f"{log.trains_in} / {log.trains_out}"),
        ("trucks in / out", f"{log.trucks_in} / {log.trucks_out}"),
        ("crane moves", str(played.moves)),
        ("relocations", str(played.relocations)),
        ("moves per crane-hour", f"{played.per_crane_hour:.1f}"),
        ("truck turn, mean (min)", "—" if turn is None else f"{turn:.1f}"),
        ("trucks turned away", str(len(log.turned_away))),
        ("requests refused", str(len(log.refused))),
        ("actors unfinished", str(log.unfinished)),
        ("wall time (s)", f"{played.wall_seconds:.1f}"),
    )
    for name, value in rows:
        table.add_row(name, value)
    return table


__all__ = ["PlayedDays", "days_played", "play", "summary_table"]
