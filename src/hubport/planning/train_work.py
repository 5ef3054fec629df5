"""The order a train is worked in: its discharge list or its load plan as crane moves.

Each crane works the wagons of its stretch of the rail, in wagon order from the
locomotive, so that no crane zigzags along the train and two cranes never wait for one
wagon. Every move gets a due time: a crane's moves of the train are due one after the
other, evenly over the train's time on its track (and at least a cycle apart, at the
hub's goal of 25 moves per crane-hour), the last when the train must leave. The
dispatcher weighs those due times against the trucks' and the other trains' work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.domain.site import Site
from hubport.planning.cranes import crane_at

#: One crane cycle at the goal of 25 moves per crane-hour.
CYCLE = timedelta(seconds=3600 / 25)
_SPOT_ORDER = {"A": 0, "AB": 0, "B": 1}


@dataclass(frozen=True)
class TrainMove:
    """A box to move off or onto a wagon spot, and where the wagon stands on the rail."""

    number: str
    wagon: int
    spot: str
    x_m: float | None
    #: Boxes of the same work that stand on this one in the yard: they go first.
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sequenced:
    move: TrainMove
    #: The crane whose stretch the wagon stands in, and the move's place in its sequence.
    crane: str | None
    rank: int
    due: datetime


def sequence(
    moves: Iterable[TrainMove], site: Site, start: datetime, latest: datetime | None = None
) -> list[Sequenced]:
    """The moves in working order (by due time, then along the train), each crane's in
    wagon order, due one cycle apart from ``start`` and at the latest by ``latest``."""
    by_crane: dict[str | None, list[TrainMove]] = {}
    for move in moves:
        crane = crane_at(site, move.x_m).id if move.x_m is not None else None
        by_crane.setdefault(crane, []).append(move)
    worked = []
    for crane, group in by_crane.items():
        group.sort(key=lambda m: (m.wagon, _SPOT_ORDER[m.spot], m.number))
        step = CYCLE
        if latest is not None and latest > start:
            step = max(CYCLE, (latest - start) / len(group))
        for rank, move in enumerate(group):
            due = start + step * (rank + 1)
            if latest is not None:
                due = min(due, latest)
            worked.append(Sequenced(move, crane, rank, due))
    return _after_those_above(worked)


def _order(item: Sequenced) -> tuple[datetime, int, int, str]:
    return (item.due, item.move.wagon, _SPOT_ORDER[item.move.spot], item.move.number)


def _after_those_above(worked: list[Sequenced]) -> list[Sequenced]:
    """The moves by due time, a box never before the boxes of the work that stand on it
    (it is due a second after the last of them): none of them is relocated to reach it."""
    by_number = {item.move.number: item for item in worked}
    waiting = {item.move.number: {n for n in item.move.after if n in by_number} for item in worked}
    ordered: list[Sequenced] = []
    placed: dict[str, datetime] = {}
    pending = sorted(worked, key=_order)
    while pending:
        free = next(
            (i for i, item in enumerate(pending) if waiting[item.move.number] <= placed.keys()),
            0,  # a cycle cannot happen in a stack; keep going rather than stall
        )
        item = pending.pop(free)
        above = [placed[n] for n in waiting[item.move.number] if n in placed]
        if above and max(above) >= item.due:
            item = Sequenced(item.move, item.crane, item.rank, max(above) + timedelta(seconds=1))
        placed[item.move.number] = item.due
        ordered.append(item)
    return ordered


__all__ = ["CYCLE", "Sequenced", "TrainMove", "sequence"]
