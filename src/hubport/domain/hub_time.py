"""The hub's local time zone, defined once for the whole code base."""

from __future__ import annotations

from datetime import timedelta, timezone

#: China Standard Time (UTC+8, no daylight saving), the time of the Jiangjin hub.
HUB_TIME = timezone(timedelta(hours=8), "CST")

__all__ = ["HUB_TIME"]
