"""Which crane works a box, and where each crane can reach along the shared rail.

The one place that knows the cranes' stretches of rail: the move handlers use it to pick
the crane of a set-down or a retrieval, and the simulated day to queue its crane jobs.
Zones do not overlap, so two cranes never need the same stretch (the crane-dispatch
issue replaces fixed zones with dispatch behind these functions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hubport.domain.container import Container
from hubport.domain.errors import InvalidPlace
from hubport.domain.inventory import Inventory
from hubport.domain.places import Place, Spreader, WagonSlot, YardSlot
from hubport.domain.site import Area, Crane, Site

Reach = tuple[float, float]
#: The track a train stands on, by train id (None when it is not on a track).
TrackOf = Callable[[str], str | None]


def reach(crane: Crane) -> Reach:
    """The stretch of rail ``crane`` works, in metres."""
    return (crane.zone_start_m, crane.zone_end_m)


def whole_rail(site: Site) -> Reach:
    """The stretch every crane together reaches."""
    return (
        min(crane.zone_start_m for crane in site.cranes.values()),
        max(crane.zone_end_m for crane in site.cranes.values()),
    )


def rail_reach(site: Site, crane: Crane) -> Reach:
    """Where on the shared rail a crane can work at all: the whole rail, less the room its
    neighbours on either side need (one safety gap each) to park beyond it."""
    along = site.cranes_along_rail
    index = along.index(crane)
    low, high = whole_rail(site)
    gap = site.safety_gap_m
    return (low + gap * index, high - gap * (len(along) - 1 - index))


def cranes_reaching(site: Site, x: float) -> list[Crane]:
    """The cranes whose rail reach covers rail position ``x``."""
    return [c for c in site.cranes_along_rail if _within(rail_reach(site, c), x)]


def one_crane_reaches(site: Site, a: float, b: float) -> bool:
    """Some crane can take a box from ``a`` to ``b`` in one move."""
    return any(_within(rail_reach(site, c), a) for c in cranes_reaching(site, b))


def relay_reach(site: Site, a: float, b: float) -> Reach | None:
    """Where a box on its way from ``a`` to ``b`` may be set down between two moves, when
    no crane reaches both (a crane takes it there from ``a``, another on to ``b``); None
    when no stretch of rail is reached from both ends."""
    froms = [rail_reach(site, c) for c in cranes_reaching(site, a)]
    tos = [rail_reach(site, c) for c in cranes_reaching(site, b)]
    if not froms or not tos:
        return None
    # the reaches of neighbouring cranes overlap, so each union is one stretch
    low = max(min(r[0] for r in froms), min(r[0] for r in tos))
    high = min(max(r[1] for r in froms), max(r[1] for r in tos))
    return (low, high) if low <= high else None


def _within(reach: Reach, x: float) -> bool:
    return reach[0] <= x <= reach[1]


def crane_at(site: Site, x: float) -> Crane:
    """The crane whose stretch covers rail position ``x``."""
    for crane in site.cranes.values():
        if crane.covers(x):
            return crane
    raise InvalidPlace(f"no crane works rail position {x:.1f} m")


def place_x(site: Site, place: Place, track_of: TrackOf) -> float | None:
    """Where along the rail a place lies, when the site says (trucks stand anywhere)."""
    if isinstance(place, YardSlot):
        return site.slot_x(place)
    if isinstance(place, WagonSlot):
        track = track_of(place.train)
        return site.tracks[track].x_of(place.wagon) if track is not None else None
    if isinstance(place, Spreader):
        crane = site.crane(place.crane)
        return (crane.zone_start_m + crane.zone_end_m) / 2
    return None


def x_in(inventory: Inventory, place: Place) -> float | None:
    """Where along the rail ``place`` lies, reading only the train it names."""

    def track_of(train_id: str) -> str | None:
        train = inventory.find_train(train_id)
        return train.track if train is not None else None

    return place_x(inventory.site, place, track_of)


def travel_seconds(crane: Crane, from_x: float | None, to_x: float | None) -> float:
    """Gantry time between two rail positions (none when either is off the rail)."""
    if from_x is None or to_x is None:
        return 0.0
    return abs(to_x - from_x) / crane.gantry_speed_mps


def lift_seconds(crane: Crane, crane_x: float, box_x: float | None) -> float:
    """From the job's start to the box locked and lifted: travel, then half a cycle."""
    return travel_seconds(crane, crane_x, box_x) + crane.cycle_seconds / 2


def set_down_seconds(crane: Crane, from_x: float | None, to_x: float | None) -> float:
    """From the lift to the box landed and unlocked: travel, then the other half cycle."""
    return travel_seconds(crane, from_x, to_x) + crane.cycle_seconds / 2


def storage_x(site: Site, container: Container, near: float | None = None) -> float | None:
    """Where a box must be stored when only some of the yard can take it: reefers by their
    plugs, dangerous goods in their zone, the nearest such area to ``near``; None when any
    slot will do."""
    areas: tuple[Area, ...] = ()
    if container.needs_power:
        areas = site.reefer_areas
    elif container.is_dangerous:
        areas = site.dangerous_goods_areas
    if not areas:
        return None
    spots = [site.block(area.block).x_of(area.first_bay) for area in areas]
    if near is None:
        return spots[0]
    return min(spots, key=lambda x: abs(x - near))


def crane_for_receipt(
    site: Site, container: Container, origin_x: float | None, queued: Mapping[str, int]
) -> Crane:
    """The crane that takes a box into the yard: the one by the box's special zone, else
    the one over where it stands, else (a truck in the lane) the one with least work."""
    x = storage_x(site, container)
    if x is None:
        x = origin_x
    if x is not None:
        return crane_at(site, x)
    return min(site.cranes.values(), key=lambda crane: (queued.get(crane.id, 0), crane.id))


__all__ = [
    "Reach",
    "crane_at",
    "crane_for_receipt",
    "cranes_reaching",
    "lift_seconds",
    "one_crane_reaches",
    "place_x",
    "rail_reach",
    "reach",
    "relay_reach",
    "set_down_seconds",
    "storage_x",
    "travel_seconds",
    "whole_rail",
    "x_in",
]
