"""The hub's local time zone, defined once for the whole code base, and its horizon: the
days a request may name at all (a year 9999 or 0001 is a typing error, not a plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from hubport.domain.errors import HubportError

#: China Standard Time (UTC+8, no daylight saving), the time of the Jiangjin hub.
HUB_TIME = timezone(timedelta(hours=8), "CST")
_DAY = timedelta(days=1)


class OutOfHorizon(HubportError):
    """A day or time outside the hub's horizon; names the field."""

    def __init__(self, field: str, value: str, horizon: Horizon):
        self.field = field
        super().__init__(
            f"{field} {value[:40]} is outside the hub's horizon "
            f"{horizon.first.isoformat()} to {horizon.last.isoformat()}"
        )


@dataclass(frozen=True)
class Horizon:
    """The first and last hub days any request may name."""

    first: date = date(2000, 1, 1)
    last: date = date(2099, 12, 31)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"horizon ends ({self.last}) before it starts ({self.first})")
        if self.first.year < 2 or self.last.year > 9998:
            raise ValueError("a horizon lies within the years 0002 to 9998")

    @classmethod
    def parse(cls, text: str) -> Horizon:
        """``FIRST/LAST`` in ISO days, e.g. ``2000-01-01/2099-12-31``."""
        first, sep, last = text.partition("/")
        if not sep:
            raise ValueError(f"horizon {text!r}: write FIRST/LAST, e.g. 2000-01-01/2099-12-31")
        return cls(date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))

    def day(self, value: date, field: str) -> date:
        """``value``, or :class:`OutOfHorizon` naming ``field``."""
        if not self.first <= value <= self.last:
            raise OutOfHorizon(field, value.isoformat(), self)
        return value

    def moment(self, value: datetime, field: str) -> datetime:
        """``value`` in hub time (naive: read as hub time), or :class:`OutOfHorizon`. The
        check is made on the UTC day first, so no extreme year overflows on conversion."""
        aware = value if value.tzinfo is not None else value.replace(tzinfo=HUB_TIME)
        # the written day ±1 bounds the hub day (UTC offsets are under a day)
        if not self.first - _DAY <= aware.date() <= self.last + _DAY:
            raise OutOfHorizon(field, value.isoformat(), self)
        moment = aware.astimezone(HUB_TIME)
        self.day(moment.date(), field)
        return moment


__all__ = ["HUB_TIME", "Horizon", "OutOfHorizon"]
