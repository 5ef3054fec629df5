"""``hubport demo``: run (or resume) days of seeded traffic at the site's volume, with KPIs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hubport.adapters.edi.folders import ensure_partner, scan
from hubport.adapters.edi.outbox import deliver
from hubport.bootstrap import Hub, bootstrap
from hubport.config import Settings
from hubport.domain.container import CustomsStatus
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints import views
from hubport.services.clock import ManualClock
from hubport.twin.day import HubDay
from hubport.twin.kpi import DayKpis, day_kpis
from hubport.twin.partners import HAULIERS, RAILWAY, discharge_order
from hubport.twin.plots import plot_day, plot_days
from hubport.twin.traffic import DayTraffic, day_start, generate_day

#: The demo's first day starts at 06:00 hub time on this date; day N is N-1 days later.
FIRST_DAY = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


@dataclass(frozen=True)
class DaySummary:
    """One simulated day in a line: what moved, how full the yard was, how long it took."""

    day: int
    kpis: DayKpis
    teu_out: float
    teu_in: float
    yard_teu: int
    yard_share: float
    wall_seconds: float


def final_keys(traffic: DayTraffic, prefix: str) -> set[str]:
    """The keys whose presence says the day is over: every train and truck has left."""
    trains = [train.visit.id for train in traffic.inbound]
    trains += [train.visit.id for train in traffic.outbound]
    keys = {f"{prefix}depart:{train}" for train in trains}
    keys |= {f"{prefix}gate-out:{call.truck.id}" for call in traffic.trucks}
    return keys


def next_day(keys: list[str], prefix: str, seed: int) -> tuple[int, bool]:
    """The day to run and whether it resumes one left unfinished."""
    days = sorted({int(key[len(prefix) :].split(":")[0].lstrip("d")) for key in keys})
    if not days:
        return 1, False
    last = days[-1]
    day_prefix = f"{prefix}d{last:03d}:"
    finished = final_keys(generate_day(last, seed, FIRST_DAY), day_prefix) <= set(keys)
    return (last + 1, False) if finished else (last, True)


def _railway_discharge_orders(
    hub: Hub, settings: Settings, traffic: DayTraffic, seed: int, console: Console
) -> None:
    """The railway drops each inbound train's COPRAR into its inbox; the gateway takes it."""
    root = settings.edi_root
    inbox, _outbox = ensure_partner(root, RAILWAY)
    for train in traffic.inbound:
        text = discharge_order(train, hub.site.locode, seed, settings.edi_sender, traffic.start)
        deliver(text, inbox / f"COPRAR-{train.visit.id}.edi")
    receipts = scan(hub.edi_gateway().receive_from_folder, root)
    for receipt in receipts:
        if receipt.status == "quarantined" and receipt.partner == RAILWAY:
            raise HubportError(f"the railway's discharge order was refused: {receipt.problems}")
    announced = sum(len(receipt.announced) for receipt in receipts)
    statuses = ", ".join(sorted({receipt.status for receipt in receipts})) or "none"
    console.print(f"  EDI from {RAILWAY}: {len(receipts)} COPRAR ({statuses}), {announced} boxes")


def _report_to_partners(hub: Hub, settings: Settings, traffic: DayTraffic) -> list[str]:
    """The COARRI of every train to the railway and the day's gate moves (CODECO) to the
    hauliers. Each file is written once, even on a resume."""
    outbox = hub.edi_outbox()
    trains = [train.visit.id for train in traffic.inbound]
    trains += [train.visit.id for train in traffic.outbound]
    reports: list[tuple[str, str, str | None, datetime | None]] = [
        ("COARRI", RAILWAY, train, None) for train in trains
    ]
    reports.append(("CODECO", HAULIERS, None, traffic.start))
    written = []
    for message_type, partner, visit, since in reports:
        name = f"{message_type}-{visit or f'{traffic.start:%Y%m%d}'}.edi"
        target = settings.edi_root / partner / "out" / name
        if target.exists():
            continue
        documents = outbox.documents(message_type, visit=visit, since=since)
        if not any(document.equipment for document in documents):
            continue
        sent = outbox.write(documents, partner, hub.bus.clock.now(), str(target))
        deliver(sent.text, target)
        written.append(name)
    return written


