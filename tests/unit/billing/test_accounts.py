"""Who may take a box out: nothing owed or prepaid; on credit, within the limit; the
refusal names the payer and the amount. The shipped accounts file reads."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from hubport.billing.adapters.account_file import read_accounts
from hubport.billing.domain.accounts import Account, AccountBook, AccountError, Terms

BOOK = AccountBook(
    {"COS": Account("COS", "COSCO", Terms.CREDIT, Decimal(1000), 30)},
    Account("*", "walk-in"),
)


def test_a_cash_customer_leaves_only_when_nothing_is_owed() -> None:
    assert BOOK.unsettled("WALKIN", Decimal("-5")) is None
    assert BOOK.unsettled("WALKIN", Decimal(0)) is None
    refused = BOOK.unsettled("WALKIN", Decimal("373.124"))
    assert refused is not None
    assert refused.reason("MSKU1234565") == (
        "box MSKU1234565: WALKIN owes CNY 373.12, to be paid before it leaves"
    )


def test_a_credit_customer_leaves_within_its_limit() -> None:
    assert BOOK.unsettled("COS", Decimal(1000)) is None
    refused = BOOK.unsettled("COS", Decimal("1000.01"))
    assert refused is not None and "beyond its credit limit of CNY 1000" in refused.reason("B")


def test_the_shipped_accounts_read_and_a_bad_file_is_named(tmp_path: Path) -> None:
    shipped = read_accounts()
    assert shipped.of("COS").terms is Terms.CREDIT and shipped.of("nobody").terms is Terms.CASH
    bad = tmp_path / "accounts.toml"
    bad.write_text('[[accounts]]\ncustomer = "X"\nterms = "barter"\n')
    with pytest.raises(AccountError, match=r"\[\[accounts\]\] #1: terms is cash or credit"):
        read_accounts(bad)
