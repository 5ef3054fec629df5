"""The store at volume: per-command cost beside 100 ... 50,000 boxes, ingestion, audit, demo.

Figures are printed, never asserted. The reference in the same run is each command's p50
beside 100 boxes (goal: p50 beside 50,000 within 1.5x of it), and the whole-loading unit
of work of the previous design, measured on the same stores as the baseline.

    .venv/bin/python benchmarks/store.py                 # commands, ingestion, audit, demo
    .venv/bin/python benchmarks/store.py --only commands --levels 100,1000
    .venv/bin/python benchmarks/store.py --only demo --days 30

PostgreSQL: HUBPORT_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test,
one schema per store, dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Report, progress
from sqlalchemy import Engine, create_engine, func, select, text

from hubport.adapters import tables
from hubport.adapters.database import install_site, make_engine, migrate
from hubport.adapters.event_log import append_events
from hubport.adapters.repository import InventoryRepository
from hubport.adapters.site_file import site_from_text
from hubport.domain.advice import ContainerAdvice
from hubport.domain.container import Container, ContainerNumber, LegMode, NextLeg, SizeType
from hubport.domain.events import (
    ContainerAnnounced,
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    Event,
)
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.inventory import Inventory
from hubport.domain.places import Spreader, WagonSlot, YardSlot
from hubport.domain.visits import TrainVisit, Wagon
from hubport.planning import cranes
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork

POSTGRES = os.environ.get(
    "HUBPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
T0 = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)
BLOCKS, BAYS, ROWS, TIERS = 8, 40, 10, 6
#: A terminal big enough to hold 50,000 boxes' worth of traffic: 8 blocks of 40 ground bays,
#: 10 rows and 6 tiers (19,200 TEU of slots) under 4 cranes of 520 m each.
BENCH_SITE = "\n".join(
    [
        '[site]\nname = "benchmark terminal"\ncode = "BEN"\nlocode = "CNJGJ"\n',
        *(
            f'[[blocks]]\nid = "{chr(65 + b)}"\nbays = {BAYS}\nrows = {ROWS}\n'
            f"max_tiers = {TIERS}\nrail_start_m = {4 + b * BAYS * 6.5}\nbay_pitch_m = 6.5\n"
            for b in range(BLOCKS)
        ),
        '[[tracks]]\nid = "T1"\nwagon_positions = 26\nrail_start_m = 0.0\nwagon_length_m = 15.4\n',
        '[[tracks]]\nid = "T2"\nwagon_positions = 26\nrail_start_m = 0.0\nwagon_length_m = 15.4\n',
        '[[truck_lanes]]\nid = "L1"\nrail_start_m = 0.0\nrail_end_m = 2080.0\n',
        *(
            f'[[cranes]]\nid = "ARMG{c + 1}"\nrail = "R1"\nzone_start_m = {c * 520.0}\n'
            f"zone_end_m = {(c + 1) * 520.0}\ngantry_speed_mps = 4.0\ncycle_seconds = 95.0\n"
            for c in range(4)
        ),
        '[[reefer_areas]]\nblock = "A"\nbays = [1, 7]\nrows = [1, 10]\n',
        '[[dangerous_goods_areas]]\nblock = "H"\nbays = [71, 79]\nrows = [9, 10]\n',
    ]
)
SITE = site_from_text(BENCH_SITE, "benchmarks/store.py")


def number(index: int) -> ContainerNumber:
    from stdnum import iso6346

    stem = f"BNCU{index:06d}"
    return ContainerNumber(stem + iso6346.calc_check_digit(stem))


def advice(box: Container) -> ContainerAdvice:
    """The COPRAR line that announces ``box``."""
    return ContainerAdvice(
        box.number,
        size_type=box.size_type,
        gross_mass_kg=box.gross_mass_kg,
        full=box.full,
        operator=box.operator,
        next_leg=box.next_leg,
    )


def container(index: int, rng: random.Random) -> Container:
    due = T0 + timedelta(hours=rng.uniform(1, 240))
    leg = NextLeg(LegMode.RAIL, f"X{rng.randrange(40):03d}", due, "CNQZH")
    return Container(number(index), SizeType.of("22G1"), rng.randrange(8000, 28000), next_leg=leg)


# -- stores -------------------------------------------------------------------------------


@contextmanager
def database(kind: str, directory: Path) -> Iterator[Engine]:
    """A fresh, migrated store with the benchmark site: a SQLite file or a PG schema."""
    if kind == "sqlite":
        with _initialised(f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}") as engine:
            yield engine
        return
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    schema = f"hubport_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with _initialised(f"{POSTGRES}?options=-csearch_path%3D{schema}") as engine:
            yield engine
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def _initialised(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    try:
        migrate(engine)
        install_site(engine, SITE, BENCH_SITE, "benchmarks/store.py")
        yield engine
    finally:
        engine.dispose()


def fill(engine: Engine, boxes: int, rng: random.Random) -> Inventory:
    """Put ``boxes`` boxes in the store: 40 % in the yard (at most 9,000, as in a busy
    terminal), 10 % announced, the rest departed history, each with its events."""
    inventory = Inventory(SITE)
    in_yard = min(int(boxes * 0.4), 9000)
    announced = int(boxes * 0.1)
    events: list[Event] = []
    stacks = [
        (block, bay, row)
        for block in SITE.blocks
        for bay in range(1, 2 * BAYS, 2)
        for row in range(1, ROWS + 1)
    ]
    heights = dict.fromkeys(stacks, 0)
    for index in range(boxes):
        box = container(index, rng)
        record = [ContainerAnnounced(T0, box)]
        if index < in_yard or index >= in_yard + announced:
            while True:
                stack = rng.choice(stacks)
                if heights[stack] < TIERS - 1:  # leave the top tier free for the moves
                    break
            heights[stack] += 1
            slot = YardSlot(stack[0], stack[1], stack[2], heights[stack])
            record.append(ContainerArrived(T0, box.number, slot, "history"))
            if index >= in_yard + announced:
                record.append(ContainerDeparted(T0, box.number, slot, "history"))
                heights[stack] -= 1
        for event in record:
            inventory.apply(event)
        events += record
    with engine.begin() as connection:
        InventoryRepository(connection, SITE).bulk_insert(inventory)
        for start in range(0, len(events), 20000):
            append_events(
                connection, events[start : start + 20000], "Fill", "fill", None, datetime.now(UTC)
            )
    return inventory


def bus_on(engine: Engine, scoped: bool = True) -> MessageBus:
    return MessageBus(
        lambda: SqlUnitOfWork(engine, SITE, scoped=scoped),
        ManualClock(T0 + timedelta(days=1)),
        COMMAND_HANDLERS,
        EVENT_HANDLERS,
    )


# -- per-command cost ---------------------------------------------------------------------


@dataclass
class Timing:
    seconds: list[float]

    @property
    def p50_ms(self) -> float:
        return 1000 * statistics.median(self.seconds)

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.seconds)
        return 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]

    @property
    def per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)


def timed(run: Callable[[], object], repeats: int) -> Timing:
    seconds = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - began)
    return Timing(seconds)


def box_moves(engine: Engine, bus: MessageBus, repeats: int) -> Timing:
    """Move the top box of a stack to a slot the hub chooses, in its crane's reach."""
    stacks = tables.yard_stacks
    seconds = []
    with engine.connect() as connection:
        rows = connection.execute(
            select(stacks.c.block, stacks.c.bay, stacks.c.row)
            .where(stacks.c.height > 0)
            .order_by(stacks.c.block, stacks.c.bay, stacks.c.row)
            .limit(repeats)
        ).all()
    for block, bay, row in rows:
        with engine.connect() as connection:
            top = connection.execute(
                select(stacks.c.top_number).where(
                    stacks.c.block == block, stacks.c.bay == bay, stacks.c.row == row
                )
            ).scalar()
        if top is None:
            continue
        began = time.perf_counter()
        bus.handle(commands.MoveContainer(ContainerNumber(top), None, reason="move"))
        seconds.append(time.perf_counter() - began)
    return Timing(seconds)


