"""Storage over a box's stay, in hub days.

The rule (docs/billing.md): a stay counts every hub calendar day (UTC+8) on which the box
is in the hub, its arrival day and its departure day included; a box that arrives and
leaves the same day stays one day. The k-th day of the stay is charged at the rate of
the k-th day in the storage scale **in force on that day** (a tariff change mid-stay
prices the days after it by the new scale, counting days from the arrival); free days
cost nothing. Each day is a line of its own until the stay ends; a stay still running
is billed to a date and the rest later, day by day, so no day is billed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from hubport.billing.domain.money import cny
from hubport.billing.domain.tariff import TariffBook
from hubport.domain.hub_time import HUB_TIME


@dataclass(frozen=True)
class StorageDay:
    """One hub day of a stay: its number in the stay, its rate and the tariff's name."""

    day: date
    number: int
    rate: Decimal
    tariff: str

    @property
    def amount(self) -> Decimal:
        return cny(self.rate)


def hub_days(arrived: datetime, until: datetime) -> list[date]:
    """The hub days of a stay from ``arrived`` to ``until`` (both days included)."""
    first = arrived.astimezone(HUB_TIME).date()
    last = until.astimezone(HUB_TIME).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def storage_days(
    book: TariffBook,
    size: int,
    full: bool,
    customer: str | None,
    arrived: datetime,
    until: datetime,
) -> list[StorageDay]:
    """Every day of the stay with its rate (0 on free days)."""
    days = []
    for number, day in enumerate(hub_days(arrived, until), start=1):
        scale, tariff = book.storage(size, full, customer, day)
        days.append(StorageDay(day, number, scale.rate_on(number), tariff.name))
    return days


def storage_charge(days: list[StorageDay]) -> Decimal:
    return sum((d.amount for d in days), Decimal(0))


__all__ = ["StorageDay", "hub_days", "storage_charge", "storage_days"]
