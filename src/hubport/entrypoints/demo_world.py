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
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from hubport.adapters.edi.folders import ensure_partner
from hubport.adapters.edi.outbox import deliver
from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.bootstrap import Hub, bootstrap
from hubport.config import Settings
from hubport.cranes.control import FinishedJob
from hubport.domain.container import CustomsStatus
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints import views
from hubport.entrypoints.demo import FIRST_DAY, DaySummary, report_days
from hubport.runtime.clock import SteppedClock
from hubport.runtime.identity import runtime_author
from hubport.runtime.operate import Runtime, RuntimeOptions
from hubport.twin.day_log import DayLog, MoveRecord
from hubport.twin.inprocess_client import InProcessHubClient
from hubport.twin.kpi import day_kpis
from hubport.twin.partners import RAILWAY, discharge_order
from hubport.twin.plots import plot_day
from hubport.twin.traffic import DayTraffic, InboundTrain, day_start, generate_day
from hubport.twin.world import World, WorldLog
from hubport.twin.world_futures import LogDeliveries
from hubport.twin.world_payments import LinesPay

#: How far the clock moves per turn of world and runtime (hub seconds).
STEP = timedelta(seconds=10)
#: The clock waits for the cranes while they lag it by more than this.
MAX_LAG = timedelta(seconds=30)


