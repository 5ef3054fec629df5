"""How fast a gantry crane moves: per-axis speed and acceleration, laden and empty.

A crane type is data from the site file, each with the published specification it comes
from. A move's time follows the axes: the gantry and the trolley travel at once, the hoist
lowers, the spreader locks, and so on. Every axis runs a trapezoidal profile (accelerate,
cruise, brake), or a triangular one when the distance is too short to reach full speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Axis:
    """One drive: gantry (along the rail), trolley (across the span) or hoist (up and down)."""

    speed_laden_mps: float
    speed_empty_mps: float
    acceleration_mps2: float

    def seconds(self, distance_m: float, laden: bool) -> float:
        """Time to cover ``distance_m`` from standstill to standstill."""
        distance = abs(distance_m)
        if distance == 0:
            return 0.0
        speed = self.speed_laden_mps if laden else self.speed_empty_mps
        ramp = speed * speed / self.acceleration_mps2  # metres spent speeding up and braking
        if distance >= ramp:
            return distance / speed + speed / self.acceleration_mps2
        return 2.0 * math.sqrt(distance / self.acceleration_mps2)

    def position(self, distance_m: float, laden: bool, elapsed: float) -> float:
        """How far along ``distance_m`` the drive is after ``elapsed`` seconds."""
        distance = abs(distance_m)
        total = self.seconds(distance, laden)
        if elapsed >= total or distance == 0:
            return distance_m
        speed = self.speed_laden_mps if laden else self.speed_empty_mps
        accel = self.acceleration_mps2
        peak = min(speed, math.sqrt(distance * accel))
        ramp_time = peak / accel
        if elapsed <= ramp_time:
            done = 0.5 * accel * elapsed**2
        elif elapsed <= total - ramp_time:
            done = 0.5 * accel * ramp_time**2 + peak * (elapsed - ramp_time)
        else:
            remaining = total - elapsed
            done = distance - 0.5 * accel * remaining**2
        return math.copysign(done, distance_m)


@dataclass(frozen=True)
class CraneType:
    """A model of gantry crane, as its maker or a terminal publishes it."""

    id: str
    source: str
    gantry: Axis
    trolley: Axis
    hoist: Axis
    lock_seconds: float
    unlock_seconds: float


@dataclass(frozen=True)
class Point:
    """A spreader position: along the rail, across the span, and its height above ground."""

    along_m: float
    across_m: float
    height_m: float


@dataclass(frozen=True)
class MoveTimes:
    """The phases of one crane move, in seconds."""

    to_pick: float  # travel empty and lower onto the box
    lock: float
    to_place: float  # lift, travel laden, lower onto the target
    unlock: float
    clear: float  # raise the empty spreader to travel height

    @property
    def lifted(self) -> float:
        """From the job's start until the box hangs from the spreader."""
        return self.to_pick + self.lock

    @property
    def total(self) -> float:
        return self.to_pick + self.lock + self.to_place + self.unlock + self.clear


def travel(kind: CraneType, origin: Point, target: Point, laden: bool) -> float:
    """Gantry and trolley together; the hoist is at travel height before and after."""
    return max(
        kind.gantry.seconds(target.along_m - origin.along_m, laden),
        kind.trolley.seconds(target.across_m - origin.across_m, laden),
    )


def move_times(
    kind: CraneType, spreader: Point, pick: Point, place: Point, travel_height_m: float
) -> MoveTimes:
    """The phases of a move from where the spreader is, through the pick, to the place."""
    up = max(travel_height_m, spreader.height_m, pick.height_m, place.height_m)
    empty_raise = kind.hoist.seconds(up - spreader.height_m, laden=False)
    to_pick = (
        empty_raise
        + travel(kind, spreader, pick, laden=False)
        + kind.hoist.seconds(up - pick.height_m, laden=False)
    )
    to_place = (
        kind.hoist.seconds(up - pick.height_m, laden=True)
        + travel(kind, pick, place, laden=True)
        + kind.hoist.seconds(up - place.height_m, laden=True)
    )
    clear = kind.hoist.seconds(up - place.height_m, laden=False)
    return MoveTimes(to_pick, kind.lock_seconds, to_place, kind.unlock_seconds, clear)


__all__ = ["Axis", "CraneType", "MoveTimes", "Point", "move_times", "travel"]
