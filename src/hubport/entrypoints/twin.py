"""``hubport twin``: run a scenario (days to a year) through the platform's runtime, and
sweep a grid of scenario cells with replications on Ray (docs/twin.md)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hubport.config import Settings
from hubport.entrypoints.twin_shards import PART_WARMUP_DAYS, PartedRun, run_in_parts
from hubport.twin.scenario import Scenario, ScenarioError, load, shipped

twin_app = typer.Typer(
    help="The digital twin: scenarios run through the platform's runtime.",
    no_args_is_help=True,
)
console = Console(stderr=True)
out_console = Console()

WARMUP_HELP = "first days run but not measured, the yard filling (default: the file's, 0)"
#: The KPIs a sweep's table shows (all are in --json).
SWEEP_COLUMNS = (
    "train_handling_h_mean",
    "train_handling_h_p95",
    "truck_turn_min_mean",
    "crane_utilisation",
    "trains_on_time_share",
)


@twin_app.command("scenarios")
def scenarios() -> None:
    """The shipped scenarios."""
    table = Table("scenario", "title", "days", "cranes", "volume")
    for name in shipped():
        scenario = load(name)
        table.add_row(
            name,
            scenario.title,
            str(scenario.days),
            str(scenario.cranes or "site"),
            f"x{scenario.volume.multiplier}",
        )
    out_console.print(table)


@twin_app.command("run")
def run_command(
    scenario: Annotated[str, typer.Argument(help="a shipped scenario's name, or a .toml file")],
    days: Annotated[
        int | None, typer.Option(min=1, help="days to run from the start (default: all)")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="the traffic seed (default: the file's)")] = None,
    warmup: Annotated[int | None, typer.Option(min=0, help=WARMUP_HELP)] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="folder of the results (default: DATA_DIR/twin/SCENARIO-seedK)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    database: Annotated[
        str | None,
        typer.Option(help="an empty store's URL for the run (default: a SQLite file in --out)"),
    ] = None,
    parts: Annotated[
        int | None,
        typer.Option(min=1, help="run the days in this many parts side by side (Ray)"),
    ] = None,
    part_warmup: Annotated[
        int, typer.Option(min=0, help="days each part plays before its own, not measured")
    ] = PART_WARMUP_DAYS,
    address: Annotated[
        str | None, typer.Option(help="with --parts: a Ray cluster's address (default: local)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="with --parts: local workers (default: the CPUs)")
    ] = None,
) -> None:
    """Run a scenario: the world plays its traffic, the runtime operates the hub; KPIs,
    plots (PNG) and a Markdown report go to --out. With --parts, its days run in parts side
    by side, each after a warm-up of the days before it, and their logs join."""
    from hubport.entrypoints.twin_run import run
    from hubport.twin.run_plots import plot_run
    from hubport.twin.run_report import run_report

    chosen = load(scenario)
    if seed is not None:
        chosen = chosen.with_seed(seed)
    chosen = chosen.cut(days, warmup)
    folder = out or Settings().data_dir / "twin" / f"{chosen.name}-seed{chosen.seed}"
    if parts is None:
        finished = run(chosen, folder, database, console)
        result, log = finished.result, finished.log
    else:
        if database is not None:
            raise ScenarioError("--database names one store: a run in --parts has one a part")
        folder.mkdir(parents=True, exist_ok=True)
        parted = _in_parts(chosen, parts, folder, part_warmup, address, workers)
        result, log = parted.result, parted.log
        console.print(
            f"{parts} parts on {parted.engine} in {result['wall_s']:,.0f} s; "
            f"one after the other they took {sum(parted.part_walls):,.0f} s"
        )
    pictures = plot_run(log, chosen.title, folder)
    targets = {
        "train_handling_h": chosen.targets.train_handling_h,
        "truck_turn_min": chosen.targets.truck_turn_min,
        "train_wait_h": chosen.targets.train_wait_h,
    }
    (folder / "report.md").write_text(run_report(result, targets, pictures), encoding="utf-8")
    (folder / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    if as_json:
        print(json.dumps(result))
        return
    table = Table("KPI", "value", title=f"{chosen.title}: {chosen.days} days, seed {chosen.seed}")
    totals = result["totals"]
    for name in ("corridor_trains", "teu", "teu_in", "crane_moves", "truck_visits"):
        table.add_row(name, f"{totals[name]:,}")
    for name, value in result["kpis"].items():
        table.add_row(name, f"{value:,.3f}")
    out_console.print(table)
    out_console.print(f"report: {folder / 'report.md'} ({result['wall_s']} s)")


@contextlib.contextmanager
def _counting(description: str, total: int | None) -> Iterator[Callable[[int, int], None]]:
    """A progress bar of tasks done; yields what to tell it (done, of how many)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)

        def done(count: int, of: int) -> None:
            bar.update(task, completed=count, total=of)

        yield done


