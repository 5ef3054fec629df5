"""Log futures delivered on the vehicle: deliveries, their events, slots and tallies; and
track reservations, which keep a track from trains for a delivery's window.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

STATES = (
    "'matched', 'booked', 'arrived', 'inspected', 'handed_over', 'settled', 'disputed', 'defaulted'"
)


def upgrade() -> None:
    op.create_table(
        "track_reservations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("track", sa.String(16), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(80), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_index("ix_track_reservations_track", "track_reservations", ["track", "end_at"])
    op.create_table(
        "futures_deliveries",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("site", sa.String(16), nullable=False),
        sa.Column("contract", sa.String(8), nullable=False),
        sa.Column("lots", sa.Integer, nullable=False),
        sa.Column("volume_m3", sa.String(16), nullable=False),
        sa.Column("buyer", sa.String(20), nullable=False),
        sa.Column("seller", sa.String(20), nullable=False),
        sa.Column("matched_on", sa.Date, nullable=False),
        sa.Column("settlement_day", sa.Date, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("deadline", sa.String(30)),
        sa.Column("deadline_at", sa.DateTime(timezone=True)),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"state IN ({STATES})", name=op.f("ck_futures_deliveries_state")),
    )
    op.create_index("ix_futures_deliveries_deadline", "futures_deliveries", ["deadline_at"])
    op.create_index("ix_futures_deliveries_settlement", "futures_deliveries", ["settlement_day"])
    op.create_table(
        "futures_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "delivery", sa.String(40), sa.ForeignKey("futures_deliveries.id"), nullable=False
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("command", sa.String(40), nullable=False),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("author", sa.String(80)),
        sa.Column("author_role", sa.String(12)),
        sa.Column("channel", sa.String(12)),
        sa.UniqueConstraint("delivery", "seq", name="uq_futures_events_delivery_seq"),
    )
    op.create_index("ix_futures_events_occurred", "futures_events", ["occurred_at"])
    op.create_table(
        "futures_slots",
        sa.Column(
            "delivery", sa.String(40), sa.ForeignKey("futures_deliveries.id"), primary_key=True
        ),
        sa.Column("site", sa.String(16), nullable=False),
        sa.Column("track", sa.String(16), nullable=False),
        sa.Column("spot", sa.String(16), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("volume_m3", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_index("ix_futures_slots_day", "futures_slots", ["site", "day"])
    op.create_table(
        "futures_tallies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "delivery", sa.String(40), sa.ForeignKey("futures_deliveries.id"), nullable=False
        ),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pieces", sa.Integer, nullable=False),
        sa.Column("volume_m3", sa.String(16), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("delivery", "sha256", name="uq_futures_tallies_delivery_sha256"),
    )


def downgrade() -> None:
    op.drop_table("futures_tallies")
    op.drop_table("futures_slots")
    op.drop_index("ix_futures_events_occurred", table_name="futures_events")
    op.drop_table("futures_events")
    op.drop_index("ix_futures_deliveries_settlement", table_name="futures_deliveries")
    op.drop_index("ix_futures_deliveries_deadline", table_name="futures_deliveries")
    op.drop_table("futures_deliveries")
    op.drop_index("ix_track_reservations_track", table_name="track_reservations")
    op.drop_table("track_reservations")
