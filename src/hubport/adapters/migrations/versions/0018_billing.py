"""Billing: the ledger of charge lines, the billing fold's state, invoices with their
lines and series, payments and customers' balances; the appointment's typed ``paid``
flag goes (the out-gate asks the ledger).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cursor", sa.Integer, nullable=False),
        sa.Column("rolled_through", sa.Date),
        sa.Column("runs", sa.Integer, nullable=False),
    )
    op.create_table(
        "billing_boxes",
        sa.Column("number", sa.String(11), primary_key=True),
        sa.Column("customer", sa.String(80), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("full", sa.Boolean, nullable=False),
        sa.Column("reefer", sa.Boolean, nullable=False),
    )
    op.create_table(
        "billing_stays",
        sa.Column("arrival_id", sa.Integer, primary_key=True),
        sa.Column("box", sa.String(11), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departed_at", sa.DateTime(timezone=True)),
        sa.Column("billed_through", sa.Date),
        sa.Column("finished", sa.Boolean, nullable=False),
    )
    op.create_index("ix_billing_stays_open", "billing_stays", ["finished"])
    op.create_index("ix_billing_stays_box", "billing_stays", ["box"])
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(24), unique=True),
        sa.Column("series", sa.String(8), nullable=False),
        sa.Column("document", sa.String(12), nullable=False),
        sa.Column("customer", sa.String(80), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_on", sa.Date),
        sa.Column("due_on", sa.Date),
        sa.Column("net_cny", sa.String(24), nullable=False),
        sa.Column("vat_cny", sa.String(24), nullable=False),
        sa.Column("total_cny", sa.String(24), nullable=False),
        sa.Column("paid_cny", sa.String(24), nullable=False),
        sa.Column("credits", sa.Integer, sa.ForeignKey("invoices.id")),
        sa.Column("reason", sa.Text, nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'issued', 'partly_paid', 'paid', 'credited')", name="state"
        ),
        sa.CheckConstraint("document IN ('invoice', 'credit_note')", name="document"),
    )
    op.create_index("ix_invoices_customer", "invoices", ["customer", "state"])
    series = op.create_table(
        "invoice_series",
        sa.Column("series", sa.String(8), primary_key=True),
        sa.Column("last_number", sa.Integer, nullable=False),
    )
    # the invoices' and the credit notes' series, begun: numbers are taken by UPDATE only
    op.bulk_insert(series, [{"series": "HP", "last_number": 0}, {"series": "CN", "last_number": 0}])
    op.create_table(
        "charge_lines",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("box", sa.String(11), nullable=False),
        sa.Column("customer", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("rate", sa.String(24), nullable=False),
        sa.Column("quantity", sa.String(24), nullable=False),
        sa.Column("amount", sa.String(24), nullable=False),
        sa.Column("vat", sa.String(24), nullable=False),
        sa.Column("tariff", sa.String(60), nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("run", sa.Integer, nullable=False),
        sa.Column("invoice", sa.Integer, sa.ForeignKey("invoices.id")),
    )
    op.create_index("ix_charge_lines_box", "charge_lines", ["box"])
    op.create_index("ix_charge_lines_open", "charge_lines", ["invoice", "customer"])
    op.create_table(
        "invoice_lines",
        sa.Column("invoice", sa.Integer, sa.ForeignKey("invoices.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("charge", sa.String(80), nullable=False),
        sa.Column("box", sa.String(11), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("rate", sa.String(24), nullable=False),
        sa.Column("quantity", sa.String(24), nullable=False),
        sa.Column("amount", sa.String(24), nullable=False),
        sa.Column("vat", sa.String(24), nullable=False),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(80), nullable=False, unique=True),
        sa.Column("customer", sa.String(80), nullable=False),
        sa.Column("invoice", sa.Integer, sa.ForeignKey("invoices.id")),
        sa.Column("amount_cny", sa.String(24), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(80)),
    )
    op.create_index("ix_payments_customer", "payments", ["customer"])
    op.create_table(
        "customer_balances",
        sa.Column("customer", sa.String(80), primary_key=True),
        sa.Column("charged_cny", sa.String(24), nullable=False),
        sa.Column("paid_cny", sa.String(24), nullable=False),
    )

    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("paid")


def downgrade() -> None:
    with op.batch_alter_table("appointments") as batch:
        batch.add_column(sa.Column("paid", sa.Boolean, nullable=False, server_default=sa.true()))
    for table in (
        "customer_balances",
        "payments",
        "invoice_lines",
        "charge_lines",
        "invoice_series",
        "invoices",
        "billing_stays",
        "billing_boxes",
        "billing_state",
    ):
        op.drop_table(table)
