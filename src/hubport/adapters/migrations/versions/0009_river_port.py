"""Vessel calls at the river port's berths, and shuttle trucks on the road to the station.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vessel_calls",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("vessel", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("voyage", sa.String(40), nullable=False),
        sa.Column("berth", sa.String(16), nullable=False),
        sa.Column("eta", sa.DateTime(timezone=True), nullable=False),
        sa.Column("etd", sa.DateTime(timezone=True), nullable=False),
        sa.Column("call", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("bay_plan", sa.Text, nullable=False),
        sa.Column("load_list", sa.Text, nullable=False),
        sa.Column("berthed_at", sa.DateTime(timezone=True)),
        sa.Column("departed_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "state IN ('expected', 'on_site', 'departed')", name=op.f("ck_vessel_calls_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vessel_calls")),
        comment="barge and ship calls at the river port's berths",
    )
    op.create_index("ix_vessel_calls_berth", "vessel_calls", ["berth", "state"])
    with op.batch_alter_table("trucks") as batch:
        batch.add_column(sa.Column("shuttle", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("location", sa.String(12), nullable=False, server_default="station")
        )
        batch.add_column(sa.Column("bound_for", sa.String(12)))
        batch.add_column(
            sa.Column("starts_at", sa.String(12), nullable=False, server_default="station")
        )


def downgrade() -> None:
    with op.batch_alter_table("trucks") as batch:
        batch.drop_column("starts_at")
        batch.drop_column("bound_for")
        batch.drop_column("location")
        batch.drop_column("shuttle")
    op.drop_index("ix_vessel_calls_berth", table_name="vessel_calls")
    op.drop_table("vessel_calls")
