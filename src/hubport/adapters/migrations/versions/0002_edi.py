"""EDI interchanges received and sent, with the quarantine of rejected ones.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edi_interchanges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("partner", sa.String(35), nullable=False),
        sa.Column("control_reference", sa.String(35), nullable=False),
        sa.Column("message_types", sa.String(80), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("file_name", sa.String(500)),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("report", sa.Text),
        sa.Column("raw", sa.Text, nullable=False),
        sa.CheckConstraint(
            "direction IN ('in', 'out')", name=op.f("ck_edi_interchanges_direction")
        ),
        sa.CheckConstraint(
            "status IN ('applied', 'repeat', 'recorded', 'quarantined', 'resolved', 'sent')",
            name=op.f("ck_edi_interchanges_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edi_interchanges")),
    )
    op.create_index("ix_edi_interchanges_digest", "edi_interchanges", ["digest"])
    op.create_index(
        "ix_edi_interchanges_partner_ref", "edi_interchanges", ["partner", "control_reference"]
    )


def downgrade() -> None:
    op.drop_index("ix_edi_interchanges_partner_ref", "edi_interchanges")
    op.drop_index("ix_edi_interchanges_digest", "edi_interchanges")
    op.drop_table("edi_interchanges")
