"""What the platform answers the world's clients: a refusal with its status and code, and
the views of a box, a gate transaction, a declaration, the runtime, and the log-futures
orders the world sends (shared by the HTTP and the in-process clients)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hubport.domain.errors import HubportError
from hubport.domain.places import Place, TruckSlot, YardSlot


class PlatformRefused(HubportError):
    """The platform answered a request with an error (its status, code and message)."""

    def __init__(self, status: int, code: str, message: str):
        self.status, self.code = status, code
        super().__init__(f"{status} {code}: {message}")


@dataclass(frozen=True)
class BoxWhere:
    """Where the platform says a box is (None once it left the hub)."""

    number: str
    state: str
    place: Place | None

    @property
    def in_yard(self) -> bool:
        return isinstance(self.place, YardSlot)

    def on_truck(self, visit: str) -> bool:
        return isinstance(self.place, TruckSlot) and self.place.visit == visit


@dataclass(frozen=True)
class GateAnswer:
    """Where the gate sends a truck (``in``/``out``, or ``exception``) and why."""

    lane: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeclarationView:
    """A customs declaration as the platform shows it to the customs office."""

    id: str
    kind: str
    state: str
    boxes: tuple[str, ...]
    arrived_at: datetime | None

    @classmethod
    def read(cls, item: dict[str, Any]) -> DeclarationView:
        """From a declaration as the platform spells it (``GET /api/customs/declarations``)."""
        arrived = item.get("arrived_at")
        return cls(
            item["declaration"],
            item["kind"],
            item["state"],
            tuple(item["boxes"]),
            datetime.fromisoformat(arrived) if arrived else None,
        )


@dataclass(frozen=True)
class RuntimeHealth:
    """The runtime as ``GET /api/runtime`` reports it."""

    leader_pid: int | None
    leader_host: str | None
    hub_time: datetime | None
    jobs_in_flight: int
    cranes_connected: int
    moves: int


@dataclass(frozen=True)
class DeliveryOrder:
    """The exchange's match of a log-futures delivery, as the world's exchange sends it."""

    delivery: str
    contract: str
    lots: int
    buyer: str
    seller: str
    matched_on: date
    settlement_day: date
    price_cny_per_m3: Decimal


@dataclass(frozen=True)
class DeliverySlot:
    """The seller's booking of a loading spot for its log wagons."""

    delivery: str
    seller: str
    track: str
    spot: str
    start: datetime
    end: datetime
    loads: tuple[tuple[str, Decimal], ...]


__all__ = [
    "BoxWhere",
    "DeclarationView",
    "DeliveryOrder",
    "DeliverySlot",
    "GateAnswer",
    "PlatformRefused",
    "RuntimeHealth",
]
