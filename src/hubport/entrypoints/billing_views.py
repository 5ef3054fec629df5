"""Billing's answers as JSON and documents, shared by the command line, the API and the
console: an invoice with its lines, a box's charges to date, an invoice's PDF and UBL."""

from __future__ import annotations

from typing import Any

from hubport.billing.adapters.invoice_pdf import invoice_pdf
from hubport.billing.adapters.queries import BoxCharges
from hubport.billing.adapters.ubl import ubl_document
from hubport.billing.domain.accounts import AccountBook
from hubport.billing.domain.invoice import Invoice


def invoice_json(invoice: Invoice, lines: bool = True) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "number": invoice.reference,
        "id": invoice.id,
        "document": invoice.document.value,
        "customer": invoice.customer,
        "state": invoice.state.value,
        "issued_on": None if invoice.issued_on is None else invoice.issued_on.isoformat(),
        "due_on": None if invoice.due_on is None else invoice.due_on.isoformat(),
        "net_cny": str(invoice.net),
        "vat_cny": str(invoice.vat),
        "total_cny": str(invoice.total),
        "paid_cny": str(invoice.paid),
        "credits": invoice.credits,
        "reason": invoice.reason,
        "line_count": len(invoice.lines),
    }
    if lines:
        shown["lines"] = [
            {
                "charge": line.charge,
                "box": line.box,
                "kind": line.kind,
                "day": line.day.isoformat(),
                "quantity": str(line.quantity),
                "rate_cny": str(line.rate),
                "amount_cny": str(line.amount),
                "vat_cny": str(line.vat),
            }
            for line in invoice.lines
        ]
    return shown


def box_charges_json(found: BoxCharges) -> dict[str, Any]:
    rows = [(line, True) for line in found.billed] + [(line, False) for line in found.unbilled]
    return {
        "box": found.box,
        "until": found.until.isoformat(),
        "total_cny": str(found.total),
        "lines": [
            {
                "key": line.key,
                "kind": line.kind,
                "day": line.day.isoformat(),
                "customer": line.customer,
                "quantity": str(line.quantity),
                "amount_cny": str(line.amount),
                "vat_cny": str(line.vat),
                "billed": billed,
            }
            for line, billed in rows
        ],
    }


def invoice_files(invoice: Invoice, accounts: AccountBook) -> tuple[bytes, bytes]:
    """The invoice's PDF and UBL XML."""
    customer = accounts.of(invoice.customer)
    return (
        invoice_pdf(invoice, accounts.supplier, customer),
        ubl_document(invoice, accounts.supplier, customer),
    )


__all__ = ["box_charges_json", "invoice_files", "invoice_json"]
