"""The runtime's clock: the wall clock, or a scaled one (``speed`` hub seconds per wall
second) for tests and the simulated world, started from a given hub time."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from hubport.domain.hub_time import HUB_TIME
from hubport.domain.lease import Lease


def wall_now() -> datetime:
    return datetime.now(UTC)


class RuntimeClock:
    """Hub time now. Without a speed it is the wall clock; with one, it runs from
    ``origin`` at ``speed`` times the wall clock, and never goes back."""

    def __init__(
        self,
        speed: float | None = None,
        origin: datetime | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        if speed is not None and speed <= 0:
            raise ValueError(f"clock speed {speed} must be positive")
        self.speed = speed
        self._monotonic = monotonic
        self._origin = (origin or wall_now()).astimezone(HUB_TIME)
        self._started = monotonic()

    @property
    def scaled(self) -> bool:
        return self.speed is not None

    def restart_at(self, origin: datetime) -> None:
        """Run on from ``origin`` (a standby taking over where the leader stopped)."""
        self._origin = origin.astimezone(HUB_TIME)
        self._started = self._monotonic()

    def now(self) -> datetime:
        if self.speed is None:
            return wall_now().astimezone(HUB_TIME)
        elapsed = (self._monotonic() - self._started) * self.speed
        return self._origin + timedelta(seconds=elapsed)


class SteppedClock:
    """Hub time that moves only when its driver moves it (the world and the runtime in
    one process, as fast as they run), never back."""

    speed: float | None = 0.0
    scaled = True

    def __init__(self, origin: datetime):
        self._now = origin.astimezone(HUB_TIME)

    def now(self) -> datetime:
        return self._now

    def restart_at(self, origin: datetime) -> None:
        self._now = max(self._now, origin.astimezone(HUB_TIME))

    def set(self, moment: datetime) -> None:
        self._now = max(self._now, moment.astimezone(HUB_TIME))


class LeaderClock:
    """Hub time as the active runtime keeps it, for the other processes (the API, the
    command line): read from its lease at most every ``refresh_s``; where no runtime has
    run, the wall clock. It never goes back while one leader keeps the time."""

    def __init__(self, read: Callable[[], Lease | None], refresh_s: float = 0.5):
        self._read, self.refresh_s = read, refresh_s
        self._lease: Lease | None = None
        self._read_at = -math.inf
        self._last: tuple[int, datetime] | None = None

    def now(self) -> datetime:
        if time.monotonic() - self._read_at >= self.refresh_s:
            # the store busy, or older than the lease: the last lease read goes on
            with contextlib.suppress(SQLAlchemyError):
                self._lease = self._read()
            self._read_at = time.monotonic()
        lease = self._lease
        if lease is None:
            return wall_now().astimezone(HUB_TIME)
        moment = lease.hub_time_at(wall_now())
        # never back while the same leader keeps the time (reads come late or early)
        if self._last is not None and self._last[0] == lease.epoch and moment < self._last[1]:
            moment = self._last[1]
        self._last = (lease.epoch, moment)
        return moment.astimezone(HUB_TIME)


__all__ = ["LeaderClock", "RuntimeClock", "SteppedClock", "wall_now"]
