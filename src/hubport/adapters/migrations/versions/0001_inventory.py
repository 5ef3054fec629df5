"""The inventory store: site layout, containers, occupancy, visits, event log and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "site_layout",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("layout", sa.Text, nullable=False),
        sa.Column("installed_at", _TZ, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_site_layout_single_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_layout")),
    )
    op.create_table(
        "containers",
        sa.Column("number", sa.String(11), nullable=False),
        sa.Column("size_type", sa.String(4), nullable=False),
        sa.Column("gross_mass_kg", sa.Integer, nullable=False),
        sa.Column("full", sa.Boolean, nullable=False),
        sa.Column("operator", sa.String(35), nullable=False),
        sa.Column("reefer_setpoint_c", sa.Float),
        sa.Column("imdg_class", sa.String(3)),
        sa.Column("next_leg", sa.Text),
        sa.Column("customs_status", sa.String(16), nullable=False),
        sa.Column("seal", sa.String(35)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("place", sa.String(80)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "state IN ('announced', 'in_hub', 'departed')", name=op.f("ck_containers_state")
        ),
        sa.CheckConstraint(
            "(state = 'in_hub') = (place IS NOT NULL)", name=op.f("ck_containers_placed_iff_in_hub")
        ),
        sa.CheckConstraint("gross_mass_kg > 0", name=op.f("ck_containers_mass_positive")),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_containers")),
    )
    op.create_table(
        "occupancy",
        sa.Column("position", sa.String(80), nullable=False),
        sa.Column("container_number", sa.String(11), nullable=False),
        sa.Column("tier", sa.Integer),
        sa.Column("below", sa.String(80)),
        sa.CheckConstraint("tier IS NULL OR tier >= 1", name=op.f("ck_occupancy_tier_positive")),
        sa.CheckConstraint(
            "(tier IS NULL AND below IS NULL) OR (tier = 1 AND below IS NULL) "
            "OR (tier > 1 AND below IS NOT NULL)",
            name=op.f("ck_occupancy_nothing_floats"),
        ),
        sa.ForeignKeyConstraint(
            ["container_number"],
            ["containers.number"],
            name=op.f("fk_occupancy_container_number_containers"),
        ),
        sa.ForeignKeyConstraint(
            ["below"],
            ["occupancy.position"],
            name=op.f("fk_occupancy_below_occupancy"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_occupancy")),
    )
    op.create_index("ix_occupancy_container", "occupancy", ["container_number"])
    op.create_table(
        "trains",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("service", sa.String(80), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("visit", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("track", sa.String(16)),
        sa.Column("arrived_at", _TZ),
        sa.Column("departed_at", _TZ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "state IN ('expected', 'on_site', 'departed')", name=op.f("ck_trains_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trains")),
    )
    op.create_index(
        "ux_trains_track_on_site",
        "trains",
        ["track"],
        unique=True,
        sqlite_where=sa.text("state = 'on_site'"),
        postgresql_where=sa.text("state = 'on_site'"),
    )
    op.create_table(
        "trucks",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("plate", sa.String(20), nullable=False),
        sa.Column("appointment", sa.String(40)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("arrived_at", _TZ),
        sa.Column("departed_at", _TZ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("state IN ('on_site', 'departed')", name=op.f("ck_trucks_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trucks")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("occurred_at", _TZ, nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("container_number", sa.String(11)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("command", sa.String(40), nullable=False),
        sa.Column("command_id", sa.String(36), nullable=False),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_container", "events", ["container_number"])
    op.create_index("ix_events_type_time", "events", ["event_type", "occurred_at"])
    op.create_table(
        "inbox",
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("command", sa.String(40), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("command_id", sa.String(36), nullable=False),
        sa.Column("handled_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_inbox")),
    )


def downgrade() -> None:
    for table in ("inbox", "events", "trucks", "trains", "occupancy", "containers", "site_layout"):
        op.drop_table(table)
