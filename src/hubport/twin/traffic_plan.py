"""What shapes the generated traffic: trains a day, wagons, box mix, modal split, dwell.

The defaults are the demo's day (``traffic.py``: 5 trains out and 4 in a day at the 2024
volume). A scenario (``scenario.py``) builds a plan of its own: the year's trains spread
over its days by a monthly profile, and its own shares and dwell times.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The demo's slots: departures of the day's outbound trains and arrivals of its inbound
#: ones, in hours after the day's start (06:00): 10:30 ... 22:30, and 06:30, 11:00,
#: 15:00, 19:00. Another count of trains is spread evenly over the same window.
DEMO_DEPARTURES_H = (4.5, 7.5, 10.5, 13.5, 16.5)
DEMO_ARRIVALS_H = (0.5, 5.0, 9.0, 13.0)


@dataclass(frozen=True)
class TrafficPlan:
    """The knobs of the traffic generator (hashable: the generator caches by plan)."""

    wagons: int = 25
    #: The share of an inbound train's wagons that carry one 40' (the rest two 20').
    inbound_forty_wagons: float = 0.4
    #: The chance an export box is a 40' (while a wagon has room for one).
    export_forty: float = 0.4
    #: The modal split of inbound boxes: imports collected by truck, rail–rail transfers;
    #: the rest go on by river.
    import_share: float = 0.62
    transfer_share: float = 0.20
    #: The share of export boxes that come by barge instead of by truck.
    barge_export_share: float = 0.15
    #: Import dwell: log-normal median and sigma of the log, clipped (hours).
    import_dwell_median_h: float = 36.0
    import_dwell_sigma: float = 0.6
    import_dwell_min_h: float = 3.0
    import_dwell_max_h: float = 7 * 24.0
    #: River boxes leave by shuttle this many hours after arrival (uniform).
    river_dwell_h: tuple[float, float] = (12.0, 60.0)
    #: Export boxes reach the gate between these many hours before their train leaves.
    export_lead_h: tuple[float, float] = (30.0, 3.5)
    #: Trains a day, by day (day 1 first); empty: the demo's 5 out and 4 in every day.
    outbound_daily: tuple[int, ...] = ()
    inbound_daily: tuple[int, ...] = ()

    def outbound_on(self, day: int) -> int:
        return _on(self.outbound_daily, day, len(DEMO_DEPARTURES_H))

    def inbound_on(self, day: int) -> int:
        return _on(self.inbound_daily, day, len(DEMO_ARRIVALS_H))

    def departures_h(self, day: int) -> tuple[float, ...]:
        """When the day's outbound trains leave, hours after the day's start."""
        return _slots(DEMO_DEPARTURES_H, self.outbound_on(day))

    def arrivals_h(self, day: int) -> tuple[float, ...]:
        """When the day's inbound trains arrive, hours after the day's start."""
        return _slots(DEMO_ARRIVALS_H, self.inbound_on(day))


def _on(daily: tuple[int, ...], day: int, default: int) -> int:
    if not daily:
        return default
    return daily[day - 1] if 1 <= day <= len(daily) else 0


def _slots(demo: tuple[float, ...], count: int) -> tuple[float, ...]:
    """The demo's slots for its own count, else ``count`` spread over the same window."""
    if count == len(demo):
        return demo
    if count <= 1:
        return demo[:count]
    first, last = demo[0], demo[-1]
    return tuple(first + index * (last - first) / (count - 1) for index in range(count))


def apportion(total: int, shares: list[float]) -> list[int]:
    """Whole counts with the given shares that add up to ``total`` (largest remainder;
    ties go to the earlier share)."""
    weight = sum(shares)
    if total <= 0 or weight <= 0:
        return [0] * len(shares)
    exact = [total * share / weight for share in shares]
    counts = [int(value) for value in exact]
    order = sorted(range(len(shares)), key=lambda i: (counts[i] - exact[i], i))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


DEMO_PLAN = TrafficPlan()

__all__ = ["DEMO_ARRIVALS_H", "DEMO_DEPARTURES_H", "DEMO_PLAN", "TrafficPlan", "apportion"]
