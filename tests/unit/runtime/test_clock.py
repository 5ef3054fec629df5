"""The runtime's clocks: the wall clock, a scaled one, and the hub time read from a lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hubport.domain.hub_time import HUB_TIME
from hubport.domain.lease import Holder, Lease, RuntimeStatus
from hubport.runtime.clock import LeaderClock, RuntimeClock

ORIGIN = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)
WALL = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_scaled_clock_runs_speed_times_the_wall_clock_from_its_origin() -> None:
    ticks = Ticks()
    clock = RuntimeClock(speed=60.0, origin=ORIGIN, monotonic=ticks)
    assert clock.now() == ORIGIN
    ticks.now += 2.5
    assert clock.now() == ORIGIN + timedelta(minutes=2.5)
    clock.restart_at(ORIGIN + timedelta(hours=5))
    ticks.now += 1.0
    assert clock.now() == ORIGIN + timedelta(hours=5, minutes=1)


def test_a_clock_without_speed_is_the_wall_clock_in_hub_time() -> None:
    now = RuntimeClock().now()
    assert now.utcoffset() == timedelta(hours=8)
    assert abs((now - datetime.now(UTC)).total_seconds()) < 5


def test_a_clock_refuses_a_speed_that_is_not_positive() -> None:
    with pytest.raises(ValueError, match="clock speed -1"):
        RuntimeClock(speed=-1.0)


def _lease(hub_time: datetime, renewed: datetime, speed: float | None, epoch: int = 1) -> Lease:
    return Lease(
        "XNY",
        Holder("vm:1:x", "vm", 1),
        epoch,
        renewed,
        renewed,
        renewed + timedelta(seconds=10),
        hub_time,
        speed,
        RuntimeStatus(),
    )


def test_the_hub_time_runs_on_from_the_last_renewal_and_stops_when_the_lease_ran_out() -> None:
    lease = _lease(ORIGIN, WALL, 120.0)
    assert lease.hub_time_at(WALL + timedelta(seconds=2)) == ORIGIN + timedelta(minutes=4)
    stopped = ORIGIN + timedelta(minutes=20)
    assert lease.hub_time_at(WALL + timedelta(seconds=10)) == stopped
    assert lease.hub_time_at(WALL + timedelta(hours=1)) == stopped
    assert _lease(ORIGIN, WALL, None).hub_time_at(WALL) == WALL


def test_other_processes_follow_a_new_leader_but_never_go_back_under_one() -> None:
    now = datetime.now(UTC)
    leases: list[Lease | None] = [None]
    clock = LeaderClock(lambda: leases[0], refresh_s=0.0)
    assert clock.now() > ORIGIN + timedelta(days=3)  # no runtime yet: the wall clock
    leases[0] = _lease(ORIGIN, now, 60.0)
    first = clock.now()
    assert ORIGIN <= first < ORIGIN + timedelta(minutes=10)  # the runtime's time, not the wall's
    leases[0] = _lease(ORIGIN - timedelta(minutes=30), now, 60.0)  # a late read
    assert clock.now() >= first
    leases[0] = _lease(ORIGIN - timedelta(minutes=30), now, 60.0, epoch=2)  # a new leader
    assert clock.now() < first
