"""Appointments found by their box: at most one open collection per box.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_appointments_box", "appointments", ["container_number"])


def downgrade() -> None:
    op.drop_index("ix_appointments_box", table_name="appointments")
