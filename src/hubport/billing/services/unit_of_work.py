"""The billing unit of work: the ledger a command reads and writes, kept until
``commit``. Billing runs one at a time: a run holds the ledger for its whole transaction
(``lock_ledger``), so two runs cannot both bill the same events."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Self

from hubport.billing.domain.accounts import AccountBook
from hubport.billing.domain.charges import ChargeFold, ChargeLine, LoggedEvent
from hubport.billing.domain.invoice import Invoice
from hubport.billing.domain.tariff import TariffBook
from hubport.services.unit_of_work import Cause, StoredResult


@dataclass(frozen=True)
class Payment:
    reference: str
    customer: str
    amount: Decimal
    invoice: str | None
    received_at: datetime


class BillingUnitOfWork(abc.ABC):
    book: TariffBook
    accounts: AccountBook
    exclusive: bool = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()

    def chained_events(self) -> list[Any]:
        return []

    # -- the fold's state ------------------------------------------------------------------

    @abc.abstractmethod
    def lock_ledger(self) -> None:
        """Hold the ledger for this transaction (one billing run at a time)."""

    @abc.abstractmethod
    def load_fold(self) -> tuple[ChargeFold, int, int]:
        """The fold's state as the last run left it, its cursor and the runs so far."""

    @abc.abstractmethod
    def events_after(self, cursor: int, before: datetime) -> Iterator[Sequence[LoggedEvent]]:
        """The hub's events after ``cursor`` in log order, in chunks, up to the first that
        occurred at or after ``before``."""

    @abc.abstractmethod
    def load_facts(self, fold: ChargeFold, numbers: Iterable[str]) -> None:
        """Bring the stored facts of ``numbers`` into ``fold`` (those it lacks)."""

    @abc.abstractmethod
    def record(
        self, fold: ChargeFold, cursor: int, run: int, lines: Sequence[ChargeLine]
    ) -> list[ChargeLine]:
        """Keep the fold's state and the lines not in the ledger yet; those lines."""

    # -- invoices ---------------------------------------------------------------------------

    @abc.abstractmethod
    def unbilled(self) -> dict[str, list[ChargeLine]]:
        """The ledger's lines on no invoice, by customer."""

    @abc.abstractmethod
    def drafts(self) -> list[Invoice]: ...

    @abc.abstractmethod
    def invoice(self, reference: str | int) -> Invoice:
        """An invoice by its number, or a draft by its id; InvoiceNotFound if none."""

    @abc.abstractmethod
    def new_invoice_id(self) -> int: ...

    @abc.abstractmethod
    def save_invoice(self, invoice: Invoice, lines_to: Iterable[str] = ()) -> None:
        """Store ``invoice`` (new or changed); ``lines_to`` are ledger keys it now holds."""

    @abc.abstractmethod
    def release_lines(self, invoice: Invoice) -> None:
        """The ledger lines of a credited invoice, on no invoice again."""

    @abc.abstractmethod
    def next_number(self, series: str) -> int:
        """The next number of ``series``, taken in this transaction (no gaps)."""

    # -- payments ---------------------------------------------------------------------------

    @abc.abstractmethod
    def payment(self, reference: str) -> Payment | None: ...

    @abc.abstractmethod
    def add_payment(self, payment: Payment) -> None: ...

    @abc.abstractmethod
    def find_result(self, idempotency_key: str) -> StoredResult | None: ...

    @abc.abstractmethod
    def commit(self, cause: Cause) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...
