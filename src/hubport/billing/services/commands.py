"""The billing commands: a billing run, and what the billing office does with invoices
and payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hubport.services.commands import Command


@dataclass(frozen=True)
class RunBilling(Command):
    """Charge every chargeable hub event up to the end of hub day ``until``, draft each
    customer's invoice of its unbilled lines, and with ``issue`` issue the drafts."""

    until: date
    issue: bool = False


@dataclass(frozen=True)
class IssueInvoice(Command):
    """Issue a draft (by its id): it takes the next number of its series."""

    draft: int


@dataclass(frozen=True)
class CreditInvoice(Command):
    """Reverse an issued invoice by a credit note; its lines are invoiced anew."""

    number: str
    reason: str


@dataclass(frozen=True)
class RecordPayment(Command):
    """A payment received: on an invoice (``invoice``) or on a customer's account."""

    reference: str
    amount: Decimal
    invoice: str | None = None
    customer: str | None = None
