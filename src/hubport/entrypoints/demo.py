"""``hubport demo``: run (or resume) one day of seeded traffic and print its KPIs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from hubport.adapters.edi.folders import ensure_partner, scan
from hubport.adapters.edi.outbox import deliver
from hubport.adapters.inbox import keys_with_prefix
from hubport.bootstrap import Hub, bootstrap
from hubport.config import Settings
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints import views
from hubport.services.clock import ManualClock
from hubport.twin.day import HubDay, day_start
from hubport.twin.kpi import day_kpis
from hubport.twin.partners import HAULIERS, RAILWAY, discharge_order
from hubport.twin.plots import plot_day
from hubport.twin.traffic import DayTraffic, generate_day

#: The demo's first day starts at 06:00 hub time on this date; day N is N-1 days later.
FIRST_DAY = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


def next_day(keys: list[str], prefix: str, seed: int) -> tuple[int, bool]:
    """The day to run and whether it resumes one left unfinished."""
    days = sorted({int(key[len(prefix) :].split(":")[0].lstrip("d")) for key in keys})
    if not days:
        return 1, False
    last = days[-1]
    outbound = generate_day(last, seed, day_start(last, FIRST_DAY)).outbound.id
    finished = f"{prefix}d{last:03d}:depart:{outbound}" in keys
    return (last + 1, False) if finished else (last, True)


def _railway_discharge_order(
    hub: Hub, settings: Settings, traffic: DayTraffic, seed: int, console: Console
) -> None:
    """The railway drops the inbound train's COPRAR into its inbox; the gateway takes it."""
    root = settings.edi_root
    inbox, _outbox = ensure_partner(root, RAILWAY)
    text = discharge_order(traffic, hub.site.locode, seed, settings.edi_sender)
    deliver(text, inbox / f"COPRAR-{traffic.inbound.id}.edi")
    for receipt in scan(hub.edi_gateway(), root):
        console.print(
            f"  EDI {receipt.status}: {Path(receipt.name).name} from {receipt.partner}"
            + (f" ({len(receipt.announced)} boxes announced)" if receipt.announced else "")
        )
        if receipt.status == "quarantined" and receipt.partner == RAILWAY:
            raise HubportError(f"the railway's discharge order was refused: {receipt.problems}")


def _report_to_partners(
    hub: Hub, settings: Settings, traffic: DayTraffic, console: Console
) -> None:
    """At the end of the day: the COARRI of both trains to the railway, and the day's gate
    moves (CODECO) to the hauliers' outbox. Each file is written once, even on a resume."""
    outbox = hub.edi_outbox()
    day_start = traffic.start
    reports = (
        ("COARRI", RAILWAY, traffic.inbound.id, None),
        ("COARRI", RAILWAY, traffic.outbound.id, None),
        ("CODECO", HAULIERS, None, day_start),
    )
    for message_type, partner, visit, since in reports:
        name = f"{message_type}-{visit or f'{day_start:%Y%m%d}'}.edi"
        target = settings.edi_root / partner / "out" / name
        if target.exists():
            continue
        documents = outbox.documents(message_type, visit=visit, since=since)
        if not any(document.equipment for document in documents):
            continue
        written = outbox.write(documents, partner, hub.bus.clock.now(), str(target))
        deliver(written.text, target)
        lines = sum(len(document.equipment) for document in documents)
        console.print(f"  EDI sent: {target} ({len(documents)} messages, {lines} boxes)")


def run_demo(
    settings: Settings, console: Console, day: int | None, seed: int, plot: Path | None = None
) -> None:
    start = FIRST_DAY
    clock = ManualClock(start)
    hub = bootstrap(settings, clock=clock)
    try:
        prefix = f"demo:s{seed}:"
        resumed = False
        if day is None:
            day, resumed = next_day(keys_with_prefix(hub.engine, prefix), prefix, seed)
        start = day_start(day, FIRST_DAY)
        clock.set(start)
        traffic = generate_day(day, seed, start)
        console.print(
            f"[bold]Day {day}[/] at {hub.site.name}, {start:%Y-%m-%d} (seed {seed})"
            + (" — resuming where the last run stopped" if resumed else "")
        )
        console.print(
            f"  inbound {traffic.inbound.id} ({traffic.inbound.service}): "
            f"{len(traffic.inbound_consist)} boxes, {traffic.inbound_teu:.0f} TEU; "
            f"{len(traffic.trucks)} truck visits; outbound {traffic.outbound.id} "
            f"({traffic.outbound.service}) with {len(traffic.outbound_boxes)} boxes"
        )
        _railway_discharge_order(hub, settings, traffic, seed, console)
        simulation = HubDay(
            hub.bus, clock, hub.site, traffic, f"{prefix}d{day:03d}", inbound_announced=True
        )
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("simulating", total=1.0)

            def show(fraction: float, clock_text: str) -> None:
                progress.update(task, completed=fraction, description=f"hub time {clock_text}")

            log = simulation.run(show)
        kpis = day_kpis(log, cranes=len(hub.site.cranes))
        with hub.unit_of_work() as uow:
            inventory = uow.inventory
        console.print(views.kpi_table(kpis, log))
        console.print(views.yard_summary(inventory))
        _report_to_partners(hub, settings, traffic, console)
        picture = plot or settings.data_dir / f"day-{day:03d}.png"
        plot_day(log, list(hub.site.cranes), start, f"Day {day}", picture)
        console.print(f"plot of the day: {picture}")
    finally:
        hub.close()
