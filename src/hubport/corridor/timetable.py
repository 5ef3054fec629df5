"""Dated departures: weekly services expanded over a horizon, in minutes since an epoch.

The router asks two questions of a timetable: which services leave a place, and when a
service next leaves at or after a time (or every departure in a window). Departures are
sorted per service, so each answer is a binary search.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.corridor.network import Network, Service


@dataclass(frozen=True)
class Trip:
    """One dated run of a service: departure and arrival in minutes since the epoch."""

    service: Service
    departs: int
    arrives: int


class Timetable:
    """Departures per service, sorted; built from weekly services or given explicitly."""

    def __init__(self, epoch: datetime, trips: Iterable[Trip]):
        self.epoch = epoch
        by_service: dict[str, list[Trip]] = {}
        for trip in trips:
            by_service.setdefault(trip.service.id, []).append(trip)
        self._trips = {
            key: sorted(value, key=lambda t: t.departs) for key, value in by_service.items()
        }
        self._times = {key: [t.departs for t in value] for key, value in self._trips.items()}
        self._from: dict[str, list[Service]] = {}
        for value in self._trips.values():
            service = value[0].service
            self._from.setdefault(service.origin, []).append(service)
        self.connections = sum(len(value) for value in self._trips.values())

    @classmethod
    def weekly(cls, network: Network, start: datetime, days: int) -> Timetable:
        """Every departure of the network's services from ``start`` for ``days`` days."""
        epoch = start.replace(hour=0, minute=0, second=0, microsecond=0)
        trips = []
        for service in network.services.values():
            for day in range(days + 1):
                date = epoch + timedelta(days=day)
                if date.weekday() not in service.weekdays:
                    continue
                departs = day * 1440 + service.departure_minute
                trips.append(Trip(service, departs, departs + round(service.transit_hours * 60)))
        return cls(epoch, trips)

    def minute(self, moment: datetime) -> int:
        return round((moment - self.epoch).total_seconds() / 60)

    def time(self, minute: int | float) -> datetime:
        return self.epoch + timedelta(minutes=minute)

    def services_from(self, place: str) -> list[Service]:
        return self._from.get(place, [])

    def first_after(self, service: Service, minute: float) -> Trip | None:
        times = self._times[service.id]
        index = bisect_left(times, minute)
        return self._trips[service.id][index] if index < len(times) else None

    def between(self, service: Service, first: float, last: float) -> list[Trip]:
        times = self._times[service.id]
        low, high = bisect_left(times, first), bisect_left(times, last + 1e-9)
        return self._trips[service.id][low:high]
