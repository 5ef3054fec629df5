"""Customs: declarations (with the boxes each covers) and holds on boxes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_declarations",
        sa.Column("id", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("office", sa.String(20), nullable=False),
        sa.Column("legs", sa.Text, nullable=False),
        sa.Column("continues", sa.String(60)),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True)),
        sa.Column("released_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "state IN ('lodged', 'arrived', 'selected', 'released', 'cancelled')",
            name=op.f("ck_customs_declarations_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_declarations")),
        comment="customs declarations and where each stands in its life",
    )
    op.create_table(
        "customs_declaration_boxes",
        sa.Column("declaration_id", sa.String(60), nullable=False),
        sa.Column("container_number", sa.String(11), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["customs_declarations.id"],
            name=op.f("fk_customs_declaration_boxes_declaration_id_customs_declarations"),
        ),
        sa.PrimaryKeyConstraint(
            "declaration_id", "container_number", name=op.f("pk_customs_declaration_boxes")
        ),
        comment="the boxes each declaration covers",
    )
    op.create_index(
        "ix_customs_declaration_boxes_container",
        "customs_declaration_boxes",
        ["container_number"],
    )
    op.create_table(
        "customs_holds",
        sa.Column("id", sa.String(60), nullable=False),
        sa.Column("container_number", sa.String(11), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_holds")),
        comment="customs holds and inspection orders on boxes",
    )
    op.create_index("ix_customs_holds_container", "customs_holds", ["container_number"])


def downgrade() -> None:
    op.drop_index("ix_customs_holds_container", table_name="customs_holds")
    op.drop_table("customs_holds")
    op.drop_index("ix_customs_declaration_boxes_container", table_name="customs_declaration_boxes")
    op.drop_table("customs_declaration_boxes")
    op.drop_table("customs_declarations")
