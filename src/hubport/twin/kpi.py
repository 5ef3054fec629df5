"""KPIs of a simulated day: compute here, render in the entry points."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from hubport.twin.day import DayLog


@dataclass(frozen=True)
class DayKpis:
    """The figures a terminal manager reads after a shift."""

    moves: int
    moves_by_reason: dict[str, int]
    relocations: int
    retrievals: int
    cranes: int
    span_hours: float
    moves_per_crane_hour: float
    crane_busy_share: float
    train_dwell_hours: dict[str, float]
    truck_visits: int
    truck_turn_mean_min: float
    truck_turn_max_min: float

    @property
    def relocations_per_retrieval(self) -> float:
        return self.relocations / self.retrievals if self.retrievals else 0.0


def day_kpis(log: DayLog, cranes: int) -> DayKpis:
    """Figures of ``log``; crane-hours count every crane over the span of the day's moves."""
    by_reason: dict[str, int] = {}
    for move in log.moves:
        by_reason[move.reason] = by_reason.get(move.reason, 0) + 1
    if log.moves:
        first = min(move.start_s for move in log.moves)
        last = max(move.start_s + move.seconds for move in log.moves)
        span_hours = (last - first) / 3600
    else:
        span_hours = 0.0
    crane_hours = cranes * span_hours
    busy_hours = sum(move.seconds for move in log.moves) / 3600
    turns = [seconds / 60 for seconds in log.truck_turns_s]
    return DayKpis(
        moves=len(log.moves),
        moves_by_reason=dict(sorted(by_reason.items())),
        relocations=by_reason.get("relocation", 0),
        retrievals=by_reason.get("load", 0) + by_reason.get("delivery", 0),
        cranes=cranes,
        span_hours=span_hours,
        moves_per_crane_hour=len(log.moves) / crane_hours if crane_hours else 0.0,
        crane_busy_share=busy_hours / crane_hours if crane_hours else 0.0,
        train_dwell_hours={train: seconds / 3600 for train, seconds in log.train_dwell_s.items()},
        truck_visits=len(turns),
        truck_turn_mean_min=statistics.fmean(turns) if turns else 0.0,
        truck_turn_max_min=max(turns, default=0.0),
    )