class _MqttCranes:
    """The day's cranes on the broker: the platform's link and a virtual crane per crane,
    each on a thread of its own, talking only over MQTT."""

    def __init__(self, settings: Settings, hub: Hub, speed: float):
        import threading
        import uuid

        from hubport.adapters.equipment.mqtt import PlatformLink, parse_broker
        from hubport.twin.crane_sim import CraneSim

        site = hub.site
        self.link = PlatformLink(
            settings.mqtt_url, site.code, client_id=f"hubport-demo-{uuid.uuid4().hex[:8]}"
        )
        self.sims = [CraneSim(settings.mqtt_url, site, c.id, speed) for c in site.cranes_along_rail]
        self.threads = [threading.Thread(target=sim.run, daemon=True) for sim in self.sims]
        self.link.start()
        for thread in self.threads:
            thread.start()
        reached = self.link.endpoint.wait_connected() and all(
            sim.endpoint.wait_connected() for sim in self.sims
        )
        if not reached:
            self.stop()
            raise HubportError(f"no MQTT broker answers at {parse_broker(settings.mqtt_url).shown}")

    def stop(self) -> None:
        for sim in self.sims:
            sim.stopping.set()
        for thread in self.threads:
            thread.join(5)
        self.link.stop()


def run_day(
    hub: Hub,
    settings: Settings,
    clock: ManualClock,
    console: Console,
    day: int,
    seed: int,
    resumed: bool,
    plot: Path | None,
    detail: bool,
    equipment: str = "in-process",
    speed: float = 120.0,
    cranes: str = "dispatch",
    paced: bool = False,
) -> DaySummary:
    """Run one day through the hub's bus and report it: on the crane floor (dispatcher,
    crane jobs, virtual controllers), or with ``cranes="zones"`` by the fixed-zone
    baseline; with ``equipment="mqtt"`` the controllers are on the MQTT broker, in
    threads, at ``speed``."""
    began = time.perf_counter()
    prefix = f"demo:s{seed}:"
    traffic = generate_day(day, seed, FIRST_DAY)
    clock.set(max(clock.now(), traffic.start))
    console.print(
        f"[bold]Day {day}[/] at {hub.site.name}, {traffic.start:%Y-%m-%d} (seed {seed})"
        + (" — resuming where the last run stopped" if resumed else "")
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
    console.print(f"  {len(traffic.trucks)} truck visits")
    _railway_discharge_orders(hub, settings, traffic, seed, console)
    leaving = {number for train in traffic.outbound for number in train.boxes}
    leaving |= {call.collects for call in traffic.trucks if call.collects is not None}
    if traffic.barge is not None:
        leaving |= {box.number for box in traffic.barge.takes}
    earlier = sorted(leaving - traffic.arriving)
    cranes_on_bus = _MqttCranes(settings, hub, speed) if equipment == "mqtt" else None
    simulation = HubDay(
        hub.bus,
        clock,
        hub.site,
        traffic,
        f"{prefix}d{day:03d}",
        hub.queries.yard_places_at(earlier, traffic.start),
        dispatch=cranes == "dispatch" or cranes_on_bus is not None,
        equipment=cranes_on_bus.link if cranes_on_bus else None,
        pace=speed if cranes_on_bus or paced else None,
        held=lambda number: (
            hub.queries.container(number).container.customs_status is CustomsStatus.HELD
        ),
    )
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        transient=not detail,
    ) as progress:
        task = progress.add_task(f"day {day}", total=1.0)

        def show(fraction: float, clock_text: str) -> None:
            progress.update(
                task, completed=fraction, description=f"day {day}, hub time {clock_text}"
            )

        try:
            log = simulation.run(show)
        finally:
            if cranes_on_bus is not None:
                cranes_on_bus.stop()
    kpis = day_kpis(log, cranes=len(hub.site.cranes))
    occupancy = hub.queries.yard_occupancy()
    written = _report_to_partners(hub, settings, traffic)
    if detail:
        console.print(views.kpi_table(kpis, log))
        if any(train.moves for train in kpis.trains):
            console.print(views.train_table(kpis))
        console.print(views.yard_summary(occupancy))
        if written:
            console.print(f"  EDI sent: {', '.join(written)}")
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
                f"train or barge left ({names}{' …' if len(log.held_back) > 5 else ''})"
            )
        picture = plot or settings.data_dir / f"day-{day:03d}.png"
        plot_day(log, list(hub.site.cranes), traffic.start, f"Day {day}", picture)
        console.print(f"plot of the day: {picture}")
    return DaySummary(
        day,
        kpis,
        traffic.outbound_teu,
        traffic.inbound_teu,
        occupancy.teu,
        occupancy.share,
        time.perf_counter() - began,
    )


