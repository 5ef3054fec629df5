"""The futures commands: what the exchange, a member, the site or an inspector asks.

Each says who asks: ``role`` (exchange, member, operator, inspector, admin, or the
runtime) and, for a member, ``party`` (its member code): a member acts only for its own
side of a delivery. The API fills both from the caller's token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from hubport.futures.domain.slots import WagonLoad
from hubport.services.commands import Command


@dataclass(frozen=True)
class FuturesCommand(Command):
    delivery: str
    role: str = "operator"
    party: str | None = None


@dataclass(frozen=True)
class MatchDelivery(FuturesCommand):
    contract: str = ""
    lots: int = 0
    buyer: str = ""
    seller: str = ""
    matched_on: date | None = None
    settlement_day: date | None = None
    price_cny_per_m3: Decimal = Decimal(0)


@dataclass(frozen=True)
class BookSlot(FuturesCommand):
    track: str = ""
    spot: str = ""
    start: datetime | None = None
    end: datetime | None = None
    loads: tuple[WagonLoad, ...] = ()


@dataclass(frozen=True)
class RecordArrival(FuturesCommand):
    carriers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordTally(FuturesCommand):
    """A tally document (the measuring station's CSV) and the inspector's name: the
    inspection follows from the site's quality rules."""

    document: str = ""
    inspector: str = ""


@dataclass(frozen=True)
class RaiseDispute(FuturesCommand):
    reason: str = ""


@dataclass(frozen=True)
class SignHandover(FuturesCommand):
    pass


@dataclass(frozen=True)
class RecordPayment(FuturesCommand):
    milestone: str = ""


@dataclass(frozen=True)
class DeclareDefault(FuturesCommand):
    defaulter: str = ""
    reason: str = ""


@dataclass(frozen=True)
class WatchDeadlines(Command):
    """The runtime's duty: alarms before deadlines, defaults after them."""

    role: str = "runtime"


__all__ = [
    "BookSlot",
    "DeclareDefault",
    "FuturesCommand",
    "MatchDelivery",
    "RaiseDispute",
    "RecordArrival",
    "RecordPayment",
    "RecordTally",
    "SignHandover",
    "WatchDeadlines",
]
