"""The corridor network as data: every figure carries its source and whether it is assumed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: a citation, its date, and what of it is assumed."""

    source: str
    date: str
    assumed: str = ""


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    provenance: Provenance

    def km_to(self, other: Place) -> float:
        """Great-circle distance (haversine, mean Earth radius 6371 km)."""
        lat1, lon1, lat2, lon2 = map(math.radians, (self.lat, self.lon, other.lat, other.lon))
        half = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371.0 * math.asin(math.sqrt(half))


@dataclass(frozen=True)
class Service:
    """A scheduled service between two places: weekdays (0 = Monday) and a departure time."""

    id: str
    name: str
    mode: str
    origin: str
    destination: str
    weekdays: tuple[int, ...]
    departure_minute: int
    transit_hours: float
    distance_km: float | None
    capacity_teu: int | None
    provenance: Provenance


@dataclass(frozen=True)
class Node:
    """What a place costs in time and money when a box changes carrier there."""

    place: str
    handling_hours: float
    cutoff_hours: float
    customs_hours: float
    through_transit: frozenset[tuple[str, str]]  # (arriving mode, leaving mode) declared once
    free_storage_days: float
    storage_per_teu_day: float
    handling_per_teu: float
    port_charge_per_teu: float
    customs_charge: float
    provenance: Provenance


@dataclass(frozen=True)
class Tariff:
    service: str
    per_teu: float
    per_feu: float
    currency: str
    provenance: Provenance


@dataclass(frozen=True)
class RoadLink:
    origin: str
    destination: str
    distance_km: float
    hours: float
    provenance: Provenance


@dataclass(frozen=True)
class Network:
    """Everything the router and the quote need, keyed for lookup."""

    places: dict[str, Place]
    services: dict[str, Service]
    nodes: dict[str, Node]
    tariffs: dict[str, Tariff]
    roads: tuple[RoadLink, ...]
    parameters: dict[str, str]
    emissions: dict[str, float]  # g CO2e per tonne-km by mode
    sources: dict[str, Provenance] = field(default_factory=dict)  # emission factor sources

    def parameter(self, name: str) -> float:
        return float(self.parameters[name])

    @property
    def currency(self) -> str:
        return self.parameters.get("currency", "USD")

    def road_links(self, place: str) -> list[tuple[str, RoadLink]]:
        """Road neighbours of ``place`` (links are usable both ways)."""
        links = []
        for link in self.roads:
            if link.origin == place:
                links.append((link.destination, link))
            elif link.destination == place:
                links.append((link.origin, link))
        return links
