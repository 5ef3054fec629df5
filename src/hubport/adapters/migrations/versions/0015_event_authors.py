"""Every event names its author: the account, its role and the channel of the command.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(
            sa.Column("author", sa.String(80), comment="the account that asked for the command")
        )
        batch.add_column(sa.Column("author_role", sa.String(12), comment="its role"))
        batch.add_column(
            sa.Column("channel", sa.String(12), comment="api, console, edi, cli or runtime")
        )
    op.create_index("ix_events_author", "events", ["author", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_author", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("channel")
        batch.drop_column("author_role")
        batch.drop_column("author")
