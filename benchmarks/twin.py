"""The digital twin: speed of a simulated year, fidelity of the 2024 year, and a sweep.

- **Speed.** Days of ``xiaonanya-2024`` through the runtime (world and runtime in one
  process, SQLite store, deterministic steps): wall time, the cost of a crane move, and
  the year extrapolated from the days run, against the goal (a year in 60 s), against
  the same days on a durable store (each commit flushed, as live), and against raw
  SimPy's event rate on this machine in the same run (an empty process loop: the bound
  no SimPy twin can beat). ``--profile`` prints the run's top entries.
- **Fidelity.** The 2024 year's generated totals (trains, TEU, monthly profile) against
  the site's figures (1,804 trains, about 90,000 TEU).
- **Volume.** A crane move's cost at the design capacity (6.7 times the 2024 volume)
  against the 2024 volume, in the same run: it must not grow with the traffic.
- **Stores.** The same small run on SQLite and on PostgreSQL: the same results, and each
  store's wall time.
- **Year** (``--only year``: hours on a small machine). The whole 2024 year in parts
  side by side on a local Ray (``--year-parts``, default 12): its wall time, the parts'
  wall times added up, and its totals and months against the site's figures.
- **Sweep.** A grid through local Ray (by default the issue's: 3 crane counts x 4
  volumes x 5 replications of ``tiny``), its wall time and the speed-up over running the
  same tasks one after the other in one process.

    python benchmarks/twin.py [--days 1] [--sweep-days 1] [--replications 5]
        [--param cranes=1,2,3 --param volume=0.5,1.0,1.5,2.0] [--only volume] [--profile]
        [--only year --year-parts 12 --workers 2]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import pstats
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import simpy
from common import Report

from hubport.entrypoints.twin_run import run
from hubport.entrypoints.twin_sweep import Task, parse_params, run_task, sweep
from hubport.twin.scenario import load
from hubport.twin.traffic import generate_day

GOAL_YEAR_S = 60.0


def simpy_rate(events: int = 300_000) -> float:
    """Events a second of an empty SimPy process loop."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment):  # type: ignore[no-untyped-def]
        while True:
            yield env.timeout(1)

    env.process(ticker(env))
    began = time.perf_counter()
    env.run(until=events)
    return events / (time.perf_counter() - began)


def speed(days: int, profile: bool, markdown: bool) -> None:
    """The days on the run's own store (throwaway: commits not flushed), and the same days
    on a durable store (each commit flushed, as live) for reference."""
    scenario = load("xiaonanya-2024").cut(days)
    profiler = cProfile.Profile() if profile else None
    report = Report(
        f"Speed: {days} day(s) of xiaonanya-2024 through the runtime (2 cranes, SQLite)",
        [
            "store",
            "wall (s)",
            "crane moves",
            "ms/move",
            "year, extrapolated (s)",
            "goal (s)",
            "raw SimPy events/s",
        ],
    )
    rate = simpy_rate()
    with tempfile.TemporaryDirectory() as folder:
        for store, url in (
            ("throwaway (the run's own)", None),
            ("durable (each commit flushed)", f"sqlite:///{folder}/durable.db"),
        ):
            if profiler and url is None:
                profiler.enable()
            finished = run(scenario, Path(folder) / store.split()[0], database_url=url)
            if profiler and url is None:
                profiler.disable()
            result = finished.result
            wall = float(result["wall_s"])
            moves = result["totals"]["crane_moves"]
            report.add_row(
                store,
                f"{wall:.1f}",
                str(moves),
                f"{1000 * wall / moves:.1f}",
                f"{wall / days * 366:,.0f}",
                f"≤ {GOAL_YEAR_S:.0f}",
                f"{rate:,.0f}",
            )
    report.print(markdown)
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        print(text.getvalue())


def fidelity(markdown: bool) -> None:
    year = load("xiaonanya-2024")
    plan = year.plan()
    trains, teu = 0, 0.0
    months = [0] * 12
    for day in range(1, year.days + 1):
        traffic = generate_day(day, year.seed, year.first_day, plan)
        trains += len(traffic.outbound)
        teu += traffic.outbound_teu
        months[traffic.start.month - 1] += len(traffic.outbound)
    report = Report(
        "Fidelity: the 2024 year generated against the site's figures",
        ["figure", "generated", "site", "difference"],
    )
    report.add_row("corridor trains", f"{trains:,}", "1,804", f"{(trains - 1804) / 1804:+.2%}")
    report.add_row("TEU sent", f"{teu:,.0f}", "about 90,000", f"{(teu - 90000) / 90000:+.2%}")
    report.add_row("trains by month", " ".join(str(m) for m in months), "(no public series)", "")
    report.print(markdown)


