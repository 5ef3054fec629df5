"""The billing tables, on the hub's store (its metadata, its migrations).

The ledger (``charge_lines``) is keyed by what a line charges, so a line can be written
once only. The fold's state between billing runs is ``billing_state`` (the last event
billed, the last day rolled), ``billing_boxes`` (the facts of a box that billing needs)
and ``billing_stays`` (the stays not yet billed to their end). Invoices are never edited
or deleted: an issued one changes state only (paid, partly paid, credited), and its
number comes from ``invoice_series`` in the transaction that issues it, so numbers have
no gaps. Money is decimal text, exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from hubport.adapters.tables import metadata

billing_state = Table(
    "billing_state",
    metadata,
    Column("id", Integer, primary_key=True, comment="one row"),
    Column("cursor", Integer, nullable=False, comment="the last hub event billed"),
    Column("rolled_through", Date, comment="the last hub day whose storage is billed"),
    Column("runs", Integer, nullable=False),
)

billing_boxes = Table(
    "billing_boxes",
    metadata,
    Column("number", String(11), primary_key=True),
    Column("customer", String(80), nullable=False),
    Column("size", Integer, nullable=False),
    Column("full", Boolean, nullable=False),
    Column("reefer", Boolean, nullable=False),
)

billing_stays = Table(
    "billing_stays",
    metadata,
    Column("arrival_id", Integer, primary_key=True, comment="the arrival's hub event"),
    Column("box", String(11), nullable=False),
    Column("arrived_at", DateTime(timezone=True), nullable=False),
    Column("departed_at", DateTime(timezone=True)),
    Column("billed_through", Date),
    Column("finished", Boolean, nullable=False),
)
Index("ix_billing_stays_open", billing_stays.c.finished)
Index("ix_billing_stays_box", billing_stays.c.box)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(24), unique=True, comment="none while a draft"),
    Column("series", String(8), nullable=False),
    Column("document", String(12), nullable=False),
    Column("customer", String(80), nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("issued_on", Date),
    Column("due_on", Date),
    Column("net_cny", String(24), nullable=False),
    Column("vat_cny", String(24), nullable=False),
    Column("total_cny", String(24), nullable=False),
    Column("paid_cny", String(24), nullable=False),
    Column("credits", Integer, ForeignKey("invoices.id"), comment="a credit note's invoice"),
    Column("reason", Text, nullable=False),
    CheckConstraint(
        "state IN ('draft', 'issued', 'partly_paid', 'paid', 'credited')", name="state"
    ),
    CheckConstraint("document IN ('invoice', 'credit_note')", name="document"),
)
Index("ix_invoices_customer", invoices.c.customer, invoices.c.state)

invoice_series = Table(
    "invoice_series",
    metadata,
    Column("series", String(8), primary_key=True),
    Column("last_number", Integer, nullable=False),
)

charge_lines = Table(
    "charge_lines",
    metadata,
    Column("key", String(80), primary_key=True, comment="what it charges: once only"),
    Column("box", String(11), nullable=False),
    Column("customer", String(80), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("day", Date, nullable=False),
    Column("rate", String(24), nullable=False),
    Column("quantity", String(24), nullable=False),
    Column("amount", String(24), nullable=False),
    Column("vat", String(24), nullable=False),
    Column("tariff", String(60), nullable=False),
    Column("event_id", Integer, nullable=False, comment="the hub event it charges"),
    Column("run", Integer, nullable=False, comment="the billing run that found it"),
    Column("invoice", Integer, ForeignKey("invoices.id")),
)
Index("ix_charge_lines_box", charge_lines.c.box)
Index("ix_charge_lines_open", charge_lines.c.invoice, charge_lines.c.customer)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("invoice", Integer, ForeignKey("invoices.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("charge", String(80), nullable=False),
    Column("box", String(11), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("day", Date, nullable=False),
    Column("rate", String(24), nullable=False),
    Column("quantity", String(24), nullable=False),
    Column("amount", String(24), nullable=False),
    Column("vat", String(24), nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(80), nullable=False, unique=True, comment="once only"),
    Column("customer", String(80), nullable=False),
    Column("invoice", Integer, ForeignKey("invoices.id"), comment="none: on account"),
    Column("amount_cny", String(24), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("author", String(80)),
)
Index("ix_payments_customer", payments.c.customer)

customer_balances = Table(
    "customer_balances",
    metadata,
    Column("customer", String(80), primary_key=True),
    Column("charged_cny", String(24), nullable=False, comment="gross of its ledger lines"),
    Column("paid_cny", String(24), nullable=False, comment="its payments"),
)
