"""Train runs: one row per train visit with the boxes and TEU it brought and took away.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "train_runs",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("service", sa.String(80), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("origin", sa.String(5)),
        sa.Column("destination", sa.String(5)),
        sa.Column("arrived_at", _TZ),
        sa.Column("departed_at", _TZ),
        sa.Column("boxes_in", sa.Integer, nullable=False),
        sa.Column("teu_in", sa.Float, nullable=False),
        sa.Column("boxes_out", sa.Integer, nullable=False),
        sa.Column("teu_out", sa.Float, nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_train_runs")),
    )
    op.create_index("ix_train_runs_departed", "train_runs", ["departed_at"])


def downgrade() -> None:
    op.drop_index("ix_train_runs_departed", "train_runs")
    op.drop_table("train_runs")
