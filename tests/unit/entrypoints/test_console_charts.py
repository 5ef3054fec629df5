"""The console's charts: bars scale to a round axis top, none overflows, colours are stable."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hubport.entrypoints.console.charts import (
    MIXED,
    OTHER,
    PALETTE,
    ROAD,
    bar_chart,
    leg_colours,
    nice_top,
)
from hubport.entrypoints.console.i18n import HERE


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value() -> None:
    assert [nice_top(v) for v in (0, 0.3, 1, 7, 10.5, 180, 2400)] == [
        1.0,
        0.5,
        1.0,
        10.0,
        20.0,
        200.0,
        5000.0,
    ]


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=40))
def test_every_bar_stands_inside_the_plot_and_the_largest_reaches_highest(
    values: list[float],
) -> None:
    chart = bar_chart([(str(i), v) for i, v in enumerate(values)])
    top_y = chart.ticks[-1][1]
    for bar in chart.bars:
        assert bar.y >= top_y - 1e-6 and bar.y + bar.height <= chart.bottom + 1e-6
        assert chart.left <= bar.x and bar.x + bar.width <= chart.width
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.value == max(values)


def test_the_most_common_legs_get_distinct_colours_in_the_order_of_their_names() -> None:
    legs = [f"T{i:02d}" for i in range(15, 0, -1)]  # the most stacks first
    colours = leg_colours(legs)
    assert sorted(colours) == sorted(legs[: len(PALETTE)])
    assert len(set(colours.values())) == len(PALETTE)
    assert leg_colours(list(reversed(legs[:3]))) == leg_colours(legs[:3])
    assert MIXED not in PALETTE and OTHER not in PALETTE


def test_the_style_sheet_has_the_palette_and_the_marks_of_the_charts() -> None:
    sheet = (HERE / "static" / "console.css").read_text()
    found = dict(re.findall(r"\.c(\d) \{ background: (#[0-9a-f]{6}); \}", sheet))
    assert [found[str(index)] for index in range(len(PALETTE))] == list(PALETTE)
    for name, colour in (("mixed", MIXED), ("other", OTHER), ("road", ROAD)):
        assert f".{name} {{ background: {colour}; }}" in sheet
