"""The billing's read side: invoices, the ledger, receivables with their ageing, a box's
charges to date, and the reconciliation of the ledger with the event log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, func, select

from hubport.adapters.event_log import read_events
from hubport.adapters.times import utc
from hubport.billing.adapters import tables
from hubport.billing.adapters.ledger_rows import charge_line, invoice_from_rows
from hubport.billing.domain.accounts import AccountBook, Unsettled
from hubport.billing.domain.charges import ChargeFold, ChargeLine, LoggedEvent, charges, hub_day
from hubport.billing.domain.invoice import Invoice, InvoiceNotFound
from hubport.billing.domain.tariff import TariffBook
from hubport.billing.services.unit_of_work import Payment

ZERO = Decimal("0.00")
#: Ageing buckets of what is overdue, in days past the due date.
AGEING = ((0, "current"), (1, "1-30"), (31, "31-60"), (61, "61-90"), (91, "90+"))


@dataclass(frozen=True)
class Reconciliation:
    ledger: Decimal
    recomputed: Decimal
    invoiced: Decimal
    unbilled: Decimal
    lines: int


@dataclass(frozen=True)
class Receivable:
    customer: str
    charged: Decimal
    paid: Decimal
    unbilled: Decimal
    ageing: dict[str, Decimal]

    @property
    def balance(self) -> Decimal:
        return self.charged - self.paid


@dataclass(frozen=True)
class BoxCharges:
    box: str
    until: date
    billed: list[ChargeLine]
    unbilled: list[ChargeLine]

    @property
    def total(self) -> Decimal:
        return sum((line.gross for line in self.billed + self.unbilled), ZERO)


def box_charges(
    connection: Connection, book: TariffBook, box: str, until: date, to_last_event: bool = False
) -> BoxCharges:
    """A box's charges to the end of ``until``: the ledger's, and those of its history
    the ledger has not billed yet (computed from its own events). ``to_last_event``: to
    its latest event's day at least: a clock behind the events, or events logged out of
    time order (an API's wall clock before a scaled runtime), charge them all the same."""
    history = [LoggedEvent(e.id, e.event) for e in read_events(connection, container=box)]
    if to_last_event and history:
        until = max(until, max(hub_day(logged.event.at) for logged in history))
    computed = charges(book, history, until)
    table = tables.charge_lines
    billed = [
        charge_line(row)
        for row in connection.execute(select(table).where(table.c.box == box).order_by(table.c.day))
    ]
    known = {line.key for line in billed}
    return BoxCharges(box, until, billed, [line for line in computed if line.key not in known])


def payment_refusal(
    connection: Connection, book: TariffBook, accounts: AccountBook, box: str, at: datetime
) -> Unsettled | None:
    """Why ``box`` may not leave at ``at``, or None: its payer's balance with the box's
    unbilled charges to the leaving day, against the payer's terms (``accounts.py``)."""
    found = box_charges(connection, book, box, hub_day(at), to_last_event=True)
    lines = found.unbilled or found.billed
    if not lines:
        return None
    customer = lines[-1].customer
    row = connection.execute(
        select(tables.customer_balances).where(tables.customer_balances.c.customer == customer)
    ).first()
    balance = ZERO if row is None else Decimal(row.charged_cny) - Decimal(row.paid_cny)
    unbilled = sum((line.gross for line in found.unbilled if line.customer == customer), ZERO)
    return accounts.unsettled(customer, balance + unbilled)


class BillingQueries:
    def __init__(self, engine: Engine, book: TariffBook, accounts: AccountBook):
        self.engine = engine
        self.book = book
        self.accounts = accounts

    def invoices(
        self, customer: str | None = None, state: str | None = None, limit: int = 200
    ) -> list[Invoice]:
        table = tables.invoices
        query = select(table.c.id).order_by(table.c.id.desc()).limit(limit)
        if customer is not None:
            query = query.where(table.c.customer == customer)
        if state is not None:
            query = query.where(table.c.state == state)
        with self.engine.connect() as connection:
            return [self._invoice(connection, i) for i in connection.scalars(query)]

    def invoice(self, reference: str) -> Invoice:
        """An issued invoice or credit note by its number, or a draft as ``DRAFT-<id>``."""
        table = tables.invoices
        with self.engine.connect() as connection:
            if reference.upper().startswith("DRAFT-") and reference[6:].isdigit():
                query = select(table.c.id).where(
                    table.c.id == int(reference[6:]), table.c.number.is_(None)
                )
            else:
                query = select(table.c.id).where(table.c.number == reference)
            invoice_id = connection.scalar(query)
            if invoice_id is None:
                raise InvoiceNotFound(f"no invoice {reference}")
            return self._invoice(connection, invoice_id)

    def _invoice(self, connection: Connection, invoice_id: int) -> Invoice:
        table = tables.invoices
        row = connection.execute(select(table).where(table.c.id == invoice_id)).one()
        lines = connection.execute(
            select(tables.invoice_lines)
            .where(tables.invoice_lines.c.invoice == invoice_id)
            .order_by(tables.invoice_lines.c.position)
        ).all()
        credits = None
        if row.credits is not None:
            credits = connection.scalar(select(table.c.number).where(table.c.id == row.credits))
        return invoice_from_rows(row, lines, credits)

    def box(self, box: str, until: date) -> BoxCharges:
        with self.engine.connect() as connection:
            return box_charges(connection, self.book, box, until)

    def unbilled_total(self) -> dict[str, Decimal]:
        table = tables.charge_lines
        found: dict[str, Decimal] = {}
        with self.engine.connect() as connection:
            query = select(table.c.customer, table.c.amount, table.c.vat).where(
                table.c.invoice.is_(None)
            )
            for row in connection.execute(query):
                found[row.customer] = (
                    found.get(row.customer, ZERO) + Decimal(row.amount) + Decimal(row.vat)
                )
        return found

    def receivables(self, today: date) -> list[Receivable]:
        """Each customer's charges, payments, unbilled lines and overdue invoices by age."""
        unbilled = self.unbilled_total()
        with self.engine.connect() as connection:
            balances = connection.execute(select(tables.customer_balances)).all()
            table = tables.invoices
            open_invoices = connection.execute(
                select(table).where(table.c.state.in_(("issued", "partly_paid")))
            ).all()
        ageing: dict[str, dict[str, Decimal]] = {}
        for row in open_invoices:
            days = (today - row.due_on).days if row.due_on is not None else 0
            bucket = (
                [name for start, name in AGEING if days >= start][-1] if days > 0 else "current"
            )
            buckets = ageing.setdefault(row.customer, {name: ZERO for _, name in AGEING})
            buckets[bucket] += Decimal(row.total_cny) - Decimal(row.paid_cny)
        return [
            Receivable(
                row.customer,
                Decimal(row.charged_cny),
                Decimal(row.paid_cny),
                unbilled.get(row.customer, ZERO),
                ageing.get(row.customer, {name: ZERO for _, name in AGEING}),
            )
            for row in sorted(balances, key=lambda r: r.customer)
        ]

    def revenue_by_kind(self, since: date, until: date) -> dict[str, Decimal]:
        """Net revenue (before VAT) of the ledger's lines of the days in [since, until]."""
        table = tables.charge_lines
        found: dict[str, Decimal] = {}
        with self.engine.connect() as connection:
            query = select(table.c.kind, table.c.amount).where(
                table.c.day >= since, table.c.day <= until
            )
            for row in connection.execute(query):
                kind = "storage" if row.kind.startswith("storage") else row.kind
                found[kind] = found.get(kind, ZERO) + Decimal(row.amount)
        return dict(sorted(found.items()))

    def reconcile(self) -> Reconciliation:
        """The ledger against the charges recomputed from the event log, from nothing, to
        the point the last billing run reached (its last event and its last day)."""
        with self.engine.connect() as connection:
            state = connection.execute(select(tables.billing_state)).first()
            table = tables.charge_lines
            ledger = ZERO
            invoiced = ZERO
            count = 0
            for row in connection.execute(select(table.c.amount, table.c.vat, table.c.invoice)):
                gross = Decimal(row.amount) + Decimal(row.vat)
                ledger += gross
                count += 1
                if row.invoice is not None:
                    invoiced += gross
            recomputed = ZERO
            if state is not None:
                fold = ChargeFold(self.book)
                for logged in self._history(connection, state.cursor):
                    recomputed += sum((line.gross for line in fold.apply(logged)), ZERO)
                if state.rolled_through is not None:
                    recomputed += sum(
                        (line.gross for line in fold.roll(state.rolled_through)), ZERO
                    )
        return Reconciliation(ledger, recomputed, invoiced, ledger - invoiced, count)

    def _history(self, connection: Connection, cursor: int) -> Iterator[LoggedEvent]:
        after = 0
        while after < cursor:
            chunk = list(read_events(connection, after=after, limit=5000))
            if not chunk:
                return
            for logged in chunk:
                if logged.id > cursor:
                    return
                yield LoggedEvent(logged.id, logged.event)
            after = chunk[-1].id

    def payments(self, limit: int = 50) -> list[Payment]:
        table = tables.payments
        invoices = tables.invoices
        query = (
            select(table, invoices.c.number)
            .select_from(table.outerjoin(invoices, table.c.invoice == invoices.c.id))
            .order_by(table.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [
                Payment(
                    row.reference,
                    row.customer,
                    Decimal(row.amount_cny),
                    row.number,
                    utc(row.received_at),
                )
                for row in connection.execute(query)
            ]

    def audit(self) -> tuple[int, list[str]]:
        """The invoices checked, and what does not hold: the ledger against the charges
        recomputed from the event log, each invoice's totals against its lines, each
        series' numbers without gaps."""
        problems = []
        found = self.reconcile()
        if found.ledger != found.recomputed:
            problems.append(
                f"billing: the ledger's CNY {found.ledger} is not the CNY {found.recomputed} "
                "recomputed from the event log"
            )
        invoices = self.invoices(limit=10**9)
        with self.engine.connect() as connection:
            stored = {
                row.id: (Decimal(row.total_cny), row.number, row.series)
                for row in connection.execute(select(tables.invoices))
            }
            series = {
                row.series: row.last_number
                for row in connection.execute(select(tables.invoice_series))
            }
        for invoice in invoices:
            total, _number, _series = stored[invoice.id]
            if total != invoice.total:
                problems.append(
                    f"billing: invoice {invoice.reference} says CNY {total}, its lines CNY "
                    f"{invoice.total}"
                )
        for name, last in sorted(series.items()):
            numbers = sorted(
                int(number.rsplit("-", 1)[1])
                for _total, number, kind in stored.values()
                if number is not None and kind == name
            )
            if numbers != list(range(1, last + 1)):
                problems.append(f"billing: series {name} has gaps or extras: {numbers[:10]}...")
        return len(invoices), problems

    def ledger_days(self) -> tuple[date | None, int]:
        with self.engine.connect() as connection:
            state = connection.execute(select(tables.billing_state)).first()
            lines = connection.scalar(select(func.count()).select_from(tables.charge_lines))
        return (None if state is None else state.rolled_through), int(lines or 0)


__all__ = [
    "AGEING",
    "BillingQueries",
    "BoxCharges",
    "Receivable",
    "Reconciliation",
    "box_charges",
    "payment_refusal",
]
