"""The river side of a day's traffic: the barge at the Luohuang river port, the export
boxes it brings and the river boxes it takes (see ``traffic.py`` for the day)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.domain.container import Container
from hubport.domain.places import VesselCell
from hubport.domain.river import VesselCall

#: The day's barge lies at the river port from 06:30 to 23:30 (hours after the day's start).
BARGE_WINDOW_H = (0.5, 17.5)
#: The share of export boxes that come by barge instead of by truck.
BARGE_EXPORT_SHARE = 0.15


@dataclass(frozen=True)
class RiverBox:
    """A box the day's barge brings (``container``: discharged at ``due_s``) or takes
    (taken from the yard by shuttle at ``due_s``)."""

    number: str
    due_s: float
    forty: bool
    container: Container | None = None


@dataclass(frozen=True)
class BargeCall:
    """The day's barge at the river port: its call, its bay plan of boxes for the hub
    (with their cells) and the river boxes it takes away."""

    call: VesselCall
    brings: tuple[tuple[RiverBox, VesselCell], ...]
    takes: tuple[RiverBox, ...]


def barge_id(start: datetime) -> str:
    """The id of the barge call of the day that starts at ``start`` (hub time)."""
    return f"BARGE{start:%m%d}"


def by_barge(number: str, share: float = BARGE_EXPORT_SHARE) -> bool:
    """Whether an export box comes by barge: a seeded draw of its number."""
    return random.Random(f"hubport-barge-{number}").random() < share


def barge(start: datetime, brought: list[RiverBox], taken: list[RiverBox]) -> BargeCall:
    call = VesselCall(
        barge_id(start),
        "Minsheng Feeder",
        "barge",
        f"V{start:%y%m%d}",
        "LH1",
        start + timedelta(hours=BARGE_WINDOW_H[0]),
        start + timedelta(hours=BARGE_WINDOW_H[1]),
        length_m=85.0,
        operator="Minsheng Shipping",
        origin="CNSHA",
        destination="CNSHA",
    )
    cells = {forty: _hold_cells(call.id, forty) for forty in (False, True)}
    brings = tuple((box, next(cells[box.forty])) for box in sorted(brought, key=lambda b: b.due_s))
    return BargeCall(call, brings, tuple(sorted(taken, key=lambda b: (b.due_s, b.number))))


def _hold_cells(call_id: str, forty: bool) -> Iterator[VesselCell]:
    """Cells in the barge's hold (tiers 02, 04) for the boxes it brings: 20' boxes in odd
    bays 01-15, 40' in even bays 18-38, four rows."""
    for tier in (2, 4):
        for bay in range(18, 39, 4) if forty else range(1, 16, 2):
            for row in (1, 2, 3, 4):
                yield VesselCell(call_id, bay, row, tier)


__all__ = [
    "BARGE_EXPORT_SHARE",
    "BARGE_WINDOW_H",
    "BargeCall",
    "RiverBox",
    "barge",
    "barge_id",
    "by_barge",
]
