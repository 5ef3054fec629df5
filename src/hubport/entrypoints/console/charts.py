"""Charts as SVG geometry: the console draws them server-side, with no script library.

Each function returns plain numbers (bars with their place and height, axis ticks) that a
template turns into ``<rect>`` and ``<text>``; labels come translated from the caller.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Colours of next legs, colour-blind-safe (Okabe-Ito, Tol).
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#44aa99",
    "#882255",
    "#999933",
)


#: Stacks whose boxes leave on different legs, on trains or barges beyond the palette, and
#: with trucks that collect them (console.css has the same colours, as classes).
MIXED, OTHER, ROAD = "#b8b8b8", "#6b6b6b", "#8c564b"


def leg_colours(legs: Sequence[str]) -> dict[str, str]:
    """A colour each for the first legs of ``legs`` (the most stacks first), as many as the
    palette has; given in the legs' order by name, so that a leg keeps its colour while the
    same legs stand in the yard."""
    shown = sorted(legs[: len(PALETTE)])
    return {leg: PALETTE[index] for index, leg in enumerate(shown)}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, float], ...]  # (value, y)
    left: float
    bottom: float


def nice_top(value: float) -> float:
    """A round axis top at or above ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 1e-9:  # nothing (or next to nothing) to show: an axis up to 1
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def bar_chart(
    points: Sequence[tuple[str, float]], width: float = 520, height: float = 220
) -> BarChart:
    """Vertical bars of ``points`` (label, value) on an axis from zero to a round top."""
    left, bottom, top_pad = 44.0, 28.0, 10.0
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top = nice_top(max((value for _, value in points), default=0.0))
    slot = plot_w / max(1, len(points))
    bars = []
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * max(0.0, value) / top
        bars.append(
            Bar(
                label,
                value,
                left + index * slot + slot * 0.15,
                top_pad + plot_h - bar_h,
                slot * 0.7,
                bar_h,
            )
        )
    ticks = tuple((top * i / 4, top_pad + plot_h * (1 - i / 4)) for i in range(5))
    return BarChart(width, height, tuple(bars), ticks, left, height - bottom)


__all__ = [
    "MIXED",
    "OTHER",
    "PALETTE",
    "ROAD",
    "Bar",
    "BarChart",
    "bar_chart",
    "leg_colours",
    "nice_top",
]
