"""The read side of the dashboards: one hub day's KPIs (crane moves per crane-hour,
train dwell, truck turn times, the yard's occupancy), crane moves by reason, and the
corridor's trains and TEU by month. Part of the one query module: ``Queries`` takes
these questions on."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from hubport.adapters import tables, train_runs
from hubport.corridor.statistics import CorridorReport, TrainRun, corridor_report
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.site import Site
from hubport.services.queries_console import day_window, hub_time

#: Truck turn times are binned by this many minutes for the dashboard's histogram.
TURN_BIN_MIN = 10


class KpiQueries:
    """The dashboards' questions; the store connection comes from ``_reading``."""

    site: Site

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def crane_moves_by_reason(self, first: datetime, last: datetime) -> dict[str, int]:
        """The crane moves done in [first, last), counted by why they were made (discharge,
        load, delivery, relocation, ...)."""
        jobs = tables.crane_jobs
        with self._reading() as connection:
            rows = connection.execute(
                select(jobs.c.reason, func.count())
                .where(
                    jobs.c.state == "done",
                    jobs.c.updated_at >= first.astimezone(UTC),
                    jobs.c.updated_at < last.astimezone(UTC),
                )
                .group_by(jobs.c.reason)
            ).all()
        return {str(reason): int(count) for reason, count in rows}

    def kpis(self, day: date) -> dict[str, Any]:
        """One hub day's KPIs: crane moves per crane-hour, train dwell, truck turn time,
        and the yard's occupancy now."""
        start, end = day_window(day)
        jobs, trains, trucks = tables.crane_jobs, tables.trains, tables.trucks
        with self._reading() as connection:
            moves = connection.execute(
                select(jobs.c.crane, jobs.c.updated_at).where(
                    jobs.c.state == "done",
                    jobs.c.updated_at >= start.astimezone(UTC),
                    jobs.c.updated_at < end.astimezone(UTC),
                )
            ).all()
            dwell = connection.execute(
                select(trains.c.id, trains.c.arrived_at, trains.c.departed_at).where(
                    trains.c.departed_at >= start, trains.c.departed_at < end
                )
            ).all()
            turns = connection.execute(
                select(trucks.c.arrived_at, trucks.c.departed_at).where(
                    trucks.c.departed_at >= start,
                    trucks.c.departed_at < end,
                    trucks.c.shuttle.is_(False),
                )
            ).all()
            heights = dict(
                connection.execute(
                    select(
                        tables.yard_stacks.c.block, func.sum(tables.yard_stacks.c.height)
                    ).group_by(tables.yard_stacks.c.block)
                ).all()
            )
        return {
            "day": day.isoformat(),
            "cranes": _crane_rates(self.site.cranes, moves),
            "trains": _dwell(dwell),
            "trucks": _turns(turns),
            "occupancy": [
                {
                    "block": block.id,
                    "teu": int(heights.get(block.id) or 0),
                    "capacity_teu": block.capacity_teu,
                    "share": int(heights.get(block.id) or 0) / block.capacity_teu,
                }
                for block in self.site.blocks.values()
            ],
        }

    def corridor_report(self, year: int) -> CorridorReport:
        """Trains and TEU per service and month of ``year`` (and the year before's totals)."""
        first = datetime(year - 1, 1, 1, tzinfo=HUB_TIME)
        last = datetime(year + 1, 1, 1, tzinfo=HUB_TIME)
        with self._reading() as connection:
            rows = train_runs.runs_between(connection, first, last)
        return corridor_report([_run(row) for row in rows], year)


def _crane_rates(cranes: Iterable[str], moves: Sequence[Any]) -> dict[str, Any]:
    """Moves per crane and per crane-hour over the span of the day's work."""
    times = [hub_time(m.updated_at, naive=UTC) for m in moves]
    known = [t for t in times if t is not None]
    span_h = (max(known) - min(known)).total_seconds() / 3600 if len(known) > 1 else 0.0
    per_crane = Counter(m.crane for m in moves)
    names = sorted(cranes)
    return {
        "moves": len(moves),
        "span_hours": round(span_h, 2),
        "moves_per_crane_hour": round(len(moves) / (len(names) * span_h), 2) if span_h else 0.0,
        "by_crane": [
            {
                "crane": name,
                "moves": per_crane.get(name, 0),
                "per_hour": round(per_crane.get(name, 0) / span_h, 2) if span_h else 0.0,
            }
            for name in names
        ],
    }


def _dwell(rows: Sequence[Any]) -> list[dict[str, Any]]:
    found = []
    for row in rows:
        arrived, departed = hub_time(row.arrived_at), hub_time(row.departed_at)
        if arrived is None or departed is None:
            continue
        hours = (departed - arrived).total_seconds() / 3600
        found.append({"train": row.id, "dwell_hours": round(hours, 2)})
    return sorted(found, key=lambda item: item["train"])


def _turns(rows: Sequence[Any]) -> dict[str, Any]:
    minutes = []
    for row in rows:
        arrived, departed = hub_time(row.arrived_at), hub_time(row.departed_at)
        if arrived is not None and departed is not None:
            minutes.append((departed - arrived).total_seconds() / 60)
    if not minutes:
        return {"visits": 0, "mean_min": None, "p90_min": None, "histogram": []}
    bins = Counter(int(m // TURN_BIN_MIN) for m in minutes)
    ranked = sorted(minutes)
    return {
        "visits": len(minutes),
        "mean_min": round(statistics.fmean(minutes), 1),
        "p90_min": round(ranked[max(0, math.ceil(0.9 * len(ranked)) - 1)], 1),
        "histogram": [
            {"from_min": b * TURN_BIN_MIN, "visits": bins.get(b, 0)} for b in range(max(bins) + 1)
        ],
    }


def _run(row: dict[str, Any]) -> TrainRun:
    return TrainRun(
        row["id"],
        row["service"],
        row["direction"],
        hub_time(row["arrived_at"]),
        hub_time(row["departed_at"]),
        row["boxes_in"],
        row["teu_in"],
        row["boxes_out"],
        row["teu_out"],
    )


__all__ = ["TURN_BIN_MIN", "KpiQueries"]
