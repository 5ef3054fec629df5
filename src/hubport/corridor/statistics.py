"""Corridor statistics from train runs: trains and TEU per service, month and year.

``CorridorReport`` computes; the CLI renders it as tables and a chart. Trains sent are the
outbound departures (as the site counts its corridor trains); arrivals are reported beside.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TrainRun:
    """One train visit as recorded: when it came and went, and what it carried."""

    id: str
    service: str
    direction: str
    arrived_at: datetime | None
    departed_at: datetime | None
    boxes_in: int
    teu_in: float
    boxes_out: int
    teu_out: float


@dataclass
class ServiceFigures:
    trains: int = 0
    teu: float = 0.0
    boxes: int = 0
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    teu_by_month: list[float] = field(default_factory=lambda: [0.0] * 12)


@dataclass
class CorridorReport:
    """Departures (trains sent) and arrivals of one year, per service and month."""

    year: int
    sent: dict[str, ServiceFigures]
    received: dict[str, ServiceFigures]
    previous_trains: int | None
    previous_teu: float | None

    @property
    def trains(self) -> int:
        return sum(figures.trains for figures in self.sent.values())

    @property
    def teu(self) -> float:
        return sum(figures.teu for figures in self.sent.values())

    def share(self, service: str) -> float:
        return self.sent[service].trains / self.trains if self.trains else 0.0

    def growth(self) -> tuple[float | None, float | None]:
        """Year-on-year growth of trains and TEU sent, when the year before is on record."""
        trains = None if not self.previous_trains else self.trains / self.previous_trains - 1
        teu = None if not self.previous_teu else self.teu / self.previous_teu - 1
        return trains, teu


def corridor_report(runs: list[TrainRun], year: int) -> CorridorReport:
    """The report of ``year`` from every run on record (the year before gives the growth)."""
    sent: dict[str, ServiceFigures] = defaultdict(ServiceFigures)
    received: dict[str, ServiceFigures] = defaultdict(ServiceFigures)
    previous_trains, previous_teu = 0, 0.0
    for run in runs:
        if run.direction == "outbound" and run.departed_at is not None:
            if run.departed_at.year == year:
                _add(sent[run.service], run.departed_at, run.teu_out, run.boxes_out)
            elif run.departed_at.year == year - 1:
                previous_trains += 1
                previous_teu += run.teu_out
        if (
            run.direction == "inbound"
            and run.arrived_at is not None
            and run.arrived_at.year == year
        ):
            _add(received[run.service], run.arrived_at, run.teu_in, run.boxes_in)
    return CorridorReport(
        year,
        dict(sorted(sent.items(), key=lambda item: -item[1].trains)),
        dict(sorted(received.items(), key=lambda item: -item[1].trains)),
        previous_trains or None,
        previous_teu or None,
    )


def _add(figures: ServiceFigures, moment: datetime, teu: float, boxes: int) -> None:
    figures.trains += 1
    figures.teu += teu
    figures.boxes += boxes
    figures.by_month[moment.month - 1] += 1
    figures.teu_by_month[moment.month - 1] += teu
