"""Truck appointments at the gate, with their windows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.String(60), nullable=False),
        sa.Column("plate", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("container_number", sa.String(11), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("changes", sa.Integer, nullable=False),
        sa.Column("paid", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "state IN ('booked', 'cancelled', 'used')", name=op.f("ck_appointments_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        comment="truck appointments at the gate",
    )
    op.create_index("ix_appointments_window", "appointments", ["window_start"])
    op.create_index("ix_appointments_plate", "appointments", ["plate"])


def downgrade() -> None:
    op.drop_index("ix_appointments_plate", table_name="appointments")
    op.drop_index("ix_appointments_window", table_name="appointments")
    op.drop_table("appointments")