def year_in_parts(parts: int, workers: int | None, markdown: bool) -> None:
    """The whole 2024 year through the runtime, in ``parts`` parts side by side (a local
    Ray): its wall time against the goal and against one process (the parts' wall times
    added up), and its totals against the site's figures and the generated plan."""
    from hubport.entrypoints.twin_shards import run_in_parts

    year = load("xiaonanya-2024")
    plan = year.plan()
    wanted = [0] * 12
    for day in range(1, year.days + 1):
        wanted[(year.first_day + timedelta(days=day - 1)).month - 1] += plan.outbound_on(day)
    with tempfile.TemporaryDirectory() as folder:
        parted = run_in_parts(year, parts, Path(folder), workers=workers)
    result, one_by_one = parted.result, sum(parted.part_walls)
    totals = result["totals"]
    report = Report(
        f"The 2024 year in {parts} parts ({result['engine']})",
        ["figure", "run", "reference", "difference"],
    )
    report.add_row("wall (s)", f"{result['wall_s']:,.0f}", f"goal ≤ {GOAL_YEAR_S:.0f}", "")
    report.add_row(
        "wall (s), the parts one after the other",
        f"{one_by_one:,.0f}",
        f"{result['wall_s']:,.0f} side by side",
        f"{one_by_one / result['wall_s']:.2f}x",
    )
    trains, teu = totals["corridor_trains"], totals["teu"]
    report.add_row("corridor trains sent", f"{trains:,}", "1,804", f"{(trains - 1804) / 1804:+.2%}")
    report.add_row("TEU sent", f"{teu:,.0f}", "about 90,000", f"{(teu - 90000) / 90000:+.2%}")
    report.add_row("crane moves", f"{totals['crane_moves']:,}", "", "")
    months = [str(m["corridor_trains"]) for m in result["months"].values()]
    report.add_row("trains by month", " ".join(months), " ".join(map(str, wanted)), "(plan)")
    report.print(markdown)


def stores(markdown: bool) -> None:
    import os
    import uuid

    from sqlalchemy import create_engine, text

    postgres = os.environ.get(
        "HUBPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    scenario = load("tiny").cut(2)
    report = Report(
        "Stores: tiny, 2 days, the same run on each store",
        ["store", "wall (s)", "crane moves", "same results"],
    )
    with tempfile.TemporaryDirectory() as folder:
        lite = run(scenario, Path(folder) / "lite").result
        schema = f"twin_{uuid.uuid4().hex[:10]}"
        admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = f"{postgres}?options=-csearch_path%3D{schema}"
            on_pg = run(scenario, Path(folder) / "pg", url).result
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    same = lite["kpis"] == on_pg["kpis"] and lite["totals"] == on_pg["totals"]
    for name, result in (("SQLite (file)", lite), ("PostgreSQL", on_pg)):
        report.add_row(
            name,
            f"{result['wall_s']:.1f}",
            str(result["totals"]["crane_moves"]),
            "yes" if same else "NO",
        )
    report.print(markdown)


def volume_scaling(markdown: bool) -> None:
    """A crane move's cost as the traffic grows: the first day of ``design-capacity``
    (4 cranes) at the 2024 volume and at the design capacity (6.7 times). The 1.0 day is
    the reference: a command's cost must not grow with the traffic, so neither should a
    move's."""
    base = load("design-capacity").cut(1)
    report = Report(
        "Volume: a day of design-capacity (4 cranes) at 1.0x and 6.7x the 2024 volume",
        ["volume", "wall (s)", "crane moves", "ms/move", "against 1.0x"],
    )
    reference = None
    with tempfile.TemporaryDirectory() as folder:
        for volume in (1.0, 6.7):
            result = run(base.with_param("volume", volume), Path(folder) / f"v{volume}").result
            wall, moves = float(result["wall_s"]), result["totals"]["crane_moves"]
            per_move = 1000 * wall / moves
            reference = reference or per_move
            report.add_row(
                f"{volume:g}x",
                f"{wall:.1f}",
                str(moves),
                f"{per_move:.1f}",
                f"{per_move / reference:.2f}x",
            )
    report.print(markdown)


def sweep_speed(days: int, replications: int, params: list[str], markdown: bool) -> None:
    """The grid through local Ray, against the same tasks one after another in this one
    process."""
    grid = parse_params(params)
    began = time.perf_counter()
    outcome = sweep("tiny", grid, replications, days, None)
    ray_wall = time.perf_counter() - began
    tasks = outcome.result["tasks"]
    failed = outcome.result["failed"]
    began = time.perf_counter()
    base = load("tiny").seed
    for values in itertools.product(*(values for _, values in grid)):
        params_of = tuple(zip((name for name, _ in grid), values, strict=True))
        for rep in range(replications):
            run_task(Task("tiny", params_of, base + rep, days))
    serial = time.perf_counter() - began
    shape = " x ".join(f"{name}={','.join(f'{v:g}' for v in values)}" for name, values in grid)
    report = Report(
        f"Sweep: tiny, {shape} x {replications} replications, {days} day(s) each",
        ["tasks", "runs failed", "engine", "wall (s)", "one process (s)", "speed-up"],
    )
    report.add_row(
        str(tasks),
        str(failed),
        outcome.engine,
        f"{ray_wall:.1f}",
        f"{serial:.1f}",
        f"{serial / ray_wall:.2f}x",
    )
    report.print(markdown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--sweep-days", type=int, default=1)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument(
        "--param",
        action="append",
        help="a sweep parameter NAME=V1,V2 (default: the issue's 3 x 4 grid)",
    )
    parser.add_argument(
        "--only",
        choices=("fidelity", "speed", "volume", "stores", "sweep", "year"),
        action="append",
        help="run only these parts (default: all)",
    )
    parser.add_argument("--year-parts", type=int, default=12)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    parts = set(args.only or ("fidelity", "speed", "volume", "stores", "sweep"))
    if "fidelity" in parts:
        fidelity(args.markdown)
    if "speed" in parts:
        speed(args.days, args.profile, args.markdown)
    if "volume" in parts:
        volume_scaling(args.markdown)
    if "stores" in parts:
        stores(args.markdown)
    if "year" in parts:  # hours on a small machine: only when asked for
        year_in_parts(args.year_parts, args.workers, args.markdown)
    if "sweep" in parts:
        grid = args.param or ["cranes=1,2,3", "volume=0.5,1.0,1.5,2.0"]
        sweep_speed(args.sweep_days, args.replications, grid, args.markdown)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
