"""Where a crane's spreader picks and places a job's box: along the rail, across the span,
and at what height (the orders' points, and the dispatcher's view of each job)."""

from __future__ import annotations

from collections.abc import Callable

from hubport.cranes.jobs import OpenJob
from hubport.domain.crane_motion import Point
from hubport.domain.errors import HubportError
from hubport.domain.places import Place, TruckSlot, WagonSlot, YardSlot
from hubport.domain.site import TIER_HEIGHT_M, TRUCK_BED_M, WAGON_DECK_M, Site
from hubport.planning import cranes as crane_rules

TrackOf = Callable[[str], str | None]


def spreader_point(
    site: Site, place: Place, track_of: TrackOf, along: float | None = None
) -> Point:
    """Where the spreader stands to pick a box at, or set one on, ``place``; a truck
    stops in the lane where it is served (``along``)."""
    if isinstance(place, YardSlot):
        block = site.block(place.block)
        return Point(site.slot_x(place), block.across_of(place.row), place.tier * TIER_HEIGHT_M)
    if isinstance(place, WagonSlot):
        track = track_of(place.train)
        x = crane_rules.place_x(site, place, track_of)
        across = site.tracks[track].across_m if track is not None else 3.0
        return Point(x or 0.0, across, WAGON_DECK_M + TIER_HEIGHT_M)
    if isinstance(place, TruckSlot):
        lane = next(iter(site.lanes.values()))
        x = along if along is not None else lane.rail_start_m
        return Point(x, lane.across_m, TRUCK_BED_M + TIER_HEIGHT_M)
    raise HubportError(f"no crane job picks or places at {place}")


def job_points(
    site: Site, job: OpenJob, track_of: TrackOf, truck_queue_x: Callable[[], float]
) -> tuple[Point, Point]:
    """Pick and place points of a job (as crane control keeps it). A truck is served where
    the box comes from or goes to; a box for the yard from a truck, where its storage zone
    is, else under its crane, else where ``truck_queue_x`` sends trucks; a destination still
    to choose is taken as above the pick (or its storage zone)."""
    origin, target, zone = job.origin, job.destination, job.zone_x
    if isinstance(origin, TruckSlot):
        if target is not None:
            place = spreader_point(site, target, track_of)
            return spreader_point(site, origin, track_of, place.along_m), place
        home = site.crane(job.crane).home_m if job.crane else None
        at = zone if zone is not None else home if home is not None else truck_queue_x()
        pick = spreader_point(site, origin, track_of, at)
        return pick, Point(pick.along_m, pick.across_m, TIER_HEIGHT_M * 2)
    pick = spreader_point(site, origin, track_of)
    if target is None:
        along = zone if zone is not None else pick.along_m
        return pick, Point(along, pick.across_m, TIER_HEIGHT_M * 2)
    return pick, spreader_point(site, target, track_of, pick.along_m)


__all__ = ["job_points", "spreader_point"]