def _in_parts(
    scenario: Scenario,
    parts: int,
    folder: Path,
    warmup: int,
    address: str | None,
    workers: int | None,
) -> PartedRun:
    """``run_in_parts`` with a progress bar of the parts done."""
    with _counting(f"{scenario.name} in {parts} parts", parts) as done:
        return run_in_parts(scenario, parts, folder, warmup, address, workers, done)


@twin_app.command("sweep")
def sweep_command(
    scenario: Annotated[str, typer.Argument(help="a shipped scenario's name, or a .toml file")],
    param: Annotated[
        list[str] | None,
        typer.Option(help="NAME=V1,V2,...: cranes, volume, gate, customs_release_min, load_plan_s"),
    ] = None,
    replications: Annotated[int, typer.Option(min=1, help="runs per cell (seeds)")] = 3,
    days: Annotated[int | None, typer.Option(min=1, help="days per run (default: all)")] = None,
    warmup: Annotated[int | None, typer.Option(min=0, help=WARMUP_HELP)] = None,
    address: Annotated[
        str | None, typer.Option(help="a Ray cluster's address (default: a local Ray)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="local workers (default: the CPUs)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="folder of the table and capacity curves")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    resume: Annotated[
        bool, typer.Option(help="run only what --out's runs.jsonl lacks (a sweep stopped)")
    ] = False,
) -> None:
    """Run every combination of the parameters, each with the same replications' seeds;
    each KPI's mean and 95 % interval per cell, the bottlenecks, capacity curves. Each
    finished run is kept in --out's runs.jsonl as it finishes."""
    from hubport.entrypoints.twin_journal import Journal
    from hubport.entrypoints.twin_sweep import parse_params, sweep
    from hubport.twin.run_plots import plot_capacity

    grid = parse_params(param or [])
    chosen = load(scenario)
    folder = out or Settings().data_dir / "twin" / f"sweep-{chosen.name}"
    journal = Journal(folder / "runs.jsonl", resume)
    with _counting("sweep runs", None) as done:
        outcome = sweep(scenario, grid, replications, days, address, workers, done, warmup, journal)
    result = outcome.result
    curves = []
    if any(name == "volume" for name, _ in grid):
        for kpi, target in (
            ("train_handling_h_p95", chosen.targets.train_handling_h),
            ("truck_turn_min_p95", chosen.targets.truck_turn_min),
            ("train_track_wait_h_mean", chosen.targets.train_wait_h),
            ("crane_utilisation", None),
        ):
            curves.append(
                str(plot_capacity(result["cells"], kpi, target, folder / f"capacity-{kpi}.png"))
            )
    result["curves"] = curves
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sweep.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    if result["failed"]:
        console.print(
            f"[red]{result['failed']} of {result['tasks']} runs failed[/] (see each cell)"
        )
    if as_json:
        print(json.dumps(result))
        raise typer.Exit(1 if result["failed"] else 0)
    again = f" ({result['resumed']} kept from before)" if result["resumed"] else ""
    console.print(f"ran {result['tasks']} runs{again} on {outcome.engine} in {result['wall_s']} s")
    table = Table(
        "cell", *SWEEP_COLUMNS, "bottleneck", title=f"sweep of {chosen.name}: mean [95 % CI]"
    )
    for cell in result["cells"]:
        label = ", ".join(f"{k}={v}" for k, v in cell["params"].items()) or "as the file"
        values = []
        for name in SWEEP_COLUMNS:
            figure = cell["kpis"].get(name, {"mean": 0.0, "ci95": [0.0, 0.0]})
            low, high = figure["ci95"]
            values.append(f"{figure['mean']:.2f} [{low:.2f}, {high:.2f}]")
        if cell["bottlenecks"]:
            top = cell["bottlenecks"][0]
            values.append(f"{top['resource']} ({top['load']:.2f})")
        else:
            values.append("-")
        if cell["failed"]:
            values[-1] += f"; {len(cell['failed'])} run(s) failed: {cell['failed'][0]['error']}"
        table.add_row(label, *values)
    out_console.print(table)
    if result["capacity"]:
        out_console.print(_capacity_table(result["capacity"]))
    for curve in curves:
        out_console.print(f"capacity curve: {curve}")
    if result["failed"]:
        raise typer.Exit(1)


def _capacity_table(answers: list[dict[str, Any]]) -> Table:
    """Where each target breaks as the volume grows, for each other cell parameter."""
    table = Table(
        "cell", "target", "holds up to", "breaks at", "crossing", title="the capacity answer"
    )
    for answer in answers:
        label = ", ".join(f"{k}={v}" for k, v in answer["params"].items()) or "-"
        holds, breaks = answer["holds_up_to"], answer["breaks_at"]
        table.add_row(
            label,
            f"{answer['kpi']} <= {answer['target']:g}",
            "-" if holds is None else f"x{holds:g}",
            "never (in the sweep)"
            if breaks is None
            else f"x{breaks:g}" + (" (sure: its 95 % CI is above)" if answer["sure"] else ""),
            "-" if answer["crossing"] is None else f"x{answer['crossing']:.2f}",
        )
    return table


__all__ = ["twin_app"]
