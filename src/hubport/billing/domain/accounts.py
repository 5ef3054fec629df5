"""Customers' accounts: cash or credit terms, and who may take a box out of the hub.

The rule at the out-gate (docs/billing.md): a box may leave when what its payer owes,
with the box's own charges to the leaving date not yet billed, is settled (nothing
owed, or prepaid on account); or when the payer is on credit terms and that sum is
within its credit limit. The refusal names the amount and the payer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from hubport.billing.domain.money import cny
from hubport.domain.errors import HubportError


class Terms(StrEnum):
    CASH = "cash"
    CREDIT = "credit"


class AccountError(HubportError):
    """An account file with terms or a limit that make no sense."""


@dataclass(frozen=True)
class Account:
    customer: str
    name: str
    terms: Terms = Terms.CASH
    credit_limit: Decimal = Decimal(0)
    #: Days from issue to due date.
    payment_days: int = 0
    tax_id: str = ""
    address: str = ""

    def __post_init__(self) -> None:
        if self.credit_limit < 0 or self.payment_days < 0:
            raise AccountError(f"account {self.customer}: a negative limit or payment days")
        if self.terms is Terms.CASH and self.credit_limit:
            raise AccountError(f"account {self.customer}: a cash account has no credit limit")


@dataclass(frozen=True)
class Unsettled:
    """Why a box may not leave: ``amount`` CNY owed by ``payer``."""

    payer: str
    amount: Decimal
    terms: Terms
    credit_limit: Decimal

    def reason(self, box: str) -> str:
        if self.terms is Terms.CREDIT:
            return (
                f"box {box}: {self.payer} owes CNY {self.amount}, beyond its credit limit "
                f"of CNY {self.credit_limit}"
            )
        return f"box {box}: {self.payer} owes CNY {self.amount}, to be paid before it leaves"


@dataclass(frozen=True)
class AccountBook:
    accounts: Mapping[str, Account] = field(default_factory=dict)
    #: The terms of a customer without an account of its own.
    default: Account = Account("*", "walk-in customer")
    #: Who issues the invoices.
    supplier: Account = Account("HUB", "hub operator")

    def of(self, customer: str) -> Account:
        found = self.accounts.get(customer)
        if found is not None:
            return found
        return Account(
            customer,
            customer,
            self.default.terms,
            self.default.credit_limit,
            self.default.payment_days,
        )

    def unsettled(self, customer: str, owed: Decimal) -> Unsettled | None:
        """None when a box of ``customer`` may leave with ``owed`` CNY on its account
        (positive: owed; negative: prepaid)."""
        account = self.of(customer)
        owed = cny(owed)
        if owed <= 0:
            return None
        if account.terms is Terms.CREDIT and owed <= account.credit_limit:
            return None
        return Unsettled(customer, owed, account.terms, account.credit_limit)


__all__ = ["Account", "AccountBook", "AccountError", "Terms", "Unsettled"]
