"""Tokens that expire, and the console's server-side sessions.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "token_expires_at",
                sa.DateTime(timezone=True),
                comment="wall-clock time the token stops opening (null: never)",
            )
        )
    op.create_table(
        "console_sessions",
        sa.Column("id_digest", sa.String(64), primary_key=True, comment="SHA-256 of the id"),
        sa.Column("user_name", sa.String(60), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False, comment="the user's at login"),
        sa.Column("nonce", sa.String(64), nullable=False, comment="the forms' CSRF nonce"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        comment="the console's sessions: a random id in an HttpOnly cookie, ended at logout",
    )
    op.create_index("ix_console_sessions_user", "console_sessions", ["user_name"])


def downgrade() -> None:
    op.drop_index("ix_console_sessions_user", table_name="console_sessions")
    op.drop_table("console_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_expires_at")
