"""The park's KPIs, computed from the requests' records (each formula in docs/park.md).

Over the requests received in a period:
- completion_rate = requests whose last state is closed ÷ (requests received − requests
  whose last state is returned);
- on_time_rate = closed requests closed at or before their deadline ÷ closed requests;
- satisfaction = ratings of 4 or 5 ÷ rated requests;
- reopen_rate = requests reopened at least once ÷ requests received;
- days to close: mean and 90th percentile, from receipt to the last closing, of the
  closed requests.
A rate whose denominator is 0 is reported as 0 and named in ``undefined``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from hubport.park.domain.life import RequestState
from hubport.park.domain.requests import Request


@dataclass(frozen=True)
class RequestKpis:
    received: int
    closed: int
    returned: int
    rated: int
    completion_rate: float
    on_time_rate: float
    satisfaction: float
    reopen_rate: float
    mean_days_to_close: float
    p90_days_to_close: float
    escalated: int
    undefined: tuple[str, ...] = field(default=())


def _rate(numerator: int, denominator: int, name: str, undefined: list[str]) -> float:
    if denominator == 0:
        undefined.append(name)
        return 0.0
    return numerator / denominator


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def request_kpis(requests: Iterable[Request]) -> RequestKpis:
    chosen = list(requests)
    undefined: list[str] = []
    closed = [r for r in chosen if r.state is RequestState.CLOSED]
    returned = sum(r.state is RequestState.RETURNED for r in chosen)
    rated = [r.rating for r in chosen if r.rating is not None]
    on_time = 0
    days: list[float] = []
    for request in closed:
        at = request.closed_at()
        if at is None:  # its last state is closed: it has a closing time
            continue
        on_time += at <= request.deadline
        days.append((at - request.received).total_seconds() / 86_400)
    return RequestKpis(
        received=len(chosen),
        closed=len(closed),
        returned=returned,
        rated=len(rated),
        completion_rate=_rate(len(closed), len(chosen) - returned, "completion_rate", undefined),
        on_time_rate=_rate(on_time, len(closed), "on_time_rate", undefined),
        satisfaction=_rate(sum(r >= 4 for r in rated), len(rated), "satisfaction", undefined),
        reopen_rate=_rate(
            sum(r.ever(RequestState.REOPENED) for r in chosen),
            len(chosen),
            "reopen_rate",
            undefined,
        ),
        mean_days_to_close=sum(days) / len(days) if days else 0.0,
        p90_days_to_close=percentile(days, 0.9),
        escalated=sum(bool(r.escalated) for r in chosen),
        undefined=tuple(undefined),
    )


__all__ = ["RequestKpis", "percentile", "request_kpis"]
