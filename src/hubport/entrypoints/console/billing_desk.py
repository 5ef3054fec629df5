"""The console's billing desk: unbilled charges by customer, the drafts, the issued
invoices, the payments, and the receivables by customer with their ageing (a plot of
the balances); and a box's charges to date, which a shipper sees for its own boxes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from hubport.billing.bootstrap import BillingDesk
from hubport.billing.domain.charges import hub_day
from hubport.domain.access import User
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.entrypoints.console import charts
from hubport.entrypoints.console.pages import page
from hubport.entrypoints.console.session import allow_page

router = APIRouter(prefix="/console", include_in_schema=False)
#: Who keeps the books, and who reads them.
OFFICE = ("billing", "operator", "viewer", "admin")


def _desk(request: Request) -> BillingDesk:
    desk: BillingDesk = request.app.state.billing
    return desk


@router.get("/billing")
def billing_desk(
    request: Request, user: Annotated[User, Depends(allow_page(*OFFICE))]
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
    )


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
