"""Charge lines and invoices to and from their rows (money as decimal text)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from hubport.billing.domain.charges import ChargeLine
from hubport.billing.domain.invoice import Document, Invoice, InvoiceLine, InvoiceState


def charge_row(line: ChargeLine, run: int) -> dict[str, Any]:
    return {
        "key": line.key,
        "box": line.box,
        "customer": line.customer,
        "kind": line.kind,
        "day": line.day,
        "rate": str(line.rate),
        "quantity": str(line.quantity),
        "amount": str(line.amount),
        "vat": str(line.vat),
        "tariff": line.tariff,
        "event_id": line.event_id,
        "run": run,
    }


def charge_line(row: Row[Any]) -> ChargeLine:
    return ChargeLine(
        row.key,
        row.box,
        row.customer,
        row.kind,
        row.day,
        Decimal(row.rate),
        Decimal(row.quantity),
        Decimal(row.amount),
        Decimal(row.vat),
        row.tariff,
        row.event_id,
    )


def line_row(invoice_id: int, position: int, line: InvoiceLine) -> dict[str, Any]:
    return {
        "invoice": invoice_id,
        "position": position,
        "charge": line.charge,
        "box": line.box,
        "kind": line.kind,
        "day": line.day,
        "rate": str(line.rate),
        "quantity": str(line.quantity),
        "amount": str(line.amount),
        "vat": str(line.vat),
    }


def invoice_from_rows(
    row: Row[Any], lines: Sequence[Row[Any]], credits: str | None = None
) -> Invoice:
    return Invoice(
        row.id,
        row.customer,
        Document(row.document),
        InvoiceState(row.state),
        tuple(
            InvoiceLine(
                line.charge,
                line.box,
                line.kind,
                line.day,
                Decimal(line.rate),
                Decimal(line.quantity),
                Decimal(line.amount),
                Decimal(line.vat),
            )
            for line in lines
        ),
        row.number,
        row.issued_on,
        row.due_on,
        Decimal(row.paid_cny),
        credits,
        row.reason,
    )


__all__ = ["charge_line", "charge_row", "invoice_from_rows", "line_row"]
