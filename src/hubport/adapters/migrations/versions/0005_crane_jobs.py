"""Crane jobs: one row per job with its state in the job's life, its crane and version.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crane_jobs",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("container_number", sa.String(11), nullable=False),
        sa.Column("origin", sa.String(60), nullable=False),
        sa.Column("destination", sa.String(60), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("crane", sa.String(16)),
        sa.Column("box_aboard", sa.Boolean, nullable=False),
        sa.Column("due", sa.DateTime(timezone=True)),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("train_id", sa.String(40)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "state IN ('planned', 'assigned', 'sent', 'picking', 'lifted', 'placing', 'done', "
            "'failed', 'cancelled')",
            name=op.f("ck_crane_jobs_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crane_jobs")),
    )
    op.create_index("ix_crane_jobs_open", "crane_jobs", ["state", "crane"])
    op.create_index("ix_crane_jobs_container", "crane_jobs", ["container_number"])


def downgrade() -> None:
    op.drop_table("crane_jobs")
