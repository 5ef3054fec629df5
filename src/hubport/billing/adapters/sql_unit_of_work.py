"""The billing unit of work on the hub's store: one transaction per command.

On SQLite the transaction takes the write lock up front (BEGIN IMMEDIATE); on PostgreSQL
a billing run locks the ``billing_state`` row, an invoice number is taken by an UPDATE
of its series' row (the row lock makes a second issuer wait for the first's commit), and
an invoice is written only over the state it was read in (a concurrent writer's change
makes this one a ConcurrentUpdate, which the bus retries). Numbers therefore never skip
and never repeat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Self

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hubport.adapters.event_log import read_events
from hubport.adapters.times import utc
from hubport.billing.adapters import tables
from hubport.billing.adapters.ledger_rows import (
    charge_line,
    charge_row,
    invoice_from_rows,
    line_row,
)
from hubport.billing.domain.accounts import AccountBook
from hubport.billing.domain.charges import BoxFacts, ChargeFold, ChargeLine, LoggedEvent, Stay
from hubport.billing.domain.invoice import Invoice, InvoiceNotFound
from hubport.billing.domain.money import cny
from hubport.billing.domain.tariff import TariffBook
from hubport.billing.services.unit_of_work import BillingUnitOfWork, Payment
from hubport.domain.errors import ConcurrentUpdate
from hubport.services.sql_unit_of_work import commit_command, stored_result
from hubport.services.unit_of_work import Cause, StoredResult

CHUNK = 5000


class SqlBillingUnitOfWork(BillingUnitOfWork):
    def __init__(self, engine: Engine, book: TariffBook, accounts: AccountBook):
        self.engine = engine
        self.book = book
        self.accounts = accounts
        self._connection: Connection | None = None
        self._read: dict[int, Invoice] = {}

    def __enter__(self) -> Self:
        connection = self.engine.connect()
        if connection.dialect.name == "postgresql":
            # row locks order the writers (the ledger's row, a series' row); an invoice is
            # written over the state it was read in, or not at all
            connection = connection.execution_options(isolation_level="READ COMMITTED")
        self._connection = connection
        connection.begin()
        self._read = {}
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._connection

    # -- the fold's state ------------------------------------------------------------------

    def lock_ledger(self) -> None:
        table = tables.billing_state
        query = select(table).where(table.c.id == 1)
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update()
        if self.connection.execute(query).first() is None:
            self.connection.execute(insert(table).values(id=1, cursor=0, runs=0))

    def load_fold(self) -> tuple[ChargeFold, int, int]:
        state = self.connection.execute(
            select(tables.billing_state).where(tables.billing_state.c.id == 1)
        ).one()
        stays_table = tables.billing_stays
        stays = {
            row.arrival_id: Stay(
                row.arrival_id,
                row.box,
                utc(row.arrived_at),
                None if row.departed_at is None else utc(row.departed_at),
                row.billed_through,
            )
            for row in self.connection.execute(
                select(stays_table).where(stays_table.c.finished.is_(False))
            )
        }
        fold = ChargeFold(self.book, stays=stays, rolled_through=state.rolled_through)
        self.load_facts(fold, {stay.box for stay in stays.values()})
        return fold, state.cursor, state.runs

    def events_after(self, cursor: int, before: datetime) -> Iterator[Sequence[LoggedEvent]]:
        while True:
            chunk: list[LoggedEvent] = []
            for logged in read_events(self.connection, after=cursor, limit=CHUNK):
                if utc(logged.event.at) >= before:
                    if chunk:
                        yield chunk
                    return
                chunk.append(LoggedEvent(logged.id, logged.event))
            if not chunk:
                return
            yield chunk
            cursor = chunk[-1].id

    def load_facts(self, fold: ChargeFold, numbers: Iterable[str]) -> None:
        wanted = sorted(set(numbers) - set(fold.facts))
        table = tables.billing_boxes
        for start in range(0, len(wanted), 500):
            query = select(table).where(table.c.number.in_(wanted[start : start + 500]))
            for row in self.connection.execute(query):
                fold.facts[row.number] = BoxFacts(row.customer, row.size, row.full, row.reefer)

    def record(
        self, fold: ChargeFold, cursor: int, run: int, lines: Sequence[ChargeLine]
    ) -> list[ChargeLine]:
        connection = self.connection
        self._write_facts(fold)
        self._write_stays(fold)
        connection.execute(
            update(tables.billing_state)
            .where(tables.billing_state.c.id == 1)
            .values(cursor=cursor, rolled_through=fold.rolled_through, runs=run)
        )
        unique = {line.key: line for line in lines}
        known: set[str] = set()
        keys = sorted(unique)
        table = tables.charge_lines
        for start in range(0, len(keys), 500):
            query = select(table.c.key).where(table.c.key.in_(keys[start : start + 500]))
            known.update(connection.scalars(query))
        new = [unique[key] for key in keys if key not in known]
        if new:
            connection.execute(insert(table), [charge_row(line, run) for line in new])
            self._add_to_balances(new)
        return new

    def _write_facts(self, fold: ChargeFold) -> None:
        table = tables.billing_boxes
        numbers = sorted(fold.touched_boxes)
        stored: set[str] = set()
        for start in range(0, len(numbers), 500):
            query = select(table.c.number).where(table.c.number.in_(numbers[start : start + 500]))
            stored.update(self.connection.scalars(query))
        for number in numbers:
            facts = fold.facts[number]
            row = {
                "customer": facts.customer,
                "size": facts.size,
                "full": facts.full,
                "reefer": facts.reefer,
            }
            if number in stored:
                self.connection.execute(update(table).where(table.c.number == number).values(row))
            else:
                self.connection.execute(insert(table).values(number=number, **row))

    def _write_stays(self, fold: ChargeFold) -> None:
        table = tables.billing_stays
        ids = sorted(fold.touched_stays)
        stored: set[int] = set()
        for start in range(0, len(ids), 500):
            query = select(table.c.arrival_id).where(
                table.c.arrival_id.in_(ids[start : start + 500])
            )
            stored.update(self.connection.scalars(query))
        finished = fold.finished_stays
        for arrival_id in ids:
            stay = fold.stays.get(arrival_id) or finished[arrival_id]
            row = {
                "box": stay.box,
                "arrived_at": utc(stay.arrived),
                "departed_at": None if stay.departed is None else utc(stay.departed),
                "billed_through": stay.billed_through,
                "finished": stay.finished,
            }
            if arrival_id in stored:
                self.connection.execute(
                    update(table).where(table.c.arrival_id == arrival_id).values(row)
                )
            else:
                self.connection.execute(insert(table).values(arrival_id=arrival_id, **row))

    def _add_to_balances(self, lines: Sequence[ChargeLine]) -> None:
        by_customer: dict[str, Decimal] = {}
        for line in lines:
            by_customer[line.customer] = by_customer.get(line.customer, Decimal(0)) + line.gross
        for customer, amount in sorted(by_customer.items()):
            self._change_balance(customer, charged=amount)

    def _change_balance(
        self, customer: str, charged: Decimal = Decimal(0), paid: Decimal = Decimal(0)
    ) -> None:
        table = tables.customer_balances
        row = self.connection.execute(select(table).where(table.c.customer == customer)).first()
        if row is None:
            self.connection.execute(
                insert(table).values(
                    customer=customer, charged_cny=str(cny(charged)), paid_cny=str(cny(paid))
                )
            )
            return
        self.connection.execute(
            update(table)
            .where(table.c.customer == customer)
            .values(
                charged_cny=str(Decimal(row.charged_cny) + charged),
                paid_cny=str(Decimal(row.paid_cny) + paid),
            )
        )

    # -- invoices ---------------------------------------------------------------------------

    def unbilled(self) -> dict[str, list[ChargeLine]]:
        table = tables.charge_lines
        query = select(table).where(table.c.invoice.is_(None)).order_by(table.c.key)
        found: dict[str, list[ChargeLine]] = {}
        for row in self.connection.execute(query):
            found.setdefault(row.customer, []).append(charge_line(row))
        return found

    def drafts(self) -> list[Invoice]:
        table = tables.invoices
        query = select(table.c.id).where(table.c.state == "draft").order_by(table.c.id)
        return [self.invoice(invoice_id) for invoice_id in self.connection.scalars(query)]

    def invoice(self, reference: str | int) -> Invoice:
        table = tables.invoices
        if isinstance(reference, int):
            query = select(table).where(table.c.id == reference)
        else:
            query = select(table).where(table.c.number == reference)
        row = self.connection.execute(query).first()
        if row is None:
            what = f"draft {reference}" if isinstance(reference, int) else f"invoice {reference}"
            raise InvoiceNotFound(f"no {what}")
        lines = self.connection.execute(
            select(tables.invoice_lines)
            .where(tables.invoice_lines.c.invoice == row.id)
            .order_by(tables.invoice_lines.c.position)
        ).all()
        credits = None
        if row.credits is not None:
            credits = self.connection.scalar(
                select(table.c.number).where(table.c.id == row.credits)
            )
        invoice = invoice_from_rows(row, lines, credits)
        self._read[invoice.id] = invoice
        return invoice

    def new_invoice_id(self) -> int:
        table = tables.invoices
        highest = self.connection.scalar(select(func.max(table.c.id)))
        return int(highest or 0) + 1

    def save_invoice(self, invoice: Invoice, lines_to: Iterable[str] = ()) -> None:
        connection = self.connection
        table = tables.invoices
        row = {
            "number": invoice.number,
            "series": invoice.series,
            "document": invoice.document.value,
            "customer": invoice.customer,
            "state": invoice.state.value,
            "issued_on": invoice.issued_on,
            "due_on": invoice.due_on,
            "net_cny": str(invoice.net),
            "vat_cny": str(invoice.vat),
            "total_cny": str(invoice.total),
            "paid_cny": str(invoice.paid),
            "reason": invoice.reason,
        }
        before = self._read.get(invoice.id)
        if before is None:
            credits = None
            if invoice.credits is not None:
                credits = connection.scalar(
                    select(table.c.id).where(table.c.number == invoice.credits)
                )
            try:
                connection.execute(
                    insert(table).values(
                        id=invoice.id, created_at=datetime.now(UTC), credits=credits, **row
                    )
                )
            except IntegrityError:
                raise ConcurrentUpdate(f"invoice {invoice.id} was made meanwhile") from None
        else:
            changed = connection.execute(
                update(table)
                .where(
                    table.c.id == invoice.id,
                    table.c.state == before.state.value,
                    table.c.paid_cny == str(before.paid),
                )
                .values(row)
            )
            if changed.rowcount != 1:
                raise ConcurrentUpdate(f"invoice {before.reference} changed meanwhile")
        if before is None or before.lines != invoice.lines:
            lines = tables.invoice_lines
            connection.execute(lines.delete().where(lines.c.invoice == invoice.id))
            connection.execute(
                insert(lines),
                [line_row(invoice.id, n, line) for n, line in enumerate(invoice.lines, start=1)],
            )
        keys = list(lines_to)
        charges = tables.charge_lines
        for start in range(0, len(keys), 500):
            connection.execute(
                update(charges)
                .where(charges.c.key.in_(keys[start : start + 500]), charges.c.invoice.is_(None))
                .values(invoice=invoice.id)
            )
        self._read[invoice.id] = invoice

    def release_lines(self, invoice: Invoice) -> None:
        charges = tables.charge_lines
        self.connection.execute(
            update(charges).where(charges.c.invoice == invoice.id).values(invoice=None)
        )

    def next_number(self, series: str) -> int:
        table = tables.invoice_series
        taken = self.connection.execute(
            update(table)
            .where(table.c.series == series)
            .values(last_number=table.c.last_number + 1)
            .returning(table.c.last_number)
        ).scalar()
        if taken is None:
            try:
                with self.connection.begin_nested():
                    self.connection.execute(insert(table).values(series=series, last_number=1))
            except IntegrityError:
                raise ConcurrentUpdate(f"series {series} began meanwhile") from None
            return 1
        return int(taken)

    # -- payments ---------------------------------------------------------------------------

    def payment(self, reference: str) -> Payment | None:
        table = tables.payments
        row = self.connection.execute(select(table).where(table.c.reference == reference)).first()
        if row is None:
            return None
        number = None
        if row.invoice is not None:
            number = self.connection.scalar(
                select(tables.invoices.c.number).where(tables.invoices.c.id == row.invoice)
            )
        return Payment(
            row.reference, row.customer, Decimal(row.amount_cny), number, utc(row.received_at)
        )

    def add_payment(self, payment: Payment) -> None:
        invoice_id = None
        if payment.invoice is not None:
            invoice_id = self.connection.scalar(
                select(tables.invoices.c.id).where(tables.invoices.c.number == payment.invoice)
            )
        self.connection.execute(
            insert(tables.payments).values(
                reference=payment.reference,
                customer=payment.customer,
                invoice=invoice_id,
                amount_cny=str(payment.amount),
                received_at=utc(payment.received_at),
            )
        )
        self._change_balance(payment.customer, paid=payment.amount)

    def find_result(self, idempotency_key: str) -> StoredResult | None:
        return stored_result(self.connection, idempotency_key)

    def commit(self, cause: Cause) -> None:
        commit_command(self.connection, cause, lambda *_: None, self.rollback)

    def rollback(self) -> None:
        if self._connection is not None:
            self._connection.rollback()
            self._connection.close()
            self._connection = None


__all__ = ["SqlBillingUnitOfWork"]
