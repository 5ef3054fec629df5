"""One handler per billing command.

A billing run folds the hub's events since the last run into charge lines (the domain's
``ChargeFold``), keeps the lines the ledger does not have yet, drafts each customer's
invoice of its unbilled lines and, when asked, issues the drafts. Its storage goes to
the end of ``until`` or of today (hub time), whichever is first: a day not begun is not
charged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hubport.billing.domain.charges import ChargeLine, day_start, hub_day
from hubport.billing.domain.invoice import (
    Invoice,
    InvoiceRefused,
    InvoiceState,
    draft,
    invoice_number,
)
from hubport.billing.domain.money import cny
from hubport.billing.services import commands
from hubport.billing.services.unit_of_work import BillingUnitOfWork, Payment
from hubport.services.clock import Clock


def _summary(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "number": invoice.number,
        "reference": invoice.reference,
        "document": invoice.document.value,
        "state": invoice.state.value,
        "customer": invoice.customer,
        "total_cny": str(invoice.total),
    }


def run_billing(
    command: commands.RunBilling, uow: BillingUnitOfWork, clock: Clock
) -> dict[str, Any]:
    uow.lock_ledger()
    now = clock.now()
    fold, cursor, runs = uow.load_fold()
    lines: list[ChargeLine] = []
    for chunk in uow.events_after(cursor, day_start(command.until + timedelta(days=1))):
        uow.load_facts(fold, {n for e in chunk if (n := e.event.container_number)})
        for logged in chunk:
            lines.extend(fold.apply(logged))
        cursor = chunk[-1].id
    lines.extend(fold.roll(min(command.until, hub_day(now))))
    new = uow.record(fold, cursor, runs + 1, lines)
    touched = _draft_unbilled(uow)
    invoices = [_issue(uow, d, now) for d in uow.drafts()] if command.issue else touched
    return {
        "until": command.until.isoformat(),
        "new_lines": len(new),
        "total_cny": str(sum((line.gross for line in new), Decimal("0.00"))),
        "invoices": [_summary(invoice) for invoice in invoices],
    }


def _draft_unbilled(uow: BillingUnitOfWork) -> list[Invoice]:
    """Each customer's unbilled lines onto its draft (a new one if it has none)."""
    drafts = {invoice.customer: invoice for invoice in uow.drafts()}
    touched = []
    for customer, lines in sorted(uow.unbilled().items()):
        before = drafts.get(customer)
        invoice_id = uow.new_invoice_id() if before is None else before.id
        made = draft(invoice_id, customer, lines, () if before is None else before.lines)
        uow.save_invoice(made, [line.key for line in lines])
        touched.append(made)
    return touched


def _issue(uow: BillingUnitOfWork, invoice: Invoice, now: datetime) -> Invoice:
    number = invoice_number(invoice.series, uow.next_number(invoice.series))
    days = uow.accounts.of(invoice.customer).payment_days
    issued = invoice.issue(number, hub_day(now), days)
    uow.save_invoice(issued)
    return issued


def issue_invoice(
    command: commands.IssueInvoice, uow: BillingUnitOfWork, clock: Clock
) -> dict[str, Any]:
    return _summary(_issue(uow, uow.invoice(command.draft), clock.now()))


def credit_invoice(
    command: commands.CreditInvoice, uow: BillingUnitOfWork, clock: Clock
) -> dict[str, Any]:
    invoice = uow.invoice(command.number)
    credited, note = invoice.credit(uow.new_invoice_id(), command.reason)
    uow.save_invoice(credited)
    uow.save_invoice(note)
    uow.release_lines(credited)
    issued = _issue(uow, note, clock.now())
    return {"credited": _summary(credited), "credit_note": _summary(issued)}


def record_payment(
    command: commands.RecordPayment, uow: BillingUnitOfWork, clock: Clock
) -> dict[str, Any]:
    amount = cny(command.amount)
    if amount <= 0:
        raise InvoiceRefused(f"a payment of CNY {amount} is not positive")
    if not command.reference.strip():
        raise InvoiceRefused("a payment names its reference (bank or receipt number)")
    invoice = None if command.invoice is None else uow.invoice(command.invoice)
    customer = invoice.customer if invoice is not None else command.customer
    if not customer:
        raise InvoiceRefused("a payment on account names its customer")
    if invoice is not None and command.customer and command.customer != invoice.customer:
        raise InvoiceRefused(
            f"invoice {invoice.number} is {invoice.customer}'s, not {command.customer}'s"
        )
    earlier = uow.payment(command.reference)
    payment = Payment(command.reference, customer, amount, command.invoice, clock.now())
    if earlier is not None:
        if (earlier.customer, earlier.amount, earlier.invoice) != (
            customer,
            amount,
            command.invoice,
        ):
            raise InvoiceRefused(
                f"payment {command.reference} is recorded already, for CNY {earlier.amount} "
                f"by {earlier.customer}"
            )
        return {
            "payment": command.reference,
            "customer": customer,
            "amount_cny": str(amount),
            "recorded": False,
        }
    if invoice is not None:
        paid = invoice.pay(amount)
        uow.save_invoice(paid)
    uow.add_payment(payment)
    state = None if invoice is None else paid.state.value
    return {
        "payment": command.reference,
        "customer": customer,
        "amount_cny": str(amount),
        "recorded": True,
        "invoice_state": state,
    }


Handler = Callable[[Any, BillingUnitOfWork, Clock], dict[str, Any]]

BILLING_HANDLERS: Mapping[type, Handler] = {
    commands.RunBilling: run_billing,
    commands.IssueInvoice: issue_invoice,
    commands.CreditInvoice: credit_invoice,
    commands.RecordPayment: record_payment,
}

__all__ = ["BILLING_HANDLERS", "InvoiceState"]