def days_table(summaries: list[DaySummary]) -> Table:
    table = Table(title="days at the hub")
    for column in (
        "day",
        "TEU in",
        "TEU out",
        "crane moves",
        "relocations",
        "moves/crane-h",
        "truck turn (min)",
        "yard TEU",
        "wall s",
    ):
        table.add_column(column, justify="right")
    for summary in summaries:
        kpis = summary.kpis
        table.add_row(
            str(summary.day),
            f"{summary.teu_in:.0f}",
            f"{summary.teu_out:.0f}",
            str(kpis.moves),
            str(kpis.relocations),
            f"{kpis.moves_per_crane_hour:.1f}",
            f"{kpis.truck_turn_mean_min:.0f}",
            f"{summary.yard_teu} ({100 * summary.yard_share:.0f}%)",
            f"{summary.wall_seconds:.1f}",
        )
    return table


def report_days(
    console: Console, summaries: list[DaySummary], where: Path, capacity_teu: int
) -> Path:
    """The days' table, and their plot (at ``where``, or in that folder as
    ``days-FIRST-LAST.png``)."""
    console.print(days_table(summaries))
    first, last = summaries[0].day, summaries[-1].day
    picture = where / f"days-{first:03d}-{last:03d}.png" if where.is_dir() else where
    plot_days(
        [s.day for s in summaries],
        [s.yard_teu for s in summaries],
        [s.kpis.moves for s in summaries],
        [s.kpis.relocations for s in summaries],
        capacity_teu,
        picture,
    )
    console.print(f"plot of the days: {picture}")
    return picture


def run_demo(
    settings: Settings,
    console: Console,
    day: int | None,
    seed: int,
    plot: Path | None = None,
    days: int = 1,
    equipment: str = "in-process",
    speed: float = 120.0,
    cranes: str = "dispatch",
    paced: bool = False,
) -> list[DaySummary]:
    """Run ``days`` days from ``day`` (default: resume the unfinished one, or the next);
    ``paced`` runs the cranes at ``speed`` simulated seconds per second, so that people
    watch them work (``hubport serve --live``)."""
    clock = ManualClock(FIRST_DAY)
    hub = bootstrap(settings, clock=clock)
    summaries = []
    try:
        prefix = f"demo:s{seed}:"
        resumed = False
        if day is None:
            day, resumed = next_day(hub.queries.applied_keys(prefix), prefix, seed)
        clock.set(day_start(day, FIRST_DAY))
        for offset in range(days):
            summaries.append(
                run_day(
                    hub,
                    settings,
                    clock,
                    console,
                    day + offset,
                    seed,
                    resumed and offset == 0,
                    plot if days == 1 else None,
                    detail=days == 1,
                    equipment=equipment,
                    speed=speed,
                    cranes=cranes,
                    paced=paced,
                )
            )
        if days > 1:
            report_days(console, summaries, plot or settings.data_dir, hub.site.capacity_teu)
    finally:
        hub.close()
    return summaries
