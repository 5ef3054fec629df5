"""Invoices: a draft collects a customer's unbilled charge lines; issued, it is numbered
and never changes again but for its payments; a credit note reverses an issued one
exactly (same lines, same total) and gives its lines back to be invoiced anew.

States: draft → issued → partly_paid → paid; issued or partly paid → credited. Totals
are sums of the lines' rounded amounts and VAT (``money.py``), so a total always equals
the sum of its lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from hubport.billing.domain.charges import ChargeLine
from hubport.billing.domain.money import cny
from hubport.domain.errors import HubportError

#: The invoice series and the credit notes' series; numbers run without gaps in each.
INVOICE_SERIES = "HP"
CREDIT_SERIES = "CN"


class InvoiceRefused(HubportError):
    """A step the invoice's state does not allow, or an amount that does not fit."""


class InvoiceNotFound(InvoiceRefused):
    """No invoice of that number (or draft of that id), or none the caller may see."""


class InvoiceState(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    CREDITED = "credited"


class Document(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class InvoiceLine:
    charge: str
    box: str
    kind: str
    day: date
    rate: Decimal
    quantity: Decimal
    amount: Decimal
    vat: Decimal

    @classmethod
    def of(cls, line: ChargeLine) -> InvoiceLine:
        return cls(
            line.key, line.box, line.kind, line.day, line.rate, line.quantity, line.amount, line.vat
        )


@dataclass(frozen=True)
class Invoice:
    id: int
    customer: str
    document: Document
    state: InvoiceState
    lines: tuple[InvoiceLine, ...]
    number: str | None = None
    issued_on: date | None = None
    due_on: date | None = None
    paid: Decimal = Decimal(0)
    #: A credit note's invoice (its number).
    credits: str | None = None
    reason: str = ""

    @property
    def series(self) -> str:
        return CREDIT_SERIES if self.document is Document.CREDIT_NOTE else INVOICE_SERIES

    @property
    def net(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.net + self.vat

    @property
    def open_amount(self) -> Decimal:
        if self.state in (InvoiceState.DRAFT, InvoiceState.CREDITED):
            return Decimal("0.00")
        return self.total - self.paid

    @property
    def reference(self) -> str:
        return self.number or f"DRAFT-{self.id}"

    def issue(self, number: str, on: date, payment_days: int) -> Invoice:
        if self.state is not InvoiceState.DRAFT:
            raise InvoiceRefused(f"invoice {self.reference} is {self.state.value}, not a draft")
        if not self.lines:
            raise InvoiceRefused(f"invoice {self.reference} has no lines")
        return dataclasses.replace(
            self,
            state=InvoiceState.ISSUED,
            number=number,
            issued_on=on,
            due_on=on + timedelta(days=payment_days),
        )

    def pay(self, amount: Decimal) -> Invoice:
        amount = cny(amount)
        if self.document is not Document.INVOICE:
            raise InvoiceRefused(f"{self.reference} is a credit note: it is not paid")
        if self.state not in (InvoiceState.ISSUED, InvoiceState.PARTLY_PAID):
            raise InvoiceRefused(f"invoice {self.reference} is {self.state.value}: not payable")
        if amount <= 0:
            raise InvoiceRefused(f"a payment of CNY {amount} is not positive")
        if amount > self.open_amount:
            raise InvoiceRefused(
                f"CNY {amount} is more than the CNY {self.open_amount} open on {self.reference}"
            )
        paid = self.paid + amount
        state = InvoiceState.PAID if paid == self.total else InvoiceState.PARTLY_PAID
        return dataclasses.replace(self, paid=paid, state=state)

    def credit(self, note_id: int, reason: str) -> tuple[Invoice, Invoice]:
        """This invoice credited, and the draft credit note that reverses it."""
        if self.document is not Document.INVOICE or self.state not in (
            InvoiceState.ISSUED,
            InvoiceState.PARTLY_PAID,
            InvoiceState.PAID,
        ):
            raise InvoiceRefused(
                f"{self.reference} is a {self.document.value} {self.state.value}: "
                "only an issued invoice is credited"
            )
        if not reason.strip():
            raise InvoiceRefused("a credit note states its reason")
        note = Invoice(
            note_id,
            self.customer,
            Document.CREDIT_NOTE,
            InvoiceState.DRAFT,
            self.lines,
            credits=self.number,
            reason=reason,
        )
        return dataclasses.replace(self, state=InvoiceState.CREDITED), note


def draft(
    invoice_id: int,
    customer: str,
    lines: Sequence[ChargeLine],
    held: Sequence[InvoiceLine] = (),
) -> Invoice:
    """A customer's draft of ``lines``, with the lines it ``held`` already."""
    merged = [*held, *(InvoiceLine.of(line) for line in lines)]
    ordered = sorted(merged, key=lambda line: (line.day, line.box, line.kind, line.charge))
    return Invoice(invoice_id, customer, Document.INVOICE, InvoiceState.DRAFT, tuple(ordered))


def invoice_number(series: str, sequence: int) -> str:
    return f"{series}-{sequence:06d}"


__all__ = [
    "CREDIT_SERIES",
    "INVOICE_SERIES",
    "Document",
    "Invoice",
    "InvoiceLine",
    "InvoiceNotFound",
    "InvoiceRefused",
    "InvoiceState",
    "draft",
    "invoice_number",
]
