"""The lines' accounts departments pay an invoice in full once its day has come, each
invoice on a day drawn from the seed (the same run pays the same days), and only once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.twin.client import PlatformRefused
from hubport.twin.client_billing import OpenInvoice
from hubport.twin.world_payments import PAY_AFTER_DAYS, LinesPay

ISSUED = date(2026, 12, 7)


class Ledger:
    """The platform's open invoices, as the world's client reads and pays them."""

    def __init__(self) -> None:
        self.open = {
            f"HP-{n:06d}": OpenInvoice(
                f"HP-{n:06d}", "COS", ISSUED, ISSUED + timedelta(days=30), Decimal("100.50")
            )
            for n in range(1, 21)
        }
        self.payments: list[tuple[str, Decimal]] = []

    def open_invoices(self) -> list[OpenInvoice]:
        return list(self.open.values())

    def pay_invoice(self, number: str, amount: Decimal, reference: str) -> None:
        if number not in self.open:
            raise PlatformRefused(409, "invoice_refused", "paid already")
        self.payments.append((number, amount))
        del self.open[number]


def _days(seed: int) -> dict[str, int]:
    ledger = Ledger()
    payers = LinesPay(ledger, seed)  # type: ignore[arg-type]
    paid_on = {}
    for day in range(40):
        now = datetime(2026, 12, 7, 10, tzinfo=HUB_TIME) + timedelta(days=day)
        payers._look(now)
        for number in payers.paid:
            paid_on.setdefault(number, day)
    assert [amount for _, amount in ledger.payments] == [Decimal("100.50")] * 20
    assert len(ledger.payments) == len({number for number, _ in ledger.payments})
    return paid_on


def test_each_invoice_is_paid_in_full_once_on_its_seeded_day() -> None:
    first, again = _days(7), _days(7)
    assert first == again and len(first) == 20
    low, high = PAY_AFTER_DAYS
    assert all(low <= days <= high + 20 for days in first.values())
    assert _days(8) != first
