"""The exchange's delivery rules, as day counts: a delivery's deadlines follow from them.

Confirmed (DCE log futures contract, listed 18 November 2024): a lot is 90 m³; delivery on
the vehicle (车板交割) runs beside factory-warehouse delivery; the buyer pays in full on
the settlement day S. Taken from the issue's reading of the delivery rules, to be checked
against the exchange's current text: the goods at the site by S+3 calendar days at 13:30.
Assumed (no public text found here): the handover within 2 days of the arrival deadline,
the seller paid 80 % one day after the handover's day and the rest after 10 days, an
alarm 24 hours before a deadline. Every figure is a field of the site file's ``[rules]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.errors import SiteFileError


@dataclass(frozen=True)
class PaymentMilestone:
    """A part of the seller's payment: its share, due days after S."""

    name: str
    days_after_settlement: int
    share: Decimal


@dataclass(frozen=True)
class DeliveryRules:
    lot_m3: Decimal = Decimal(90)
    arrival_days_after_settlement: int = 3
    arrival_cutoff: time = time(13, 30)
    handover_days_after_arrival: int = 2
    payments: tuple[PaymentMilestone, ...] = (
        PaymentMilestone("first payment", 6, Decimal("0.8")),
        PaymentMilestone("final payment", 15, Decimal("0.2")),
    )
    alarm_before: timedelta = timedelta(hours=24)

    def __post_init__(self) -> None:
        if self.lot_m3 <= 0:
            raise SiteFileError(f"[rules] lot_m3 {self.lot_m3} must be positive")
        if sum((p.share for p in self.payments), Decimal(0)) != 1:
            raise SiteFileError("[rules] the payment shares must add up to 1")
        if self.arrival_days_after_settlement < 0 or self.handover_days_after_arrival < 0:
            raise SiteFileError("[rules] day counts must not be negative")

    def arrival_deadline(self, settlement_day: date) -> datetime:
        """When the goods must stand at the site: S + n calendar days, at the cut-off."""
        day = settlement_day + timedelta(days=self.arrival_days_after_settlement)
        return datetime.combine(day, self.arrival_cutoff, HUB_TIME)

    def handover_deadline(self, settlement_day: date) -> datetime:
        day = settlement_day + timedelta(
            days=self.arrival_days_after_settlement + self.handover_days_after_arrival
        )
        return datetime.combine(day, time(17, 0), HUB_TIME)

    def payment_due(self, settlement_day: date) -> list[tuple[PaymentMilestone, datetime]]:
        return [
            (
                milestone,
                datetime.combine(
                    settlement_day + timedelta(days=milestone.days_after_settlement),
                    time(15, 0),
                    HUB_TIME,
                ),
            )
            for milestone in self.payments
        ]


__all__ = ["DeliveryRules", "PaymentMilestone"]
