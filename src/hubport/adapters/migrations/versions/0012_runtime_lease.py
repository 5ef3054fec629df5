"""The runtime's lease: one active runtime per site, its heartbeat and its hub time.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runtime_lease",
        sa.Column("site", sa.String(16), nullable=False),
        sa.Column("holder", sa.String(120), nullable=False),
        sa.Column("host", sa.String(80), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("epoch", sa.Integer, nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hub_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("speed", sa.Float),
        sa.Column("status", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("site", name=op.f("pk_runtime_lease")),
        comment="the lease that keeps one runtime active per site, and its heartbeat",
    )


def downgrade() -> None:
    op.drop_table("runtime_lease")
