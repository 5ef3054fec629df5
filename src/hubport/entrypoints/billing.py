"""``hubport billing`` and ``hubport invoice``: the billing office at the command line.

``billing run`` charges the hub's events up to a day and drafts (``--issue``: issues) the
invoices, writing each one's PDF and UBL; ``billing reconcile`` sets the ledger beside the
charges recomputed from the event log; ``billing preview`` shows a box's charges to a
day; ``invoice list|show|issue|credit|pay`` work on the invoices.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hubport.domain.errors import HubportError
from hubport.entrypoints.billing_views import box_charges_json, invoice_json

if TYPE_CHECKING:
    from hubport.billing.bootstrap import BillingDesk
    from hubport.billing.domain.invoice import Invoice
    from hubport.bootstrap import Hub

billing_app = typer.Typer(
    help="Billing: charge the hub's events, invoice, reconcile.", no_args_is_help=True
)
invoice_app = typer.Typer(help="Invoices: list, show, issue, credit, pay.", no_args_is_help=True)
console = Console()

AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]
Out = Annotated[
    Path | None,
    typer.Option("--out", help="folder for the PDF and UBL files (default HUBPORT_INVOICE_DIR)"),
]


@contextmanager
def _desk() -> Iterator[tuple[Hub, BillingDesk]]:
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        yield hub, hub.billing()
    finally:
        hub.close()


def _day(text: str, name: str = "--until") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HubportError(f"{name} {text!r} is not a day such as 2026-12-07") from None


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise HubportError(f"--amount {text!r} is not an amount such as 1234.50") from None
    if not amount.is_finite():
        raise HubportError(f"--amount {text!r} is not an amount such as 1234.50")
    return amount


def _files(hub: Hub, desk: BillingDesk, invoice: Invoice, out: Path | None) -> dict[str, str]:
    from hubport.billing.adapters.invoice_files import write_invoice_files

    written = write_invoice_files(invoice, desk.accounts, out or hub.settings.invoice_root)
    return {"pdf": str(written.pdf), "ubl": str(written.ubl)}


def _entry(
    hub: Hub, desk: BillingDesk, summary: dict[str, Any], out: Path | None
) -> dict[str, Any]:
    invoice = desk.queries.invoice(summary["reference"])
    return {
        "number": summary["reference"],
        "customer": invoice.customer,
        "state": invoice.state.value,
        "document": invoice.document.value,
        "total_cny": str(invoice.total),
        **_files(hub, desk, invoice, out),
    }


@billing_app.command("run")
def run(
    until: Annotated[str, typer.Option("--until", help="bill up to the end of this hub day")],
    issue: Annotated[bool, typer.Option("--issue", help="issue the drafts")] = False,
    out: Out = None,
    as_json: AsJson = False,
) -> None:
    """Charge every chargeable event up to the end of UNTIL, draft each customer's invoice
    of its unbilled lines and, with --issue, issue them (numbered, PDF and UBL)."""
    from hubport.billing.services.commands import RunBilling

    day = _day(until)
    with _desk() as (hub, desk):
        result = desk.bus.handle(RunBilling(day, issue)).result
        invoices = [_entry(hub, desk, summary, out) for summary in result["invoices"]]
    report = {
        "until": day.isoformat(),
        "new_lines": result["new_lines"],
        "total_cny": result["total_cny"],
        "invoices": invoices,
    }
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    console.print(
        f"billed to {day}: [bold]{report['new_lines']}[/] new lines, CNY {report['total_cny']}"
    )
    _invoice_table([(i["number"], i["customer"], i["state"], i["total_cny"]) for i in invoices])


@billing_app.command("reconcile")
def reconcile(as_json: AsJson = False) -> None:
    """The ledger's total against the charges recomputed from the event log (gross CNY)."""
    with _desk() as (_, desk):
        found = desk.queries.reconcile()
    report = {
        "ledger_cny": str(found.ledger),
        "recomputed_cny": str(found.recomputed),
        "invoiced_cny": str(found.invoiced),
        "unbilled_cny": str(found.unbilled),
        "lines": found.lines,
        "equal": found.ledger == found.recomputed,
    }
    if as_json:
        print(json.dumps(report))
        return
    mark = "[green]equal[/]" if report["equal"] else "[red]DIFFERENT[/]"
    console.print(f"ledger CNY {found.ledger}, recomputed CNY {found.recomputed}: {mark}")


