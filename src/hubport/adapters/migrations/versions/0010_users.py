"""The platform's users, with their role, party and the digest of their token; boxes by
their operator (a shipper's boxes).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("party", sa.String(35)),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_users_token_digest")),
        comment="the platform's users; tokens are kept only as SHA-256 digests",
    )
    # a shipper's boxes are found by their operator
    op.create_index("ix_containers_operator", "containers", ["operator"])


def downgrade() -> None:
    op.drop_index("ix_containers_operator", table_name="containers")
    op.drop_table("users")
