"""The console's billing desk: unbilled charges by customer, the drafts, the issued
invoices, the payments, and the receivables by customer with their ageing (a plot of
the balances); and a box's charges to date, which a shipper sees for its own boxes.

The billing office issues a draft and records a payment from the desk: each one command
on the billing desk's bus, keyed by the form's nonce, so a form sent twice changes nothing
the second time; a refusal comes back on the desk with its reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hubport.billing.bootstrap import BillingDesk
from hubport.billing.domain.charges import hub_day
from hubport.billing.services.commands import IssueInvoice, RecordPayment
from hubport.domain.access import User
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.entrypoints.api.security import authored
from hubport.entrypoints.console import charts
from hubport.entrypoints.console.pages import error_of, page
from hubport.entrypoints.console.session import allow_page
from hubport.services.commands import Command

router = APIRouter(prefix="/console", include_in_schema=False)
#: Who keeps the books, and who reads them.
OFFICE = ("billing", "operator", "viewer", "admin")
#: Who issues and records payments.
CLERKS = ("billing", "admin")
Nonce = Annotated[str, Form(max_length=64)]


def _desk(request: Request) -> BillingDesk:
    desk: BillingDesk = request.app.state.billing
    return desk


@router.get("/billing")
def billing_desk(
    request: Request, user: Annotated[User, Depends(allow_page(*OFFICE))]
) -> HTMLResponse:
    return _desk_page(request, user)


def _desk_page(
    request: Request, user: User, error: dict[str, object] | None = None
) -> HTMLResponse:
    desk = _desk(request)
    today = hub_day(request.app.state.hub.bus.clock.now())
    invoices = desk.queries.invoices(limit=100)
    receivables = desk.queries.receivables(today)
    unbilled = desk.queries.unbilled_total()
    chart = charts.bar_chart([(r.customer[:8], float(r.balance)) for r in receivables])
    return page(
        request,
        user,
        "billing.html",
        today=today,
        unbilled=sorted(unbilled.items()),
        unbilled_total=sum(unbilled.values(), Decimal("0.00")),
        drafts=[i for i in invoices if i.state.value == "draft"],
        issued=[i for i in invoices if i.state.value != "draft"],
        payments=desk.queries.payments(),
        receivables=receivables,
        chart=chart,
        reconciled=desk.queries.reconcile(),
        may_act=user.role in CLERKS,
        error=error,
    )


def _at_desk(request: Request, user: User, command: Command) -> Response:
    try:
        _desk(request).bus.handle(authored(request, command))
    except HubportError as refused:
        found = error_of(refused)
        response = _desk_page(request, user, found)
        response.status_code = int(str(found["status"]))
        return response
    return RedirectResponse("/console/billing", status_code=303)


@router.post("/billing/drafts/{draft}/issue")
def issue_draft(
    request: Request,
    draft: int,
    user: Annotated[User, Depends(allow_page(*CLERKS))],
    nonce: Nonce = "",
) -> Response:
    """Issue a draft from the desk: it takes the next number of its series."""
    key = f"console:{user.name}:{nonce}" if nonce else None
    return _at_desk(request, user, IssueInvoice(draft, idempotency_key=key))


@router.post("/billing/payments")
def record_payment(
    request: Request,
    user: Annotated[User, Depends(allow_page(*CLERKS))],
    reference: Annotated[str, Form(min_length=1, max_length=80)],
    amount: Annotated[str, Form(max_length=20)],
    invoice: Annotated[str, Form(max_length=24)] = "",
    customer: Annotated[str, Form(max_length=80)] = "",
    nonce: Nonce = "",
) -> Response:
    """A payment received, on an invoice or on a customer's account."""
    try:
        paid = Decimal(amount.strip())
    except ArithmeticError:
        error = {"status": 400, "code": "invalid", "detail": f"{amount!r} is not an amount"}
        response = _desk_page(request, user, error)
        response.status_code = 400
        return response
    command = RecordPayment(
        reference.strip(),
        paid,
        invoice=invoice.strip() or None,
        customer=customer.strip() or None,
        idempotency_key=f"api:billing:payment:{reference.strip()}",
    )
    return _at_desk(request, user, command)


@router.get("/charges/{number}")
def box_charges(
    request: Request,
    number: str,
    user: Annotated[User, Depends(allow_page(*OFFICE, "shipper"))],
) -> HTMLResponse:
    """A box's charges to date: billed, and not yet billed."""
    today = hub_day(request.app.state.hub.bus.clock.now())
    found, error = None, None
    try:
        box = ContainerNumber(number).value
        found = _desk(request).queries.box(box, today)
        payers = {line.customer for line in found.billed + found.unbilled}
        if user.role == "shipper" and payers != {user.party}:
            found, error = None, f"no charges of {box} for {user.party}"
    except HubportError as refused:
        error = str(refused)
    response = page(request, user, "charges.html", number=number, found=found, error=error)
    if error is not None:
        response.status_code = 404
    return response


__all__ = ["OFFICE", "router"]
