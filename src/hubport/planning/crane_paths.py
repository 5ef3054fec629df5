"""Collision-free crane trajectories for a schedule that respects the interference gaps.

Every crane keeps as far towards the low end of the rail as its own work and the cranes
below it allow (the construction the QCSP benchmark's README describes): its path is the
upper envelope of speed-limited "cones" around the places it must be, those of the cranes
below it pushed up by the separation, and a floor. A max of functions that never move
faster than one unit per ``travel`` moves no faster itself, so the paths are drivable; the
gaps of ``crane_schedule`` make them pass through every task.

A path is a tuple of ``(time, position)`` waypoints, linear between them and constant
after the last.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence

from hubport.planning.crane_schedule import EPSILON, Problem, Schedule

Waypoint = tuple[float, float]
Path = tuple[Waypoint, ...]


def position_at(
    path: Sequence[Waypoint], moment: float, times: Sequence[float] | None = None
) -> float:
    """Where a path is at ``moment`` (its first position before it starts)."""
    if times is None:
        times = [t for t, _ in path]
    index = bisect_right(times, moment)
    if index == 0:
        return path[0][1]
    if index == len(path):
        return path[-1][1]
    (t0, x0), (t1, x1) = path[index - 1], path[index]
    if t1 - t0 <= EPSILON:
        return x1
    return x0 + (x1 - x0) * (moment - t0) / (t1 - t0)


def _upper(first: Sequence[Waypoint], second: Sequence[Waypoint], horizon: float) -> list[Waypoint]:
    """The pointwise maximum of two continuous paths over [0, horizon]."""
    times = sorted({0.0, horizon} | {t for t, _ in (*first, *second) if 0.0 < t < horizon})
    first_times = [t for t, _ in first]
    second_times = [t for t, _ in second]
    points: list[Waypoint] = []
    previous: tuple[float, float, float] | None = None
    for moment in times:
        a = position_at(first, moment, first_times)
        b = position_at(second, moment, second_times)
        if previous is not None:
            t0, a0, b0 = previous
            if (a0 - b0) * (a - b) < -EPSILON:
                share = (a0 - b0) / ((a0 - b0) - (a - b))
                crossing = t0 + (moment - t0) * share
                points.append((crossing, a0 + (a - a0) * share))
        points.append((moment, max(a, b)))
        previous = (moment, a, b)
    return points


def _simplify(points: Sequence[Waypoint]) -> list[Waypoint]:
    """Drop waypoints that lie on the line through their neighbours."""
    kept: list[Waypoint] = []
    for point in points:
        if kept and abs(point[0] - kept[-1][0]) <= EPSILON:
            continue
        while len(kept) >= 2:
            (t0, x0), (t1, x1) = kept[-2], kept[-1]
            slope_in = (x1 - x0) / (t1 - t0)
            slope_out = (point[1] - x1) / (point[0] - t1)
            if abs(slope_in - slope_out) > 1e-9:
                break
            kept.pop()
        kept.append(point)
    return kept


def _cone(start: float, end: float, position: float, floor: float, travel: float) -> list[Waypoint]:
    """Where a crane may be if it must stand at ``position`` from start to end, as low as
    it can get, never below the floor."""
    reach = (position - floor) * travel
    return [(start - reach, floor), (start, position), (end, position), (end + reach, floor)]


def trajectories(problem: Problem, schedule: Schedule) -> list[Path]:
    """One path per crane, from time 0 at its start position to the last completion."""
    horizon = max([schedule.makespan(problem), *(c.ready for c in problem.cranes)])
    low_ends = []
    for crane, origin in enumerate(problem.cranes):
        lows = [problem.tasks[i].low for i in schedule.sequence(crane)]
        low_ends.append(min([origin.position, *lows]) - problem.separation * crane)
    base = min(low_ends)
    paths: list[Path] = []
    pushed: list[Waypoint] | None = None
    for crane, origin in enumerate(problem.cranes):
        floor = base + problem.separation * crane
        path: list[Waypoint] = [(0.0, floor), (horizon, floor)]
        stays = [(0.0, origin.ready, origin.position, origin.position)]
        for task in schedule.sequence(crane):
            item = problem.tasks[task]
            begin = schedule.start[task]
            stays.append((begin, begin + item.duration, item.low, item.high))
        for begin, end, low, _ in stays:
            path = _upper(path, _cone(begin, end, low, floor, problem.travel), horizon)
        if pushed is not None:
            shifted = [(t, x + problem.separation) for t, x in pushed]
            path = _upper(path, shifted, horizon)
        path = _simplify(path)
        paths.append(tuple(path))
        high = list(path)
        for begin, end, low, top in stays:
            if top > low + EPSILON:
                high = _upper(high, _cone(begin, end, top, floor, problem.travel), horizon)
        pushed = high
    return paths


def closest_approach(paths: Sequence[Path]) -> float:
    """The least distance between neighbouring cranes over all breakpoints of the paths."""
    moments = sorted({t for path in paths for t, _ in path})
    closest = float("inf")
    for moment in moments:
        positions = [position_at(path, moment) for path in paths]
        for left, right in itertools.pairwise(positions):
            closest = min(closest, right - left)
    return closest


__all__ = ["Path", "Waypoint", "closest_approach", "position_at", "trajectories"]
