"""The futures unit of work: the deliveries a command touches, and what its checks read
(the day's bookings, the trains on a track), kept until ``commit``."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Self

from hubport.futures.domain.delivery import Delivery
from hubport.futures.domain.events import DeliveryEvent
from hubport.futures.domain.site import DeliverySite
from hubport.futures.domain.slots import BookedSlot, TrackUse
from hubport.futures.domain.tally import Tally
from hubport.services.unit_of_work import Cause, StoredResult


@dataclass(frozen=True)
class TallyReceived:
    """A tally document to keep with its delivery."""

    delivery: str
    sha256: str
    tally: Tally
    document: str


@dataclass
class FuturesUnitOfWork(abc.ABC):
    site: DeliverySite
    exclusive: bool = False
    touched: dict[str, Delivery] = field(default_factory=dict)
    tallies: list[TallyReceived] = field(default_factory=list)

    def __enter__(self) -> Self:
        self.touched = {}
        self.tallies = []
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()

    def get(self, delivery_id: str) -> Delivery:
        """The delivery with its events; DeliveryRefused when there is none."""
        if delivery_id not in self.touched:
            self.touched[delivery_id] = self._load(delivery_id)
        return self.touched[delivery_id]

    def add(self, delivery: Delivery) -> None:
        if self._exists(delivery.id) or delivery.id in self.touched:
            from hubport.futures.domain.errors import DeliveryRefused

            raise DeliveryRefused(f"delivery {delivery.id} exists already")
        self.touched[delivery.id] = delivery

    def chained_events(self) -> list[DeliveryEvent]:
        return [event for delivery in self.touched.values() for event in delivery.pending]

    @abc.abstractmethod
    def _load(self, delivery_id: str) -> Delivery: ...

    @abc.abstractmethod
    def _exists(self, delivery_id: str) -> bool: ...

    @abc.abstractmethod
    def open_deliveries(self, until: datetime) -> Iterable[str]:
        """Ids of deliveries whose open deadline falls before ``until``."""

    @abc.abstractmethod
    def booked_on(self, day: date) -> list[BookedSlot]:
        """The active bookings of the site on hub day ``day``."""

    @abc.abstractmethod
    def trains_on(self, track: str, start: datetime, end: datetime) -> list[TrackUse]:
        """The hub's trains standing on ``track`` within the window."""

    @abc.abstractmethod
    def find_result(self, idempotency_key: str) -> StoredResult | None: ...

    @abc.abstractmethod
    def commit(self, cause: Cause) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


__all__ = ["FuturesUnitOfWork", "TallyReceived"]
