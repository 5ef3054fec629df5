"""Wiring billing on a hub: its tariffs and accounts, its bus and its read side, and the
out-gate's question to the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from hubport.billing.adapters.account_file import read_accounts
from hubport.billing.adapters.queries import BillingQueries, payment_refusal
from hubport.billing.adapters.sql_unit_of_work import SqlBillingUnitOfWork
from hubport.billing.adapters.tariff_file import read_tariff_book
from hubport.billing.domain.accounts import AccountBook
from hubport.billing.domain.tariff import TariffBook
from hubport.billing.services.handlers import BILLING_HANDLERS
from hubport.billing.services.unit_of_work import BillingUnitOfWork
from hubport.config import Settings
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import PaymentCheck

if TYPE_CHECKING:
    from hubport.bootstrap import Hub


@dataclass
class BillingDesk:
    """The billing office's commands (``bus``) and questions (``queries``)."""

    book: TariffBook
    accounts: AccountBook
    bus: MessageBus[BillingUnitOfWork]
    queries: BillingQueries


def billing_desk(hub: Hub) -> BillingDesk:
    """The desk on ``hub``'s store and clock, with the tariffs of ``HUBPORT_TARIFFS`` and
    the accounts of ``HUBPORT_ACCOUNTS`` (the shipped ones when unset)."""
    book = read_tariff_book(hub.settings.tariffs)
    accounts = read_accounts(hub.settings.accounts)
    engine = hub.engine

    def unit_of_work() -> BillingUnitOfWork:
        return SqlBillingUnitOfWork(engine, book, accounts)

    bus = hub.bus_for(unit_of_work, BILLING_HANDLERS)
    return BillingDesk(book, accounts, bus, BillingQueries(engine, book, accounts))


def gate_payment_check(settings: Settings) -> PaymentCheck:
    """The out-gate's question, answered from the ledger in the gate command's own
    transaction (``queries.payment_refusal``)."""
    book = read_tariff_book(settings.tariffs)
    accounts = read_accounts(settings.accounts)

    def check(connection: Connection, box: str, at: datetime) -> str | None:
        unsettled = payment_refusal(connection, book, accounts, box, at)
        return None if unsettled is None else unsettled.reason(box)

    return check


__all__ = ["BillingDesk", "billing_desk", "gate_payment_check"]
