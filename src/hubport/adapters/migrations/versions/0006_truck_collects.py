"""A truck visit's booked collections: the boxes it comes to take away (JSON list).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trucks") as batch:
        batch.add_column(sa.Column("collects", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("trucks") as batch:
        batch.drop_column("collects")
