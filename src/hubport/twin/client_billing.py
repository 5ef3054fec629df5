"""The billing calls of the world's HTTP client: the shipping lines' accounts departments
read the hub's open invoices and pay them over ``/api/billing`` (a part of
``HttpHubClient``; the in-process client's are in ``inprocess_client/billing.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

#: The open states of an issued invoice.
OPEN = ("issued", "partly_paid")


@dataclass(frozen=True)
class OpenInvoice:
    """An issued invoice not yet paid in full, as a customer's accounts department sees it."""

    number: str
    customer: str
    issued_on: date
    due_on: date
    open_cny: Decimal


def open_invoice_of(answer: dict[str, Any]) -> OpenInvoice:
    return OpenInvoice(
        answer["number"],
        answer["customer"],
        date.fromisoformat(answer["issued_on"]),
        date.fromisoformat(answer["due_on"]),
        Decimal(answer["total_cny"]) - Decimal(answer["paid_cny"]),
    )


class BillingOverHttp:
    """Mixed into ``HttpHubClient``: it gives ``_ok``."""

    def _ok(
        self, method: str, path: str, role: str, body: Any = None, key: str | None = None
    ) -> Any:
        raise NotImplementedError

    def open_invoices(self) -> list[OpenInvoice]:
        found: list[OpenInvoice] = []
        for state in OPEN:
            answer = self._ok("GET", f"/api/billing/invoices?state={state}", "billing")
            found.extend(open_invoice_of(i) for i in answer if i["document"] == "invoice")
        return found

    def pay_invoice(self, number: str, amount: Decimal, reference: str) -> None:
        body = {"reference": reference, "amount_cny": str(amount), "invoice": number}
        self._ok("POST", "/api/billing/payments", "billing", body)


__all__ = ["OPEN", "BillingOverHttp", "OpenInvoice", "open_invoice_of"]
