"""The shipping lines' accounts departments in the world: each morning they read the
hub's open invoices and pay those whose day has come, through the platform's public
interfaces only.

A line pays an invoice in full some days after it is issued (``PAY_AFTER_DAYS``,
assumed: well within the 30 days of the shipped accounts' terms, now and then late), the
day drawn from the run's seed and the invoice's number, so a run reproduces. The
platform decides the rest: the invoice's state, the customer's balance, and whether its
boxes may leave.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from hubport.twin.client import HubClient, PlatformRefused

#: Days from an invoice's issue to its payment (assumed), and how often a line pays late.
PAY_AFTER_DAYS = (3, 12)
LATE_DAYS, LATE = 20, 0.05
#: The accounts departments look at 10:00 each day.
LOOKS_AT = timedelta(hours=4)  # after the traffic day's 06:00 start

Step = Callable[[datetime], datetime | None]
Schedule = Callable[[datetime, Step], None]


class LinesPay:
    def __init__(self, client: HubClient, seed: int):
        self.client, self.seed = client, seed
        self.paid: list[str] = []

    def delay_of(self, number: str) -> int:
        rng = random.Random(f"{self.seed}:{number}")
        days = rng.randint(*PAY_AFTER_DAYS)
        return days + LATE_DAYS if rng.random() < LATE else days

    def day(self, start: datetime, at: Schedule) -> None:
        at(start + LOOKS_AT, self._look)

    def _look(self, now: datetime) -> None:
        today = now.date()
        for invoice in self.client.open_invoices():
            if invoice.issued_on + timedelta(days=self.delay_of(invoice.number)) > today:
                continue
            try:
                self.client.pay_invoice(
                    invoice.number, invoice.open_cny, f"BANK-{invoice.number}-{today:%Y%m%d}"
                )
            except PlatformRefused:
                continue  # paid meanwhile (another look, another process): nothing to do
            self.paid.append(invoice.number)


__all__ = ["PAY_AFTER_DAYS", "LinesPay"]
