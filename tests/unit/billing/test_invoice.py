"""Invoices: issued from a draft only, paid in part then in full and never beyond,
credited by a note of the same lines and total; totals are sums of rounded lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubport.billing.domain.charges import ChargeLine
from hubport.billing.domain.invoice import InvoiceRefused, InvoiceState, draft
from hubport.billing.domain.money import cny

DAY = date(2026, 12, 1)


def _line(key: str, rate: str, quantity: str = "1") -> ChargeLine:
    amount = cny(Decimal(rate) * Decimal(quantity))
    return ChargeLine(
        key,
        "MSKU1234565",
        "MSK",
        "discharge_wagon",
        DAY,
        Decimal(rate),
        Decimal(quantity),
        amount,
        cny(amount * Decimal("0.06")),
        "general 2026",
        1,
    )


def test_an_invoice_is_issued_once_from_its_draft_with_its_due_date() -> None:
    invoice = draft(1, "MSK", [_line("1:a", "200"), _line("2:a", "120")])
    issued = invoice.issue("HP-000001", DAY, 30)
    assert (issued.state, issued.due_on, issued.total) == (
        InvoiceState.ISSUED,
        date(2026, 12, 31),
        Decimal("339.20"),
    )
    with pytest.raises(InvoiceRefused, match="not a draft"):
        issued.issue("HP-000002", DAY, 30)
    with pytest.raises(InvoiceRefused, match="no lines"):
        draft(2, "MSK", []).issue("HP-000002", DAY, 30)


def test_payments_make_an_invoice_partly_paid_then_paid_and_never_beyond() -> None:
    issued = draft(1, "MSK", [_line("1:a", "200")]).issue("HP-000001", DAY, 0)
    with pytest.raises(InvoiceRefused, match="not payable"):
        draft(1, "MSK", [_line("1:a", "200")]).pay(Decimal(1))
    part = issued.pay(Decimal("12.005"))  # rounded to the fen, half up
    assert (part.state, part.paid, part.open_amount) == (
        InvoiceState.PARTLY_PAID,
        Decimal("12.01"),
        Decimal("199.99"),
    )
    with pytest.raises(InvoiceRefused, match="more than"):
        part.pay(Decimal("200"))
    assert part.pay(Decimal("199.99")).state is InvoiceState.PAID


def test_a_credit_note_has_the_invoice_s_lines_and_total() -> None:
    issued = draft(1, "MSK", [_line("1:a", "200"), _line("7:r", "6.5", "13.25")]).issue(
        "HP-000001", DAY, 30
    )
    credited, note = issued.credit(2, "wrong payer")
    assert credited.state is InvoiceState.CREDITED
    assert (note.lines, note.total, note.credits, note.series) == (
        issued.lines,
        issued.total,
        "HP-000001",
        "CN",
    )
    with pytest.raises(InvoiceRefused, match="states its reason"):
        issued.credit(3, " ")


@given(st.lists(st.tuples(st.decimals("0", "9999.99", places=2), st.integers(1, 48)), max_size=30))
def test_a_total_is_the_sum_of_its_rounded_lines(rates: list[tuple[Decimal, int]]) -> None:
    lines = [_line(f"{n}:k", str(rate), str(hours)) for n, (rate, hours) in enumerate(rates)]
    invoice = draft(1, "MSK", lines)
    assert invoice.total == sum((line.amount + line.vat for line in lines), Decimal(0))
    assert invoice.total == invoice.total.quantize(Decimal("0.01"))
