"""A track kept from trains for a window: another use of the hub's tracks (a log-futures
delivery measuring and handing over on its wagons) that the railway's trains must not
meet. A train may not take a reserved track for any part of its stay."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.domain.errors import VisitError
from hubport.domain.hub_time import HUB_TIME

#: A train whose departure is not known is taken to stay this long.
UNKNOWN_STAY = timedelta(hours=12)


@dataclass(frozen=True)
class TrackReservation:
    track: str
    start: datetime
    end: datetime
    holder: str


def check_train_may_take(
    train_id: str,
    track: str,
    arrives: datetime,
    departs: datetime | None,
    reservations: Iterable[TrackReservation],
) -> None:
    """Raise VisitError naming the reservation a train's stay on ``track`` would meet."""
    leaves = departs if departs is not None and departs > arrives else arrives + UNKNOWN_STAY
    for held in reservations:
        if held.track == track and held.start < leaves and arrives < held.end:
            raise VisitError(
                f"train {train_id} cannot take track {track}: it is reserved for {held.holder} "
                f"from {held.start.astimezone(HUB_TIME):%Y-%m-%d %H:%M} to "
                f"{held.end.astimezone(HUB_TIME):%H:%M}; send it to another track"
            )


__all__ = ["UNKNOWN_STAY", "TrackReservation", "check_train_may_take"]
