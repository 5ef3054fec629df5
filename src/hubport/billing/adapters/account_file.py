"""Reading the customers' accounts file (TOML: ``[default]`` and ``[[accounts]]`` with
their terms, credit limit and payment days); an error names the file and the entry."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hubport.adapters.toml_files import read_toml
from hubport.billing.domain.accounts import Account, AccountBook, AccountError, Terms

SHIPPED = "accounts.toml"


def read_accounts(path: Path | None = None) -> AccountBook:
    data, where = read_toml(path, SHIPPED, "accounts file", AccountError)
    default = _account(data.get("default", {}), "*", f"{where} [default]")
    accounts: dict[str, Account] = {}
    for index, entry in enumerate(data.get("accounts", []), start=1):
        place = f"{where} [[accounts]] #{index}"
        customer = entry.get("customer")
        if not isinstance(customer, str) or not customer:
            raise AccountError(f"{place}: missing 'customer'")
        if customer in accounts:
            raise AccountError(f"{place}: {customer} has an account already")
        accounts[customer] = _account(entry, customer, place)
    supplier = _account(data.get("supplier", {}), "HUB", f"{where} [supplier]")
    return AccountBook(accounts, default, supplier)


def _account(entry: dict[str, Any], customer: str, place: str) -> Account:
    try:
        terms = Terms(entry.get("terms", "cash"))
    except ValueError:
        raise AccountError(f"{place}: terms is cash or credit, not {entry['terms']!r}") from None
    try:
        limit = Decimal(str(entry.get("credit_limit", 0)))
        days = int(entry.get("payment_days", 0))
    except (InvalidOperation, ValueError):
        raise AccountError(f"{place}: credit_limit and payment_days are numbers") from None
    try:
        return Account(
            customer,
            str(entry.get("name", customer)),
            terms,
            limit,
            days,
            str(entry.get("tax_id", "")),
            str(entry.get("address", "")),
        )
    except AccountError as error:
        raise AccountError(f"{place}: {error}") from None


__all__ = ["read_accounts"]