@billing_app.command("preview")
def preview(
    box: Annotated[str, typer.Option("--box", help="the box's number")],
    until: Annotated[str, typer.Option("--until", help="charges to the end of this hub day")],
    as_json: AsJson = False,
) -> None:
    """A box's charges to a day: those billed, and those its history adds since."""
    from hubport.domain.container import ContainerNumber

    number = ContainerNumber(box).value
    with _desk() as (_, desk):
        found = desk.queries.box(number, _day(until))
    if as_json:
        print(json.dumps(box_charges_json(found)))
        return
    rows = [(line, True) for line in found.billed] + [(line, False) for line in found.unbilled]
    table = Table("day", "charge", "payer", "net CNY", "VAT", "billed")
    for line, billed in rows:
        table.add_row(
            str(line.day),
            line.kind,
            line.customer,
            str(line.amount),
            str(line.vat),
            "yes" if billed else "not yet",
        )
    console.print(table)
    console.print(f"{number} to {found.until}: CNY {found.total} with VAT")


@billing_app.command("pay")
def pay_on_account(
    customer: Annotated[str, typer.Option("--customer", help="who paid")],
    amount: Annotated[str, typer.Option("--amount", help="CNY")],
    reference: Annotated[str, typer.Option("--reference", help="bank or receipt number")],
    as_json: AsJson = False,
) -> None:
    """A payment on a customer's account (not on one invoice): it frees its boxes at once."""
    from hubport.billing.services.commands import RecordPayment

    command = RecordPayment(reference, _amount(amount), customer=customer)
    _send(command, as_json)


@billing_app.command("revenue")
def revenue(
    since: Annotated[str, typer.Option("--since", help="first hub day")],
    until: Annotated[str, typer.Option("--until", help="last hub day")],
    as_json: AsJson = False,
) -> None:
    """The ledger's revenue (net of VAT) by kind over the days [SINCE, UNTIL]."""
    with _desk() as (_, desk):
        found = desk.queries.revenue_by_kind(_day(since, "--since"), _day(until))
    total = sum(found.values(), Decimal("0.00"))
    if as_json:
        shown = {kind: str(amount) for kind, amount in found.items()}
        print(json.dumps({"by_kind": shown, "total_cny": str(total)}))
        return
    table = Table("charge", "net CNY", "share")
    for kind, amount in found.items():
        share = f"{100 * amount / total:.1f} %" if total else "-"
        table.add_row(kind, f"{amount:,.2f}", share)
    table.add_row("total", f"{total:,.2f}", "")
    console.print(table)


@billing_app.command("receivables")
def receivables(as_json: AsJson = False) -> None:
    """Each customer's charges, payments, balance, unbilled lines and overdue by age."""
    from hubport.billing.domain.charges import hub_day
    from hubport.domain.hub_time import HUB_TIME

    with _desk() as (hub, desk):
        today = hub_day(hub.bus.clock.now().astimezone(HUB_TIME))
        found = desk.queries.receivables(today)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "customer": r.customer,
                        "charged_cny": str(r.charged),
                        "paid_cny": str(r.paid),
                        "balance_cny": str(r.balance),
                        "unbilled_cny": str(r.unbilled),
                        "ageing": {k: str(v) for k, v in r.ageing.items()},
                    }
                    for r in found
                ]
            )
        )
        return
    table = Table("customer", "charged", "paid", "balance", "unbilled", "overdue 1-30", "31+")
    for r in found:
        late = r.ageing["31-60"] + r.ageing["61-90"] + r.ageing["90+"]
        table.add_row(
            r.customer,
            str(r.charged),
            str(r.paid),
            str(r.balance),
            str(r.unbilled),
            str(r.ageing["1-30"]),
            str(late),
        )
    console.print(table)