def announces(bus: MessageBus, repeats: int, first: int) -> Timing:
    """A COPRAR's worth of pre-advice: 50 new boxes in one command."""
    rng = random.Random(first)
    batches = iter(range(repeats))

    def announce() -> None:
        batch = next(batches)
        advices = tuple(advice(container(first + batch * 50 + i, rng)) for i in range(50))
        bus.handle(commands.AdviseContainers(advices, f"bench-{batch}"))

    return timed(announce, repeats)


def discharges(bus: MessageBus, trains: int, first: int) -> tuple[Timing, Timing]:
    """Trains of 25 wagons with 40 boxes: the arrival (one command) and each discharge."""
    rng = random.Random(first)
    arrivals, moves = [], []
    for train_index in range(trains):
        train_id = f"B{first}T{train_index}"
        wagons = tuple(Wagon(i) for i in range(1, 26))
        bus.handle(commands.RegisterTrain(TrainVisit(train_id, "bench", "inbound", wagons)))
        boxes = [container(first + train_index * 40 + i, rng) for i in range(40)]
        for box in boxes:
            bus.handle(commands.AnnounceContainer(box))
        consist = tuple(
            (box.number, WagonSlot(train_id, 1 + i // 2, "A" if i % 2 == 0 else "B"))
            for i, box in enumerate(boxes)
        )
        began = time.perf_counter()
        bus.handle(commands.ArriveTrain(train_id, "T1", consist))
        arrivals.append(time.perf_counter() - began)
        for box in boxes:
            began = time.perf_counter()
            bus.handle(commands.MoveContainer(box.number, None, reason="discharge"))
            moves.append(time.perf_counter() - began)
        bus.handle(commands.DepartTrain(train_id))
    return Timing(arrivals), Timing(moves)


def commands_benchmark(
    kinds: list[str], levels: list[int], repeats: int, baseline: int, rounds: int
) -> None:
    """Every level's store is built first; the measurements then take turns, level after
    level, for ``rounds`` rounds, so that the machine's noise falls on all levels alike."""
    report = Report(
        "per-command cost beside N boxes (p50 / p99 ms, commands/s; ratio = p50 / p50 at 100)",
        ["store", "boxes", "command", "p50 ms", "p99 ms", "per s", "vs 100"],
    )
    with tempfile.TemporaryDirectory() as directory, progress() as bar:
        task = bar.add_task("measuring", total=len(kinds) * len(levels) * (rounds + 1))
        for kind in kinds:
            with ExitStack() as stores:
                engines = {}
                for level in levels:
                    bar.update(task, description=f"{kind}: filling {level:,} boxes")
                    engines[level] = stores.enter_context(database(kind, Path(directory)))
                    fill(engines[level], level, random.Random(level))
                    bar.advance(task)
                samples: dict[tuple[int, str], list[float]] = defaultdict(list)
                for round_index in range(rounds):
                    order = levels if round_index % 2 == 0 else list(reversed(levels))
                    for level in order:
                        bar.update(task, description=f"{kind}: round {round_index + 1}, {level:,}")
                        _measure(engines[level], level, repeats // rounds, round_index, samples)
                        if level <= baseline:
                            whole = bus_on(engines[level], scoped=False)
                            samples[level, "box move, whole loading"] += box_moves(
                                engines[level], whole, max(repeats // rounds // 10, 3)
                            ).seconds
                        bar.advance(task)
            reference: dict[str, float] = {}
            for level in levels:
                for name in COMMANDS:
                    if not samples[level, name]:
                        continue
                    timing = Timing(samples[level, name])
                    reference.setdefault(name, timing.p50_ms)
                    report.add_row(
                        kind,
                        f"{level:,}",
                        name,
                        f"{timing.p50_ms:.1f}",
                        f"{timing.p99_ms:.1f}",
                        f"{timing.per_second:.0f}",
                        f"{timing.p50_ms / reference[name]:.2f}x",
                    )
    report.print(markdown=True)


COMMANDS = (
    "box move",
    "50-box announce",
    "train arrival (40 boxes)",
    "train discharge move",
    "box move, whole loading",
)


def _measure(
    engine: Engine,
    level: int,
    repeats: int,
    round_index: int,
    samples: dict[tuple[int, str], list[float]],
) -> None:
    """One round on one store: each command's latencies added to ``samples``."""
    bus = bus_on(engine)
    samples[level, "box move"] += box_moves(engine, bus, repeats).seconds
    first = 600_000 + round_index * 20_000
    samples[level, "50-box announce"] += announces(bus, max(repeats // 4, 5), first).seconds
    arrival, discharge = discharges(bus, 3, 900_000 + round_index * 200)
    samples[level, "train arrival (40 boxes)"] += arrival.seconds
    samples[level, "train discharge move"] += discharge.seconds


# -- ingestion ----------------------------------------------------------------------------


def ingestion_benchmark(boxes: int, batch: int) -> None:
    """Pre-advice streamed into PostgreSQL through the bus, ``batch`` boxes per command
    (the statistics refreshed every 5,000 boxes, included in the time)."""
    report = Report(
        "sustained ingestion into PostgreSQL through the bus",
        ["batch", "commands", "events", "seconds", "events/s", "stored", "lost"],
    )
    with tempfile.TemporaryDirectory() as directory:
        for size in (1, batch, 5 * batch):
            with database("postgresql", Path(directory)) as engine:
                bus = bus_on(engine)
                rng = random.Random(size)
                count = boxes if size > 1 else boxes // 10
                began = time.perf_counter()
                with progress() as bar:
                    task = bar.add_task(f"batches of {size}", total=count)
                    for start in range(0, count, size):
                        if start % 5000 < size:
                            # as autovacuum's ANALYZE would on a live store: without table
                            # statistics PostgreSQL scans a growing table for the batch's
                            # lookup instead of using its key
                            with engine.begin() as connection:
                                connection.execute(text("ANALYZE"))
                        advices = tuple(
                            advice(container(start + i, rng))
                            for i in range(min(size, count - start))
                        )
                        bus.handle(commands.AdviseContainers(advices, f"ingest-{start}"))
                        bar.advance(task, len(advices))
                seconds = time.perf_counter() - began
                with engine.connect() as connection:
                    stored = connection.execute(select(func.count()).select_from(tables.events))
                    stored_events = int(stored.scalar() or 0)
                report.add_row(
                    str(size),
                    f"{-(-count // size):,}",
                    f"{count:,}",
                    f"{seconds:.1f}",
                    f"{count / seconds:,.0f}",
                    f"{stored_events:,}",
                    f"{count - stored_events:,}",
                )
    report.print(markdown=True)


# -- the audit of a long log --------------------------------------------------------------


def long_log(engine: Engine, boxes: int, moves_per_box: int) -> int:
    """A store whose log replays to a sound state: each box arrives, is moved
    ``moves_per_box`` times (lift and set-down) and leaves. Returns the events written."""
    inventory = Inventory(SITE)
    written = 0
    batch: list[Event] = []
    rng = random.Random(boxes)
    at = T0
    with engine.begin() as connection:
        for index in range(boxes):
            box = container(index, rng)
            slot = YardSlot("A", 1 + 2 * (index % BAYS), 1 + index // BAYS % ROWS, 1)
            record: list[Event] = [
                ContainerAnnounced(at, box),
                ContainerArrived(at, box.number, slot, "history"),
            ]
            for step in range(moves_per_box):
                crane = cranes.crane_at(SITE, SITE.slot_x(slot)).id
                target = YardSlot("B", slot.bay, 1 + (slot.row + step) % ROWS, 1)
                record.append(ContainerMoved(at, box.number, slot, Spreader(crane), crane, "move"))
                record.append(
                    ContainerMoved(at, box.number, Spreader(crane), target, crane, "move")
                )
                slot = target
            record.append(ContainerDeparted(at, box.number, slot, "history"))
            for event in record:
                inventory.apply(event)
            batch += record
            if len(batch) >= 20000:
                append_events(connection, batch, "Fill", "fill", None, datetime.now(UTC))
                written += len(batch)
                batch = []
        append_events(connection, batch, "Fill", "fill", None, datetime.now(UTC))
        written += len(batch)
        InventoryRepository(connection, SITE).bulk_insert(inventory)
    return written


def audit_benchmark(events_wanted: int) -> None:
    report = Report(
        "hubport check on a long event log (SQLite; goal: 1,000,000 events within 60 s)",
        ["events", "boxes", "seconds", "events/s", "peak memory MB", "verdict"],
    )
    boxes = 20_000
    with tempfile.TemporaryDirectory() as directory:
        for wanted in (events_wanted // 4, events_wanted):
            moves = max(1, -(-(wanted // boxes - 3) // 2))  # at least ``wanted`` events
            path = Path(directory) / f"log-{wanted}.db"
            with _initialised(f"sqlite:///{path}") as engine:
                events = long_log(engine, boxes, moves)
            environment = {**os.environ, "HUBPORT_DATABASE_URL": f"sqlite:///{path}"}
            probe = (
                "import resource, runpy, sys; sys.argv = ['hubport', 'check']\n"
                "try:\n    runpy.run_module('hubport.entrypoints', run_name='__main__')\n"
                "finally:\n"
                "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
            )
            began = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-c", probe], env=environment, capture_output=True, text=True
            )
            seconds = time.perf_counter() - began
            peak = [line for line in result.stdout.splitlines() if line.startswith("PEAK")]
            verdict = "sound" if "sound" in result.stdout else result.stderr.strip()[-80:]
            report.add_row(
                f"{events:,}",
                f"{boxes:,}",
                f"{seconds:.1f}",
                f"{events / seconds:,.0f}",
                f"{int(peak[0].split()[1]) / 1024:.0f}" if peak else "?",
                verdict,
            )
    report.print(markdown=True)


# -- the demo over many days --------------------------------------------------------------


def demo_benchmark(days: int) -> None:
    from rich.console import Console

    from hubport.bootstrap import bootstrap, initialise
    from hubport.config import Settings
    from hubport.entrypoints.demo_world import play

    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory))
        initialise(settings)
        console = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
        summaries = play(settings, console, day=None, days=days, seed=2024)
        began = time.perf_counter()
        hub = bootstrap(settings)
        try:
            audit = hub.queries.audit()
        finally:
            hub.close()
        verdict = "sound" if audit.sound else f"{len(audit.violations)} violations"
        print(
            f"hubport check after {days} days: {verdict}, {audit.events:,} events replayed "
            f"in {time.perf_counter() - began:.1f} s"
        )
    report = Report(
        f"the demo over {days} days (SQLite; wall time per day must not grow)",
        ["day", "TEU in", "TEU out", "crane moves", "relocations", "yard TEU", "wall s"],
    )
    for summary in summaries:
        report.add_row(
            str(summary.day),
            f"{summary.teu_in:.0f}",
            f"{summary.teu_out:.0f}",
            str(summary.kpis.moves),
            str(summary.kpis.relocations),
            f"{summary.yard_teu} ({100 * summary.yard_share:.0f}%)",
            f"{summary.wall_seconds:.1f}",
        )
    report.print(markdown=True)
    walls = [summary.wall_seconds for summary in summaries]
    half = len(walls) // 2
    if half:
        print(
            f"wall s per day: first half mean {statistics.fmean(walls[:half]):.1f}, "
            f"second half mean {statistics.fmean(walls[half:]):.1f}"
        )
    steady = [summary.yard_teu for summary in summaries[len(summaries) // 3 :]]
    if steady:
        print(
            f"steady yard occupancy (days after the first third): {min(steady)}-{max(steady)} TEU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("commands", "ingestion", "audit", "demo"))
    parser.add_argument("--levels", default="100,1000,10000,50000")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=300, help="box moves per level")
    parser.add_argument("--rounds", type=int, default=3, help="turns the levels take")
    parser.add_argument("--baseline-up-to", type=int, default=10000)
    parser.add_argument("--ingest", type=int, default=50_000, help="boxes to ingest")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    if args.only in (None, "commands"):
        commands_benchmark(
            args.stores.split(","), levels, args.repeats, args.baseline_up_to, args.rounds
        )
    if args.only in (None, "ingestion"):
        ingestion_benchmark(args.ingest, args.batch)
    if args.only in (None, "audit"):
        audit_benchmark(args.events)
    if args.only in (None, "demo"):
        demo_benchmark(args.days)


if __name__ == "__main__":
    main()
