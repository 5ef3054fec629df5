"""KPIs of a simulated day: compute here, render in the entry points."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from hubport.twin.day_log import DayLog


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
    trains: tuple[TrainKpis, ...] = ()
    #: Shuttle trips between the station and the river port, and their mean (first
    #: crane move to the last).
    shuttle_trips: int = 0
    shuttle_trip_mean_min: float = 0.0

    @property
    def relocations_per_retrieval(self) -> float:
        return self.relocations / self.retrievals if self.retrievals else 0.0


@dataclass(frozen=True)
class TrainKpis:
    """A train's visit: how long it stood, how long its crane work took, how full it left."""

    train: str
    dwell_hours: float
    #: From its first crane move to its last.
    handling_hours: float
    moves: int
    #: TEU loaded, and the share of the wagons' payload its boxes use (outbound trains).
    teu: int | None = None
    mass_share: float | None = None
    plan_status: str | None = None
    left_behind: int = 0

    @property
    def moves_per_train_hour(self) -> float:
        return self.moves / self.handling_hours if self.handling_hours else 0.0


def train_kpis(log: DayLog) -> tuple[TrainKpis, ...]:
    """Each train of the day, from its crane moves and its load plan."""
    found = []
    for train, dwell in log.train_dwell_s.items():
        moves = [m for m in log.moves if m.train == train]
        first = min((m.start_s for m in moves), default=0.0)
        last = max((m.start_s + m.seconds for m in moves), default=0.0)
        plan = log.load_plans.get(train)
        mass_share = None
        if plan is not None and plan.get("payload_kg"):
            mass_share = plan["boxes_kg"] / plan["payload_kg"]
        found.append(
            TrainKpis(
                train,
                dwell / 3600,
                (last - first) / 3600,
                len(moves),
                teu=plan["loaded_teu"] if plan else None,
                mass_share=mass_share,
                plan_status=plan["status"] if plan else None,
                left_behind=len(plan["left_behind"]) if plan else 0,
            )
        )
    return tuple(found)


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
        trains=train_kpis(log),
        shuttle_trips=len(log.shuttle_trips_s),
        shuttle_trip_mean_min=(
            statistics.fmean(log.shuttle_trips_s) / 60 if log.shuttle_trips_s else 0.0
        ),
    )
