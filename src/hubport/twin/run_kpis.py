"""The KPIs of a twin run (days to a year), from what the run recorded: crane moves,
train visits, truck turns, customs releases and the hourly samples of yard and gate.

Pure: the run's driver fills a ``RunLog``; ``kpis`` turns it into figures, each named in
docs/twin.md with its formula.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Move:
    """One crane move: its crane, why, when it started (hub seconds since the run's
    start), how long it took, and the train it served."""

    crane: str
    reason: str
    start_s: float
    seconds: float
    train: str | None = None


@dataclass(frozen=True)
class TrainLog:
    """A train's visit: when it was due on its track, when it got there, when it was due
    to leave and when it left (hub seconds since the run's start)."""

    train: str
    direction: str
    scheduled_s: float
    arrived_s: float
    due_s: float
    departed_s: float
    teu: float


@dataclass(frozen=True)
class Sample:
    """The hub at a sampled hour: yard TEU and share of its slots, trucks inside the gate."""

    hour: float
    yard_teu: float
    yard_share: float
    trucks_inside: int


@dataclass(frozen=True)
class Timed:
    """Something that took time: when it began (hub seconds since the run's start) and how
    long it took (seconds)."""

    start_s: float
    seconds: float


@dataclass
class RunLog:
    cranes: int
    tracks: int
    hours: float
    #: The gate's capacity: trucks its appointment windows take an hour (0: unknown).
    gate_trucks_per_hour: float = 0.0
    moves: list[Move] = field(default_factory=list)
    trains: list[TrainLog] = field(default_factory=list)
    #: Each truck's visit: from the in-gate to the out-gate.
    truck_turns: list[Timed] = field(default_factory=list)
    #: When each truck turned away was sent off (hub seconds since the run's start).
    turned_away_s: list[float] = field(default_factory=list)
    #: Each customs declaration: from its train's arrival to its release.
    releases: list[Timed] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    #: Each log-futures delivery the platform recorded: the start of the day it was
    #: matched (hub seconds since the run's start) and its state at the end.
    futures: list[tuple[float, str]] = field(default_factory=list)
    #: Hub seconds from the run's start before the measured period (``after``).
    warmup_s: float = 0.0

    @property
    def truck_turns_s(self) -> list[float]:
        return [turn.seconds for turn in self.truck_turns]

    @property
    def deliveries(self) -> dict[str, int]:
        """The log-futures deliveries by state."""
        return dict(sorted(Counter(state for _at, state in self.futures).items()))

    def after(self, warmup_s: float) -> RunLog:
        """The log of the measured period: what began ``warmup_s`` or more after the run's
        start, over the hours left (``during``). The warm-up lets the yard fill from
        empty before the KPIs count: the first days of a run from an empty yard are
        lighter than the hub's steady state."""
        return self.during(warmup_s, math.inf)

    def during(self, start_s: float, end_s: float) -> RunLog:
        """What began from ``start_s`` to before ``end_s`` (hub seconds since the run's
        start): train visits by their arrival, each with all its crane moves; the other
        moves, truck visits, releases, samples and deliveries by when they began; over the
        period's hours (to the run's end where the period has no end). A run whose world
        was done before ``end_s`` still had the hub for those hours: a part of a long run
        measures its whole days, as the long run would."""

        def inside(at: float) -> bool:
            return start_s <= at < end_s

        trains = [train for train in self.trains if inside(train.arrived_s)]
        kept = {train.train for train in trains}
        known = {train.train for train in self.trains}
        return RunLog(
            cranes=self.cranes,
            tracks=self.tracks,
            hours=max(0.0, (end_s if end_s < math.inf else self.hours * 3600) - start_s) / 3600,
            gate_trucks_per_hour=self.gate_trucks_per_hour,
            moves=[
                move
                for move in self.moves
                if (move.train in kept if move.train in known else inside(move.start_s))
            ],
            trains=trains,
            truck_turns=[turn for turn in self.truck_turns if inside(turn.start_s)],
            turned_away_s=[at for at in self.turned_away_s if inside(at)],
            releases=[release for release in self.releases if inside(release.start_s)],
            samples=[sample for sample in self.samples if inside(sample.hour * 3600)],
            futures=[(at, state) for at, state in self.futures if inside(at)],
            warmup_s=start_s,
        )

    def shifted(self, by_s: float) -> RunLog:
        """The same log, its times counted from ``by_s`` hub seconds earlier (a part of a
        longer run, on the whole run's clock)."""
        return RunLog(
            cranes=self.cranes,
            tracks=self.tracks,
            hours=self.hours,
            gate_trucks_per_hour=self.gate_trucks_per_hour,
            moves=[dataclasses.replace(m, start_s=m.start_s + by_s) for m in self.moves],
            trains=[
                dataclasses.replace(
                    t,
                    scheduled_s=t.scheduled_s + by_s,
                    arrived_s=t.arrived_s + by_s,
                    due_s=t.due_s + by_s,
                    departed_s=t.departed_s + by_s if t.departed_s >= 0 else t.departed_s,
                )
                for t in self.trains
            ],
            truck_turns=[Timed(t.start_s + by_s, t.seconds) for t in self.truck_turns],
            turned_away_s=[at + by_s for at in self.turned_away_s],
            releases=[Timed(r.start_s + by_s, r.seconds) for r in self.releases],
            samples=[dataclasses.replace(s, hour=s.hour + by_s / 3600) for s in self.samples],
            futures=[(at + by_s, state) for at, state in self.futures],
            warmup_s=self.warmup_s + by_s,
        )


def joined(parts: Sequence[RunLog]) -> RunLog:
    """One log of consecutive parts of a run, each on the whole run's clock and cut to
    the period it measures (``during``, then ``shifted``): their records together, over
    their hours together; the warm-up is the first part's."""
    if not parts:
        raise ValueError("no parts to join")
    first = parts[0]
    return RunLog(
        cranes=first.cranes,
        tracks=first.tracks,
        hours=sum(part.hours for part in parts),
        gate_trucks_per_hour=first.gate_trucks_per_hour,
        moves=[move for part in parts for move in part.moves],
        trains=[train for part in parts for train in part.trains],
        truck_turns=[turn for part in parts for turn in part.truck_turns],
        turned_away_s=[at for part in parts for at in part.turned_away_s],
        releases=[release for part in parts for release in part.releases],
        samples=[sample for part in parts for sample in part.samples],
        futures=[delivery for part in parts for delivery in part.futures],
        warmup_s=first.warmup_s,
    )


#: A train is on time when its crane work is done by its due time and it left within
#: this much of it (hub seconds).
ON_TIME_GRACE_S = 300.0


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def handling_s(moves: Sequence[Move]) -> dict[str, tuple[float, float]]:
    """Each train's first move start and last move end."""
    spans: dict[str, tuple[float, float]] = {}
    for move in moves:
        if move.train is None:
            continue
        first, last = spans.get(move.train, (math.inf, -math.inf))
        spans[move.train] = (min(first, move.start_s), max(last, move.start_s + move.seconds))
    return spans


def kpis(log: RunLog) -> dict[str, float]:
    """The run's KPIs (docs/twin.md gives each formula)."""
    spans = handling_s(log.moves)
    handled = [t for t in log.trains if t.departed_s >= 0]
    handling_h = [
        (spans[t.train][1] - spans[t.train][0]) / 3600 for t in handled if t.train in spans
    ]
    on_time = [
        t
        for t in handled
        if t.departed_s <= t.due_s + ON_TIME_GRACE_S
        and (t.train not in spans or spans[t.train][1] <= t.due_s)
    ]
    crane_hours = log.cranes * log.hours
    busy_h = sum(move.seconds for move in log.moves) / 3600
    reasons: dict[str, int] = {}
    for move in log.moves:
        reasons[move.reason] = reasons.get(move.reason, 0) + 1
    retrievals = reasons.get("load", 0) + reasons.get("delivery", 0)
    turns_min = [turn.seconds / 60 for turn in log.truck_turns]
    release_h = [release.seconds / 3600 for release in log.releases]
    track_h = sum(t.departed_s - t.arrived_s for t in handled) / 3600
    gate_trucks = log.gate_trucks_per_hour * log.hours
    waits_h = [max(0.0, t.arrived_s - t.scheduled_s) / 3600 for t in handled]
    return {
        "trains_handled": float(len(handled)),
        "trains_on_time_share": len(on_time) / len(handled) if handled else 0.0,
        "teu_out": sum(t.teu for t in handled if t.direction == "outbound"),
        "teu_in": sum(t.teu for t in handled if t.direction == "inbound"),
        "crane_moves": float(len(log.moves)),
        "moves_per_crane_hour": len(log.moves) / crane_hours if crane_hours else 0.0,
        "crane_utilisation": busy_h / crane_hours if crane_hours else 0.0,
        "relocations_per_retrieval": (
            reasons.get("relocation", 0) / retrievals if retrievals else 0.0
        ),
        "train_dwell_h_mean": _mean([(t.departed_s - t.arrived_s) / 3600 for t in handled]),
        "train_handling_h_mean": _mean(handling_h),
        "train_handling_h_p95": percentile(handling_h, 0.95),
        "train_track_wait_h_mean": _mean(waits_h),
        "track_utilisation": track_h / (log.tracks * log.hours)
        if log.tracks and log.hours
        else 0.0,
        "truck_visits": float(len(turns_min)),
        "trucks_turned_away": float(len(log.turned_away_s)),
        "truck_turn_min_mean": _mean(turns_min),
        "truck_turn_min_p95": percentile(turns_min, 0.95),
        "gate_utilisation": len(turns_min) / gate_trucks if gate_trucks else 0.0,
        "gate_queue_mean": _mean([float(s.trucks_inside) for s in log.samples]),
        "gate_queue_max": float(max((s.trucks_inside for s in log.samples), default=0)),
        "yard_occupancy_mean": _mean([s.yard_share for s in log.samples]),
        "yard_occupancy_max": max((s.yard_share for s in log.samples), default=0.0),
        "customs_release_h_mean": _mean(release_h),
        "customs_release_h_p95": percentile(release_h, 0.95),
    }


def totals(log: RunLog) -> dict[str, float]:
    """A run's totals: the corridor trains sent, their TEU and the TEU received, crane
    moves and truck visits."""
    return {
        "corridor_trains": sum(1 for t in log.trains if t.direction == "outbound"),
        "teu": _teu(log, "outbound"),
        "teu_in": _teu(log, "inbound"),
        "crane_moves": len(log.moves),
        "truck_visits": len(log.truck_turns_s),
    }


def by_month(log: RunLog, first: datetime) -> dict[str, dict[str, float]]:
    """The corridor trains sent and their TEU by the month (``YYYY-MM``, in the run's
    time zone) they reached the hub in; the run starts at ``first``."""
    months: dict[str, dict[str, float]] = {}
    for train in log.trains:
        if train.direction != "outbound":
            continue
        month = f"{first + timedelta(seconds=train.arrived_s):%Y-%m}"
        figures = months.setdefault(month, {"corridor_trains": 0, "teu": 0.0})
        figures["corridor_trains"] += 1
        figures["teu"] += train.teu if train.departed_s >= 0 else 0.0
    return dict(sorted(months.items()))


def _teu(log: RunLog, direction: str) -> float:
    """TEU of the trains that went ``direction`` and left within the run."""
    return sum(t.teu for t in log.trains if t.direction == direction and t.departed_s >= 0)


#: The resources a sweep ranks as bottlenecks: (name, utilisation KPI, waiting KPI).
RESOURCES = (
    ("cranes", "crane_utilisation", "train_handling_h_mean"),
    ("tracks", "track_utilisation", "train_track_wait_h_mean"),
    ("gate", "gate_utilisation", "truck_turn_min_mean"),
    ("yard", "yard_occupancy_max", "relocations_per_retrieval"),
)


__all__ = [
    "RESOURCES",
    "Move",
    "RunLog",
    "Sample",
    "Timed",
    "TrainLog",
    "by_month",
    "handling_s",
    "joined",
    "kpis",
    "percentile",
    "totals",
]