def days_played(hub: Hub, seed: int) -> int:
    """The first traffic day not finished in the store: the world's last train of the day
    departed and its last truck out (1 on a fresh store)."""
    latest = latest_event(hub)
    if latest is None:
        return 1
    day = max(1, int((latest - FIRST_DAY).total_seconds() // 86_400) + 1)
    departures = set(hub.queries.applied_keys("api:departure:"))
    gates = set(hub.queries.applied_keys("api:gate-"))
    for candidate in (day - 1, day):
        traffic = generate_day(candidate, seed, FIRST_DAY) if candidate >= 1 else None
        if traffic is not None and not finished(hub, traffic, departures, gates):
            return candidate
    return day + 1


def latest_event(hub: Hub) -> datetime | None:
    return SqlLeaseStore(hub.engine, hub.site.code).last_event_time()


def finished(hub: Hub, traffic: DayTraffic, departures: set[str], gates: set[str]) -> bool:
    """Every train of the day left, and every truck the gate let in went out again (one
    it sent to the exception lane never came in)."""
    trains = [train.visit.id for train in traffic.inbound]
    trains += [train.visit.id for train in traffic.outbound]
    if not {f"api:departure:{train}" for train in trains} <= departures:
        return False
    for call in traffic.trucks:
        visit = call.truck.id
        if f"api:gate-in:{visit}" not in gates or f"api:gate-out:{visit}" in gates:
            continue
        answer = hub.queries.stored_result(f"api:gate-in:{visit}") or {}
        if answer.get("lane") == "in":
            return False
    return True


def play(
    settings: Settings,
    console: Console,
    day: int | None,
    days: int,
    seed: int,
    plot: Path | None = None,
    hours: float | None = None,
) -> list[DaySummary]:
    """Play ``days`` traffic days from ``day`` (default: the first not finished) and
    report each as the simulated day did: its trains, its KPIs, a picture. With
    ``hours``, stop that many hub hours into the first day (the next run resumes it)."""
    began = time.perf_counter()
    clock = SteppedClock(FIRST_DAY)
    hub = bootstrap(settings, clock=clock)
    hub.bus.author = runtime_author()  # the world names itself on what it sends
    try:
        first = day if day is not None else days_played(hub, seed)
        last = first + days - 1
        latest = latest_event(hub)
        start = day_start(first, FIRST_DAY)
        resumed = latest is not None and latest > start
        if latest is not None and resumed:
            start = latest  # the store is ahead: time never runs back
        runtime = Runtime(
            hub,
            clock,
            RuntimeOptions(
                equipment="virtual",
                start=start,
                edi_root=settings.edi_root,
                railway=settings.edi_railway,
            ),
        )
        finished: list[FinishedJob] = []
        runtime.on_finished = finished.extend
        runtime.take_lead()

        @functools.lru_cache(maxsize=4)
        def traffic_of(number: int) -> DayTraffic:
            return generate_day(number, seed, FIRST_DAY)

        for number in range(first, last + 1):
            _announce(console, traffic_of(number), number, seed, resumed and number == first)
        client = InProcessHubClient(hub)
        world = World(
            client,
            traffic_of,
            first,
            last,
            look_every_s=0.0,
            railway_edi=railway_folder(hub, settings, seed),
            # a log-futures delivery at Luohuang on the demo's first day, then as drawn
            futures=LogDeliveries(client, seed, always=frozenset({first})),
            payers=LinesPay(client, seed),
        )
        try:
            stop_at = (
                None if hours is None else day_start(first, FIRST_DAY) + timedelta(hours=hours)
            )
            _drive(world, runtime, clock, console, first, last, stop_at)
        finally:
            runtime.release()
        wall = time.perf_counter() - began
        summaries = [
            _report(hub, console, world, traffic_of(number), finished, days == 1, plot, wall / days)
            for number in range(first, last + 1)
        ]
        if days > 1:
            report_days(console, summaries, plot or settings.data_dir, hub.site.capacity_teu)
        return summaries
    finally:
        hub.close()


def railway_folder(
    hub: Hub, settings: Settings, seed: int
) -> Callable[[InboundTrain, datetime], None]:
    """The railway (partner ``RAILWAY``) drops each inbound train's COPRAR into its inbox
    folder, where the runtime's EDI watch takes it."""
    inbox, _outbox = ensure_partner(settings.edi_root, RAILWAY)

    def send(train: InboundTrain, now: datetime) -> None:
        target = inbox / f"COPRAR-{train.visit.id}.edi"
        if target.exists() or (inbox / "done" / target.name).exists():
            return  # sent before (a demo started again)
        text = discharge_order(train, hub.site.locode, seed, settings.edi_sender, now)
        deliver(text, target)

    return send


def _announce(console: Console, traffic: DayTraffic, day: int, seed: int, resumed: bool) -> None:
    console.print(
        f"[bold]Day {day}[/] at the hub, {traffic.start:%Y-%m-%d} (seed {seed}): the world and "
        "the runtime in one process" + (" — resuming where the last run stopped" if resumed else "")
    )
    for train in traffic.inbound:
        console.print(
            f"  inbound {train.visit.id} ({train.visit.service}): "
            f"{len(train.consist)} boxes, {train.teu:.0f} TEU"
        )
    for outbound in traffic.outbound:
        console.print(
            f"  outbound {outbound.visit.id} ({outbound.visit.service}): "
            f"{len(outbound.boxes)} boxes, {outbound.teu:.0f} TEU"
        )
    trucks = sum(not call.truck.shuttle for call in traffic.trucks)
    barge = traffic.barge
    console.print(
        f"  {trucks} truck visits"
        + (
            f"; barge {barge.call.id}: {len(barge.brings)} boxes in, {len(barge.takes)} out"
            if barge is not None
            else ""
        )
    )


def _drive(
    world: World,
    runtime: Runtime,
    clock: SteppedClock,
    console: Console,
    first: int,
    last: int,
    stop_at: datetime | None = None,
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
        transient=True,
    ) as bar:
        task = bar.add_task("the world and the runtime", total=(end - begin).total_seconds())
        now = clock.now()
        while not world.over(now) and (stop_at is None or now < stop_at):
            world.play(now)
            runtime.advance(now)
            if runtime.step_lag(now) > MAX_LAG.total_seconds():
                continue  # the cranes catch up first
            now = now + STEP
            clock.set(now)
            done = min((now - begin).total_seconds(), (end - begin).total_seconds())
            bar.update(task, completed=done, description=f"hub time {now:%m-%d %H:%M}")


def day_log(hub: Hub, world: World, traffic: DayTraffic, finished: list[FinishedJob]) -> DayLog:
    """The day as the simulated day logged it: the crane moves the runtime saw done,
    the trains and trucks the world saw, the load plans the runtime made."""
    start, end = traffic.start, traffic.start + timedelta(days=1)
    seen = world.day_logs.get(traffic.day, WorldLog())
    moves = [
        MoveRecord(
            job.box.value,
            job.crane,
            job.reason,
            (job.sent_at - start).total_seconds(),
            (job.done_at - job.sent_at).total_seconds(),
            job.train,
        )
        for job in finished
        if start <= job.sent_at < end
    ]
    plans = {}
    for outbound in traffic.outbound:
        plan = hub.queries.stored_result(f"runtime:load:{outbound.visit.id}")
        if plan is not None:
            plans[outbound.visit.id] = plan
    return DayLog(
        moves=moves,
        truck_turns_s=list(seen.truck_turns_s),
        turned_away=dict(seen.turned_away),
        held_back=_held_back(hub, traffic),
        shuttle_trips_s=[s for at, s in world.river.trips if start <= at < end],
        train_dwell_s=dict(seen.train_dwell_s),
        load_plans=plans,
        commands=hub.bus.applied,
        repeats=hub.bus.repeats,
    )


def _held_back(hub: Hub, traffic: DayTraffic) -> dict[str, str]:
    """Boxes booked on the day's outbound trains that stayed in the yard under a hold."""
    held = {}
    for outbound in traffic.outbound:
        for number in outbound.boxes:
            try:
                record = hub.queries.container(number)
            except HubportError:
                continue
            if record.place is not None and record.container.customs_status is CustomsStatus.HELD:
                held[number] = outbound.visit.id
    return held


def _deliveries(hub: Hub, console: Console, day_start: datetime) -> None:
    """The log-futures deliveries at Luohuang the day touched, as the platform has them."""
    desk = hub.futures()
    day = day_start.astimezone(HUB_TIME).date()
    for line in desk.queries.daily_report(day).lines:
        tallied = f", tallied {line.tallied_m3} m³" if line.tallied_m3 is not None else ""
        console.print(
            f"  log futures {line.delivery} ({line.contract}, {line.lots} lots, "
            f"{line.matched_m3} m³ matched{tallied}): {line.state.replace('_', ' ')}"
        )


def _report(
    hub: Hub,
    console: Console,
    world: World,
    traffic: DayTraffic,
    finished: list[FinishedJob],
    detail: bool,
    plot: Path | None,
    wall: float,
) -> DaySummary:
    log = day_log(hub, world, traffic, finished)
    kpis = day_kpis(log, cranes=len(hub.site.cranes))
    occupancy = hub.queries.yard_occupancy()
    if detail:
        console.print(views.kpi_table(kpis, log))
        if any(train.moves for train in kpis.trains):
            console.print(views.train_table(kpis))
        console.print(views.yard_summary(occupancy))
        if log.turned_away:
            first, why = next(iter(log.turned_away.items()))
            console.print(
                f"  {len(log.turned_away)} trucks left without their box (the gate refused: "
                f"{why}; {first} the first)"
            )
        if log.held_back:
            names = ", ".join(list(log.held_back)[:5])
            console.print(
                f"  {len(log.held_back)} boxes stayed behind under a customs hold when their "
                f"train left ({names}{' …' if len(log.held_back) > 5 else ''})"
            )
        _deliveries(hub, console, traffic.start)
        picture = plot or hub.settings.data_dir / f"day-{traffic.day:03d}.png"
        plot_day(log, list(hub.site.cranes), traffic.start, f"Day {traffic.day}", picture)
        console.print(f"plot of the day: {picture}")
    return DaySummary(
        traffic.day,
        kpis,
        traffic.outbound_teu,
        traffic.inbound_teu,
        occupancy.teu,
        occupancy.share,
        wall,
    )


__all__ = ["day_log", "days_played", "play"]
