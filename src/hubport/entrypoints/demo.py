"""What ``hubport demo`` shares between its days: the first day, a day's summary line, the
table and plot of several days (``demo_world.py`` plays them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from hubport.domain.hub_time import HUB_TIME
from hubport.twin.kpi import DayKpis
from hubport.twin.plots import plot_days

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


__all__ = ["FIRST_DAY", "DaySummary", "days_table", "report_days"]
