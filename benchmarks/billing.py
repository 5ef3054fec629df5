"""Billing at volume: a billing run each day over 30 days of the hub's events at the 2024
volume, the weekly invoices issued, and the reconciliation.

The event log is written as the hub writes it (announcements, arrivals by train, the
discharge to the yard, the collection by truck and the departure: about 250 TEU in a
day, boxes staying 1 to 14 days, a reefer now and then). Printed, never asserted:

- per run: its new lines, its wall time, and its time per box billed (the run's time over
  the boxes it touched: moved, or in the hub that day). The reference in the same run is
  day 1: the goal is a p50 per box over the last week within 1.5x of day 1's, so that a
  run does not slow as the ledger grows;
- the reconciliation: the sum of every invoice line (issued invoices, and the drafts'
  lines not yet issued) beside the charges recomputed from the event log; they must be
  equal.

    .venv/bin/python benchmarks/billing.py [--days 30] [--boxes-per-day 170] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from common import Report, progress
from sqlalchemy import create_engine, text
from stdnum import iso6346

from hubport.adapters.database import install_site, make_engine, migrate
from hubport.adapters.event_log import append_events
from hubport.adapters.site_file import read_site_file
from hubport.billing.adapters.account_file import read_accounts
from hubport.billing.adapters.queries import BillingQueries
from hubport.billing.adapters.sql_unit_of_work import SqlBillingUnitOfWork
from hubport.billing.adapters.tariff_file import read_tariff_book
from hubport.billing.services.commands import RunBilling
from hubport.billing.services.handlers import BILLING_HANDLERS
from hubport.domain.container import Container, ContainerNumber, SizeType
from hubport.domain.events import (
    ContainerAnnounced,
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    Event,
)
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import TruckSlot, WagonSlot, YardSlot
from hubport.services.clock import ManualClock
from hubport.services.messagebus import MessageBus

FIRST = datetime(2026, 11, 2, 6, 0, tzinfo=HUB_TIME)  # a Monday
OPERATORS = ("COS", "OOL", "CMA", "MSC", "EMC", "SITC")
SIZES = (("22G1", 0.45), ("45G1", 0.45), ("45R1", 0.05), ("22U1", 0.05))


def number(index: int) -> ContainerNumber:
    stem = f"BLGU{index:06d}"
    return ContainerNumber(stem + iso6346.calc_check_digit(stem))


def history(days: int, per_day: int, seed: int) -> dict[date, list[Event]]:
    """The events of each hub day, in time order."""
    rng = random.Random(seed)
    by_day: dict[date, list[tuple[datetime, int, Event]]] = {}

    def add(moment: datetime, order: int, event: Event) -> None:
        by_day.setdefault(moment.astimezone(HUB_TIME).date(), []).append((moment, order, event))

    index = 0
    for day in range(days):
        for _ in range(per_day):
            index += 1
            code = rng.choices([c for c, _ in SIZES], [w for _, w in SIZES])[0]
            container = Container(
                number(index),
                SizeType.of(code),
                22_000,
                full=rng.random() < 0.8,
                operator=rng.choice(OPERATORS),
                reefer_setpoint_c=-18.0 if code == "45R1" else None,
            )
            arrive = FIRST + timedelta(days=day, minutes=rng.randint(0, 18 * 60))
            wagon = WagonSlot(f"T{day:03d}", rng.randint(1, 50), "A")
            yard = YardSlot("A", rng.randint(1, 30), rng.randint(1, 6), 1)
            add(arrive - timedelta(hours=6), 0, ContainerAnnounced(arrive, container))
            add(arrive, 1, ContainerArrived(arrive, container.number, wagon, wagon.train))
            moved = arrive + timedelta(minutes=20)
            add(
                moved, 2, ContainerMoved(moved, container.number, wagon, yard, "ARMG1", "discharge")
            )
            leave = arrive + timedelta(hours=rng.uniform(20, 14 * 24))
            truck = TruckSlot(f"TV{index}", "A")
            add(leave, 3, ContainerMoved(leave, container.number, yard, truck, "ARMG2", "deliver"))
            gone = leave + timedelta(minutes=30)
            add(gone, 4, ContainerDeparted(gone, container.number, truck, f"TV{index}"))
    return {
        day: [event for _, _, event in sorted(events, key=lambda item: (item[0], item[1]))]
        for day, events in sorted(by_day.items())
    }


def store(url: str | None) -> tuple[str, object]:
    if url is None:
        folder = tempfile.mkdtemp(prefix="hubport-billing-")
        return f"sqlite:///{Path(folder) / 'hubport.db'}", None
    schema = f"hubport_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{url}?options=-csearch_path%3D{schema}", (admin, schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--boxes-per-day", type=int, default=170)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    postgres = os.environ.get(
        "HUBPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    url, cleanup = store(postgres if args.postgres else None)
    engine = make_engine(url)
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    book, accounts = read_tariff_book(), read_accounts()
    clock = ManualClock(FIRST)
    bus = MessageBus(
        lambda: SqlBillingUnitOfWork(engine, book, accounts), clock, BILLING_HANDLERS, {}
    )
    queries = BillingQueries(engine, book, accounts)
    days = history(args.days, args.boxes_per_day, args.seed)
    rows = []
    invoices = 0
    with progress() as bar:
        task = bar.add_task("billing day by day", total=args.days)
        for day, events in list(days.items())[: args.days]:
            with engine.begin() as connection:
                append_events(connection, events, "Bench", str(uuid.uuid4()), None, clock.now())
            clock.set(datetime.combine(day + timedelta(days=1), datetime.min.time(), HUB_TIME))
            open_boxes = _in_hub(engine)
            issue = day.weekday() == 6  # the week's invoices, on Sunday
            started = time.perf_counter()
            result = bus.handle(RunBilling(day, issue=issue)).result
            wall = time.perf_counter() - started
            moved = len({e.container_number for e in events})
            touched = max(1, open_boxes + moved)
            invoices += len(result["invoices"]) if issue else 0
            rows.append((day, result["new_lines"], wall, wall / touched * 1000, touched))
            bar.advance(task)
    report = Report(
        f"A billing run a day over {args.days} days ({args.boxes_per_day} boxes in a day, "
        f"{'PostgreSQL' if args.postgres else 'SQLite'})",
        ["day", "new lines", "boxes touched", "run s", "ms per box"],
    )
    for day, lines, wall, per_box, touched in rows:
        report.add_row(day.isoformat(), str(lines), str(touched), f"{wall:.2f}", f"{per_box:.2f}")
    report.print(args.markdown)
    first = rows[0][3]
    last_week = statistics.median(per_box for *_, per_box, _ in rows[-7:])
    print(
        f"per box: day 1 {first:.2f} ms (the reference), p50 of the last 7 days "
        f"{last_week:.2f} ms ({last_week / first:.2f}x; goal within 1.5x)"
    )
    total_lines = sum(lines for _, lines, *_ in rows)
    print(f"charge lines {total_lines}, invoices issued {invoices}")
    reconciled = queries.reconcile()
    on_invoices = sum(
        (invoice.total for invoice in queries.invoices(limit=100_000)), Decimal("0.00")
    )
    print(
        f"reconciliation: invoice lines CNY {on_invoices}, recomputed from the event log "
        f"CNY {reconciled.recomputed}, ledger CNY {reconciled.ledger}: "
        f"{'equal' if on_invoices == reconciled.recomputed == reconciled.ledger else 'DIFFERENT'}"
    )
    engine.dispose()
    if cleanup is not None:
        admin, schema = cleanup  # type: ignore[misc]
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _in_hub(engine: object) -> int:
    from sqlalchemy import func, select

    from hubport.billing.adapters import tables

    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(
            connection.scalar(
                select(func.count())
                .select_from(tables.billing_stays)
                .where(tables.billing_stays.c.finished.is_(False))
            )
            or 0
        )


if __name__ == "__main__":
    main()
