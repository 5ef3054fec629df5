"""Billing on the API (``/api/billing``): the billing office runs the billing, issues,
credits and records payments; it and the operator read the invoices, the receivables and
the reconciliation; a shipper reads its own invoices (JSON, PDF, UBL) and its boxes'
charges to date.

Every write is one command on the billing desk under the caller's name; a payment
carries its reference as its key, so the same payment again answers the same and is
recorded once."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hubport.billing.bootstrap import BillingDesk
from hubport.billing.domain.charges import hub_day
from hubport.billing.domain.invoice import Invoice
from hubport.billing.services import commands as billing
from hubport.domain.access import User
from hubport.domain.container import ContainerNumber
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubDay
from hubport.entrypoints.api.security import allow, authored
from hubport.entrypoints.billing_views import box_charges_json, invoice_files, invoice_json
from hubport.services.commands import Command

router = APIRouter(prefix="/api/billing", responses=ERROR_RESPONSES, tags=["billing"])

OFFICE = ("billing", "admin")
READERS = ("billing", "operator", "viewer", "admin")
CUSTOMERS = ("billing", "operator", "viewer", "admin", "shipper")

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
DraftId = Annotated[int, FastPath(ge=1, le=2**31 - 1)]
Number = Annotated[str, FastPath(min_length=1, max_length=24)]


class RunRequest(BaseModel):
    until: HubDay
    issue: bool = False


class CreditRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class PaymentRequest(BaseModel):
    reference: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._:/-]+$")
    amount_cny: Money
    invoice: str | None = Field(default=None, max_length=24)
    customer: str | None = Field(default=None, min_length=1, max_length=80)


def desk_of(request: Request) -> BillingDesk:
    desk: BillingDesk = request.app.state.billing
    return desk


def _send(request: Request, command: Command) -> dict[str, Any]:
    result: dict[str, Any] = desk_of(request).bus.handle(authored(request, command)).result
    return result


def _visible(request: Request, user: User, number: str) -> Invoice:
    """The invoice, or a 404 for a shipper whose it is not."""
    invoice = desk_of(request).queries.invoice(number)
    if user.role == "shipper" and invoice.customer != user.party:
        raise ApiError(404, "not_found", f"no invoice {number}")
    return invoice


@router.post("/runs")
def run(
    request: Request, body: RunRequest, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """Charge every chargeable event up to the end of ``until`` (hub time), draft each
    customer's invoice of its unbilled lines and, with ``issue``, issue them. A second
    run over the same period finds nothing new."""
    return _send(request, billing.RunBilling(body.until, body.issue))


@router.get("/invoices")
def invoices(
    request: Request,
    user: Annotated[User, Depends(allow(*CUSTOMERS))],
    customer: Annotated[str | None, Query(max_length=80)] = None,
    state: Annotated[
        str | None, Query(pattern="^(draft|issued|partly_paid|paid|credited)$")
    ] = None,
) -> list[dict[str, Any]]:
    """The invoices and credit notes, newest first (a shipper: its own)."""
    if user.role == "shipper":
        customer = user.party
    found = desk_of(request).queries.invoices(customer, state)
    return [invoice_json(invoice, lines=False) for invoice in found]


@router.get("/invoices/{number}")
def invoice(
    request: Request, number: Number, user: Annotated[User, Depends(allow(*CUSTOMERS))]
) -> dict[str, Any]:
    """One invoice with its lines, each naming the hub event it charges."""
    return invoice_json(_visible(request, user, number))


@router.get("/invoices/{number}/pdf", response_class=Response)
def invoice_pdf(
    request: Request, number: Number, user: Annotated[User, Depends(allow(*CUSTOMERS))]
) -> Response:
    """The invoice as a PDF."""
    found = _visible(request, user, number)
    pdf, _ = invoice_files(found, desk_of(request).accounts)
    return Response(pdf, media_type="application/pdf")


@router.get("/invoices/{number}/ubl", response_class=Response)
def invoice_ubl(
    request: Request, number: Number, user: Annotated[User, Depends(allow(*CUSTOMERS))]
) -> Response:
    """The invoice as UBL 2.1 XML."""
    found = _visible(request, user, number)
    _, ubl = invoice_files(found, desk_of(request).accounts)
    return Response(ubl, media_type="application/xml")


@router.post("/invoices/{draft}/issue")
def issue(
    request: Request, draft: DraftId, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """Issue a draft (by its id): it takes the next number of its series."""
    return _send(request, billing.IssueInvoice(draft))


@router.post("/invoices/{number}/credit")
def credit(
    request: Request,
    number: Number,
    body: CreditRequest,
    user: Annotated[User, Depends(allow(*OFFICE))],
) -> dict[str, Any]:
    """Reverse an issued invoice by a credit note; its lines go to the next invoice."""
    return _send(request, billing.CreditInvoice(number, body.reason))


@router.post("/payments")
def pay(
    request: Request, body: PaymentRequest, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """A payment received, on an invoice or on a customer's account; it frees the
    customer's boxes at the out-gate at once."""
    command = billing.RecordPayment(
        body.reference,
        body.amount_cny,
        invoice=body.invoice,
        customer=body.customer,
        idempotency_key=f"api:billing:payment:{body.reference}",
    )
    return _send(request, command)


@router.get("/boxes/{number}/charges")
def box_charges(
    request: Request,
    number: Annotated[str, FastPath(min_length=1, max_length=20)],
    user: Annotated[User, Depends(allow(*CUSTOMERS))],
    until: HubDay | None = None,
) -> dict[str, Any]:
    """A box's charges to the end of ``until`` (default: today, hub time): billed, and
    not yet billed. A shipper sees its own boxes' only."""
    box = ContainerNumber(number).value
    day = until or hub_day(request.app.state.hub.bus.clock.now())
    found = desk_of(request).queries.box(box, day)
    payers = {line.customer for line in found.billed + found.unbilled}
    if user.role == "shipper" and payers != {user.party}:
        raise ApiError(404, "not_found", f"no charges of {box} for {user.party}")
    return box_charges_json(found)


@router.get("/receivables")
def receivables(
    request: Request, user: Annotated[User, Depends(allow(*READERS))]
) -> list[dict[str, Any]]:
    """Each customer's charges, payments, balance, unbilled lines and overdue by age."""
    today = hub_day(request.app.state.hub.bus.clock.now())
    return [
        {
            "customer": r.customer,
            "charged_cny": str(r.charged),
            "paid_cny": str(r.paid),
            "balance_cny": str(r.balance),
            "unbilled_cny": str(r.unbilled),
            "ageing": {name: str(amount) for name, amount in r.ageing.items()},
        }
        for r in desk_of(request).queries.receivables(today)
    ]


@router.get("/reconcile")
def reconcile(request: Request, user: Annotated[User, Depends(allow(*READERS))]) -> dict[str, Any]:
    """The ledger against the charges recomputed from the event log (gross CNY)."""
    found = desk_of(request).queries.reconcile()
    return {
        "ledger_cny": str(found.ledger),
        "recomputed_cny": str(found.recomputed),
        "invoiced_cny": str(found.invoiced),
        "unbilled_cny": str(found.unbilled),
        "lines": found.lines,
    }


__all__ = ["router"]
