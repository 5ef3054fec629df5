"""The hub's horizon: extreme days and times are refused by name, never overflow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubport.domain.gate import WindowRule
from hubport.domain.hub_time import HUB_TIME, Horizon, OutOfHorizon

HORIZON = Horizon(date(2000, 1, 1), date(2099, 12, 31))
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))


@given(moment=st.datetimes(timezones=OFFSETS))
def test_any_moment_is_either_within_the_horizon_in_hub_time_or_refused_by_name(
    moment: datetime,
) -> None:
    try:
        held = HORIZON.moment(moment, "at")
    except OutOfHorizon as refused:
        assert str(refused).startswith("at ") and refused.field == "at"
        in_hub_time = moment.astimezone(UTC).date()  # the UTC day is within one of the hub's
        assert not HORIZON.first - timedelta(days=1) < in_hub_time < HORIZON.last
        return
    assert held == moment and held.tzinfo == HUB_TIME
    assert HORIZON.first <= held.date() <= HORIZON.last


def test_the_edges_of_the_horizon_are_read_in_hub_time() -> None:
    first = HORIZON.moment(datetime(1999, 12, 31, 16, 0, tzinfo=UTC), "at")
    assert first.date() == date(2000, 1, 1)
    with pytest.raises(OutOfHorizon):
        HORIZON.moment(datetime(1999, 12, 31, 15, 59, tzinfo=UTC), "at")
    with pytest.raises(OutOfHorizon):
        HORIZON.moment(datetime(2099, 12, 31, 16, 0, tzinfo=UTC), "at")
    with pytest.raises(OutOfHorizon, match="day 9999-12-31"):
        HORIZON.day(date(9999, 12, 31), "day")


def test_a_horizon_reads_from_its_setting_and_refuses_a_backward_one() -> None:
    assert Horizon.parse("2020-01-01/2030-12-31") == Horizon(date(2020, 1, 1), date(2030, 12, 31))
    for bad in ("2030-01-01/2020-01-01", "2020-01-01", "0001-01-01/2020-01-01"):
        with pytest.raises(ValueError):
            Horizon.parse(bad)


def test_a_gate_window_is_cut_in_hub_time_whatever_offset_the_moment_is_written_in() -> None:
    rule = WindowRule(minutes=30, trucks=60)
    expected = datetime(2026, 12, 1, 10, 0, tzinfo=HUB_TIME)
    for minutes in (480, 479, 478, 477):
        written = datetime(2026, 12, 1, 10, 5, tzinfo=timezone(timedelta(minutes=minutes)))
        start, end = rule.window_of(written)
        assert start == expected and end == expected + timedelta(minutes=30)
        assert start.utcoffset() == timedelta(hours=8)
