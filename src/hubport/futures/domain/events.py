"""The futures events: one per step of a delivery, in the past tense, replayable.

A delivery's state is the fold of its events (``Delivery.replay``); the store keeps them
in an append-only log with who asked, and the API streams them.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from hubport.futures.domain.errors import FuturesError


@dataclass(frozen=True)
class DeliveryEvent:
    """Something that happened to delivery ``delivery`` at ``at`` (hub time)."""

    delivery: str
    at: datetime
    registry: ClassVar[dict[str, type[DeliveryEvent]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        DeliveryEvent.registry[cls.__name__] = cls

    def to_payload(self) -> dict[str, Any]:
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @staticmethod
    def from_payload(name: str, payload: dict[str, Any]) -> DeliveryEvent:
        try:
            kind = DeliveryEvent.registry[name]
        except KeyError:
            raise FuturesError(f"unknown futures event {name!r}") from None
        hints = typing.get_type_hints(kind)
        return kind(**{key: _decode(hints[key], value) for key, value in payload.items()})


@dataclass(frozen=True)
class DeliveryMatched(DeliveryEvent):
    """The exchange matched a seller's delivery intention with a buyer."""

    contract: str
    lots: int
    volume_m3: Decimal
    buyer: str
    seller: str
    matched_on: date
    settlement_day: date
    price_cny_per_m3: Decimal


@dataclass(frozen=True)
class SlotBooked(DeliveryEvent):
    """A loading spot and time window on the site's tracks, with the wagons expected."""

    track: str
    spot: str
    start: datetime
    end: datetime
    wagons: tuple[str, ...]
    volume_m3: Decimal


@dataclass(frozen=True)
class GoodsArrived(DeliveryEvent):
    """The seller's logs stand at the site (their wagons or trucks named)."""

    carriers: tuple[str, ...]


@dataclass(frozen=True)
class Inspected(DeliveryEvent):
    """The tally recorded and judged: the document's hash, the figures and the reasons."""

    tally_sha256: str
    pieces: int
    tallied_m3: Decimal
    passed: bool
    reasons: tuple[str, ...]
    inspector: str


@dataclass(frozen=True)
class Disputed(DeliveryEvent):
    """A party contests the delivery (a failed inspection opens one by itself)."""

    by: str
    reason: str


@dataclass(frozen=True)
class HandoverSigned(DeliveryEvent):
    """One party signed the handover of the inspected volume."""

    party: str
    side: str
    volume_m3: Decimal
    tally_sha256: str


@dataclass(frozen=True)
class HandedOver(DeliveryEvent):
    """Both parties signed: the handover record is final (a correction is a new record)."""

    record: str
    volume_m3: Decimal
    tally_sha256: str
    buyer_signed_at: datetime
    seller_signed_at: datetime


@dataclass(frozen=True)
class PaymentRecorded(DeliveryEvent):
    """The exchange paid the seller a milestone's share."""

    milestone: str
    amount_cny: Decimal


@dataclass(frozen=True)
class Settled(DeliveryEvent):
    """Every payment milestone is paid: the delivery is closed."""


@dataclass(frozen=True)
class Defaulted(DeliveryEvent):
    """A party failed: the seller did not bring the goods in time, or the dispute was
    decided against one side; the exchange's penalty follows."""

    party: str
    reason: str


@dataclass(frozen=True)
class DeadlineNear(DeliveryEvent):
    """An alarm: a deadline is near and its step not done."""

    deadline: str
    due: datetime


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    return value


def _decode(hint: Any, value: Any) -> Any:
    if hint is Decimal:
        return Decimal(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if typing.get_origin(hint) is tuple:
        return tuple(value)
    return value


__all__ = [
    "DeadlineNear",
    "Defaulted",
    "DeliveryEvent",
    "DeliveryMatched",
    "Disputed",
    "GoodsArrived",
    "HandedOver",
    "HandoverSigned",
    "Inspected",
    "PaymentRecorded",
    "Settled",
    "SlotBooked",
]