def _send(
    command: Any, as_json: bool, then: Callable[[dict[str, Any]], None] | None = None
) -> None:
    from hubport.entrypoints.bus_cli import print_result

    with _desk() as (_, desk):
        result = desk.bus.handle(command).result
    print_result(result, as_json)
    if then is not None:
        then(result)


def _invoice_table(rows: list[tuple[str, str, str, str]]) -> None:
    table = Table("invoice", "customer", "state", "total CNY")
    for row in rows:
        table.add_row(*row)
    console.print(table)


@invoice_app.command("list")
def list_invoices(
    customer: Annotated[str | None, typer.Option(help="one customer's")] = None,
    state: Annotated[str | None, typer.Option(help="draft, issued, partly_paid, paid")] = None,
    as_json: AsJson = False,
) -> None:
    """The invoices and credit notes, newest first."""
    with _desk() as (_, desk):
        found = desk.queries.invoices(customer, state)
    if as_json:
        print(json.dumps([invoice_json(invoice, lines=False) for invoice in found]))
        return
    _invoice_table([(i.reference, i.customer, i.state.value, str(i.total)) for i in found])


@invoice_app.command("show")
def show(
    number: Annotated[str, typer.Argument(help="its number, or DRAFT-<id>")],
    out: Out = None,
    as_json: AsJson = False,
) -> None:
    """One invoice with its lines; its PDF and UBL written again."""
    with _desk() as (hub, desk):
        invoice = desk.queries.invoice(number)
        files = _files(hub, desk, invoice, out)
    if as_json:
        print(json.dumps({**invoice_json(invoice), **files}, ensure_ascii=False))
        return
    console.print(
        f"{invoice.reference} {invoice.document.value} for {invoice.customer}: "
        f"{invoice.state.value}, CNY {invoice.total} ({len(invoice.lines)} lines); "
        f"{files['pdf']}, {files['ubl']}"
    )


@invoice_app.command("issue")
def issue(
    draft: Annotated[str, typer.Argument(help="the draft, DRAFT-<id>")],
    out: Out = None,
    as_json: AsJson = False,
) -> None:
    """Issue a draft: it takes the next number of its series."""
    from hubport.billing.services.commands import IssueInvoice

    text = draft.upper().removeprefix("DRAFT-")
    if not text.isdigit():
        raise HubportError(f"{draft!r} is not a draft: DRAFT-<id>")
    with _desk() as (hub, desk):
        summary = desk.bus.handle(IssueInvoice(int(text))).result
        entry = _entry(hub, desk, summary, out)
    _print(entry, as_json)


@invoice_app.command("credit")
def credit(
    number: Annotated[str, typer.Argument(help="the issued invoice")],
    reason: Annotated[str, typer.Option(help="why it is reversed")],
    out: Out = None,
    as_json: AsJson = False,
) -> None:
    """Reverse an issued invoice by a credit note; its lines go to the next invoice."""
    from hubport.billing.services.commands import CreditInvoice

    with _desk() as (hub, desk):
        result = desk.bus.handle(CreditInvoice(number, reason)).result
        entry = _entry(hub, desk, result["credit_note"], out)
    _print({"credited": number, "credit_note": entry}, as_json)


@invoice_app.command("pay")
def pay(
    number: Annotated[str, typer.Argument(help="the issued invoice")],
    amount: Annotated[str, typer.Option("--amount", help="CNY")],
    reference: Annotated[str, typer.Option("--reference", help="bank or receipt number")],
    as_json: AsJson = False,
) -> None:
    """A payment on an invoice (in part or in full); recorded once per reference."""
    from hubport.billing.services.commands import RecordPayment

    _send(RecordPayment(reference, _amount(amount), invoice=number), as_json)


def _print(result: dict[str, Any], as_json: bool) -> None:
    from hubport.entrypoints.bus_cli import print_result

    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print_result(result, False)


__all__ = ["billing_app", "invoice_app"]
