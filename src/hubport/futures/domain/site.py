"""A designated delivery site (交割场所): who runs it, what it may use, what it charges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from hubport.futures.domain.errors import SiteFileError
from hubport.futures.domain.inspection import QualityRules
from hubport.futures.domain.rules import DeliveryRules


@dataclass(frozen=True)
class WagonType:
    """A carrier the logs come on, with the limits a load must keep."""

    code: str
    kind: str  # open wagon, flatcar, container, truck
    max_load_t: Decimal
    max_volume_m3: Decimal
    max_log_length_m: Decimal


@dataclass(frozen=True)
class LoadingSpot:
    """A place on a track where wagons stand for measuring and handover."""

    track: str
    spot: str
    wagons: int

    @property
    def key(self) -> str:
        return f"{self.track}/{self.spot}"


@dataclass(frozen=True)
class Fees:
    """CNY per m³ handed over."""

    delivery: Decimal
    inspection: Decimal
    loading: Decimal

    @property
    def total(self) -> Decimal:
        return self.delivery + self.inspection + self.loading


@dataclass(frozen=True)
class DeliverySite:
    code: str
    name: str
    exchange: str
    commodity: str
    method: str
    daily_capacity_m3: Decimal
    opens: time
    closes: time
    spots: tuple[LoadingSpot, ...]
    #: The tracks the hub's trains also use: a booking there must not meet a train.
    shared_tracks: tuple[str, ...]
    wagon_types: tuple[WagonType, ...]
    fees: Fees
    inspection_body: str
    rules: DeliveryRules
    quality: QualityRules

    def __post_init__(self) -> None:
        if self.daily_capacity_m3 <= 0:
            raise SiteFileError(f"daily capacity {self.daily_capacity_m3} m³ must be positive")
        if self.opens >= self.closes:
            raise SiteFileError(f"working hours {self.opens}–{self.closes} are empty")
        if not self.spots:
            raise SiteFileError(f"site {self.code} has no loading spot")
        keys = [spot.key for spot in self.spots]
        if len(set(keys)) != len(keys):
            raise SiteFileError(f"site {self.code}: a loading spot is listed twice")

    def spot(self, track: str, spot: str) -> LoadingSpot:
        for candidate in self.spots:
            if candidate.track == track and candidate.spot == spot:
                return candidate
        known = ", ".join(s.key for s in self.spots)
        raise SiteFileError(f"no loading spot {track}/{spot} at {self.code}; it has {known}")

    def wagon_type(self, code: str) -> WagonType:
        for candidate in self.wagon_types:
            if candidate.code == code:
                return candidate
        known = ", ".join(w.code for w in self.wagon_types)
        raise SiteFileError(f"wagon type {code!r} is not used at {self.code}; it takes {known}")


__all__ = ["DeliverySite", "Fees", "LoadingSpot", "WagonType"]
