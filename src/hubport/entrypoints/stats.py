"""``hubport stats``: corridor statistics from the store's train runs, with a chart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hubport.corridor.statistics import CorridorReport

stats_app = typer.Typer(help="Statistics from the platform's records.", no_args_is_help=True)
console = Console()
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@stats_app.command("corridor")
def corridor(
    year: Annotated[int, typer.Option(help="calendar year (hub time)")],
    plot: Annotated[Path | None, typer.Option(help="write a chart of the year to this PNG")] = None,
) -> None:
    """Trains and TEU sent per service and month, share and year-on-year growth."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        report = hub.queries.corridor_report(year)
    finally:
        hub.close()
    console.print(_services_table(report))
    console.print(_months_table(report))
    if plot is not None:
        plot_report(report, plot)
        console.print(f"chart: {plot}")


@stats_app.command("load-synthetic")
def load_synthetic(
    year: Annotated[int, typer.Option(help="the year to generate")] = 2024,
    seed: Annotated[int, typer.Option(help="seed of the generator")] = 1,
) -> None:
    """Add a seeded synthetic year of corridor trains (1,804 in 2024) to the store."""
    from hubport.bootstrap import bootstrap
    from hubport.twin.synthetic_year import synthetic_runs

    rows = synthetic_runs(year, seed)
    hub = bootstrap()
    try:
        known = hub.queries.train_run_ids(f"SY{year}-%")
        if known:
            console.print(
                f"a synthetic {year} is already loaded ({len(known)} trains); nothing added"
            )
            return
        hub.add_train_runs(rows)
    finally:
        hub.close()
    console.print(f"added {len(rows):,} synthetic train runs for {year} (seed {seed})")


def _services_table(report: CorridorReport) -> Table:
    trains_growth, teu_growth = report.growth()
    growth = (
        "no earlier year on record"
        if trains_growth is None
        else f"trains {trains_growth:+.1%}, TEU {teu_growth or 0:+.1%} on {report.year - 1}"
    )
    table = Table(title=f"Corridor trains sent in {report.year} ({growth})")
    for column in ("service", "trains", "share", "TEU", "boxes", "TEU/train"):
        table.add_column(column, justify="left" if column == "service" else "right")
    for service, figures in report.sent.items():
        table.add_row(
            service,
            f"{figures.trains:,}",
            f"{report.share(service):.1%}",
            f"{figures.teu:,.0f}",
            f"{figures.boxes:,}",
            f"{figures.teu / figures.trains:.1f}",
        )
    table.add_row(
        "total",
        f"{report.trains:,}",
        "100%" if report.trains else "–",
        f"{report.teu:,.0f}",
        f"{sum(f.boxes for f in report.sent.values()):,}",
        f"{report.teu / report.trains:.1f}" if report.trains else "–",
        style="bold",
    )
    for service, figures in report.received.items():
        table.add_row(
            f"(arrivals) {service}",
            f"{figures.trains:,}",
            "",
            f"{figures.teu:,.0f}",
            f"{figures.boxes:,}",
            "",
        )
    return table


def _months_table(report: CorridorReport) -> Table:
    table = Table(title=f"Per month, {report.year} (the chart splits them by service)")
    for column in ("month", "trains sent", "TEU sent", "trains arrived", "TEU arrived"):
        table.add_column(column, justify="left" if column == "month" else "right")
    for month, name in enumerate(_MONTHS):
        table.add_row(
            name,
            str(sum(f.by_month[month] for f in report.sent.values())),
            f"{sum(f.teu_by_month[month] for f in report.sent.values()):,.0f}",
            str(sum(f.by_month[month] for f in report.received.values())),
            f"{sum(f.teu_by_month[month] for f in report.received.values()):,.0f}",
        )
    return table


def plot_report(report: CorridorReport, path: Path) -> Path:
    """Monthly trains per service (stacked) with TEU on a second axis, and the shares."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (months, shares) = plt.subplots(
        1, 2, figsize=(14, 5.5), width_ratios=(3, 1.3), constrained_layout=True
    )
    bottom = [0] * 12
    for service, figures in report.sent.items():
        months.bar(_MONTHS, figures.by_month, bottom=bottom, label=service)
        bottom = [b + c for b, c in zip(bottom, figures.by_month, strict=True)]
    months.set_ylabel("trains sent")
    teu = [sum(f.teu_by_month[m] for f in report.sent.values()) for m in range(12)]
    axis = months.twinx()
    axis.plot(_MONTHS, teu, color="black", marker="o", label="TEU")
    axis.set_ylabel("TEU sent (line)")
    axis.set_ylim(0, max([*teu, 1.0]) * 1.35)
    months.set_ylim(0, max([*bottom, 1]) * 1.35)
    months.set_title(f"{report.year}: {report.trains:,} trains, {report.teu:,.0f} TEU sent")
    months.legend(fontsize=7, loc="upper left", ncols=2)
    names = list(report.sent)
    trains = [report.sent[name].trains for name in names]
    rows = range(len(names))[::-1]
    shares.barh(list(rows), trains, color=[f"C{i}" for i in range(len(names))])
    shares.set_yticks(list(rows), [name.replace(" (", "\n(") for name in names], fontsize=7)
    for row, count in zip(rows, trains, strict=True):
        shares.text(count, row, f" {count / max(report.trains, 1):.0%}", va="center", fontsize=8)
    shares.set_xlim(0, max([*trains, 1]) * 1.25)
    shares.set_xlabel("trains sent")
    shares.set_title("share of trains by service")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
