"""Time enters the services through a clock, so the digital twin can run them in sim time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from hubport.domain.hub_time import HUB_TIME


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The wall clock, in the hub's local time."""

    def now(self) -> datetime:
        return datetime.now(UTC).astimezone(HUB_TIME)


class ManualClock:
    """A clock that only moves when told to: tests and the simulation set it."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError(f"clock start {start} needs a time zone")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment < self._now:
            raise ValueError(f"clock cannot go back from {self._now} to {moment}")
        self._now = moment

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
