"""Booking a loading spot and a time window at the delivery site, against its daily
capacity, the other deliveries' bookings, and the hub's trains on a shared track.

A booking is refused with its reason when it would:
- fall outside the site's working hours or span two days;
- name a spot the site does not have, or more wagons than the spot holds;
- carry a wagon load beyond its type's volume;
- bring the day's booked volume over the site's daily capacity;
- overlap another delivery's booking on the same spot;
- overlap a train's stay on a shared track (the runtime's train work has the track).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.errors import SlotRefused
from hubport.futures.domain.site import DeliverySite


@dataclass(frozen=True)
class WagonLoad:
    """One wagon (or truck, or container) of logs expected at the spot."""

    wagon_type: str
    volume_m3: Decimal


@dataclass(frozen=True)
class SlotRequest:
    delivery: str
    track: str
    spot: str
    start: datetime
    end: datetime
    loads: tuple[WagonLoad, ...]

    @property
    def volume_m3(self) -> Decimal:
        return sum((load.volume_m3 for load in self.loads), Decimal(0))


@dataclass(frozen=True)
class BookedSlot:
    """Another delivery's booking, as the store keeps it."""

    delivery: str
    track: str
    spot: str
    start: datetime
    end: datetime
    volume_m3: Decimal


@dataclass(frozen=True)
class TrackUse:
    """A train's stay on a track: from its arrival to its departure."""

    train: str
    track: str
    start: datetime
    end: datetime


def check_slot(
    site: DeliverySite,
    request: SlotRequest,
    booked: Iterable[BookedSlot],
    trains: Iterable[TrackUse],
) -> None:
    """Raise ``SlotRefused`` naming the first reason ``request`` cannot be booked."""
    start, end = request.start.astimezone(HUB_TIME), request.end.astimezone(HUB_TIME)
    if end <= start:
        raise SlotRefused(f"slot {start:%H:%M}–{end:%H:%M} is empty or reversed")
    if start.date() != end.date() or start.time() < site.opens or end.time() > site.closes:
        raise SlotRefused(
            f"slot {start:%Y-%m-%d %H:%M}–{end:%H:%M} is outside the site's working hours "
            f"{site.opens:%H:%M}–{site.closes:%H:%M} of one day"
        )
    spot = site.spot(request.track, request.spot)
    if not request.loads:
        raise SlotRefused("a slot names the wagon loads it expects")
    if len(request.loads) > spot.wagons:
        raise SlotRefused(
            f"{len(request.loads)} wagons do not fit spot {spot.key} ({spot.wagons} places)"
        )
    for index, load in enumerate(request.loads, start=1):
        kind = site.wagon_type(load.wagon_type)
        if not 0 < load.volume_m3 <= kind.max_volume_m3:
            raise SlotRefused(
                f"wagon {index} ({kind.code}): {load.volume_m3} m³ is beyond its limit of "
                f"{kind.max_volume_m3} m³"
            )
    others = [b for b in booked if b.delivery != request.delivery]
    day = start.date()
    that_day = sum(
        (b.volume_m3 for b in others if b.start.astimezone(HUB_TIME).date() == day), Decimal(0)
    )
    if that_day + request.volume_m3 > site.daily_capacity_m3:
        raise SlotRefused(
            f"{day}: {that_day} m³ booked and {request.volume_m3} m³ asked exceed the site's "
            f"daily capacity of {site.daily_capacity_m3} m³"
        )
    for other in others:
        if (other.track, other.spot) == (request.track, request.spot) and _overlap(
            start, end, other.start, other.end
        ):
            taken_from, taken_to = other.start.astimezone(HUB_TIME), other.end.astimezone(HUB_TIME)
            raise SlotRefused(
                f"spot {spot.key} is booked by delivery {other.delivery} from "
                f"{taken_from:%H:%M} to {taken_to:%H:%M}"
            )
    if request.track in site.shared_tracks:
        for use in trains:
            if use.track == request.track and _overlap(start, end, use.start, use.end):
                raise SlotRefused(
                    f"track {request.track} has train {use.train} from "
                    f"{use.start.astimezone(HUB_TIME):%Y-%m-%d %H:%M} to "
                    f"{use.end.astimezone(HUB_TIME):%H:%M}: the train's work has the track"
                )


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


__all__ = ["BookedSlot", "SlotRequest", "TrackUse", "WagonLoad", "check_slot"]
