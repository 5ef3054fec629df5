"""The futures tables, on the hub's store (its metadata, its migrations).

A delivery is stored as its events (``futures_events``, append-only, numbered per
delivery: two writers of one delivery cannot both append its next event) and a row of
what lists and deadlines ask (``futures_deliveries``). Volumes and money are kept as
decimal text, exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from hubport.adapters.tables import metadata

STATES = (
    "matched",
    "booked",
    "arrived",
    "inspected",
    "handed_over",
    "settled",
    "disputed",
    "defaulted",
)

futures_deliveries = Table(
    "futures_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("site", String(16), nullable=False),
    Column("contract", String(8), nullable=False, comment="e.g. LG2509"),
    Column("lots", Integer, nullable=False),
    Column("volume_m3", String(16), nullable=False, comment="lots × 90, decimal text"),
    Column("buyer", String(20), nullable=False, comment="the buyer's member code"),
    Column("seller", String(20), nullable=False, comment="the seller's member code"),
    Column("matched_on", Date, nullable=False, comment="D, the matching day"),
    Column("settlement_day", Date, nullable=False, comment="S"),
    Column("state", String(12), nullable=False),
    Column("deadline", String(30), comment="the deadline its state waits on"),
    Column("deadline_at", DateTime(timezone=True)),
    Column("events", Integer, nullable=False, comment="events so far (its version)"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("state IN (" + ", ".join(f"'{s}'" for s in STATES) + ")", name="state"),
    comment="a log-futures delivery on the vehicle: what lists and deadlines read",
)
Index("ix_futures_deliveries_deadline", futures_deliveries.c.deadline_at)
Index("ix_futures_deliveries_settlement", futures_deliveries.c.settlement_day)

futures_events = Table(
    "futures_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery", String(40), ForeignKey("futures_deliveries.id"), nullable=False),
    Column("seq", Integer, nullable=False, comment="1, 2, … within the delivery"),
    Column("event_type", String(40), nullable=False),
    Column("payload", Text, nullable=False, comment="JSON"),
    Column("occurred_at", DateTime(timezone=True), nullable=False, comment="hub clock"),
    Column("recorded_at", DateTime(timezone=True), nullable=False, comment="wall clock"),
    Column("command", String(40), nullable=False),
    Column("idempotency_key", String(200)),
    Column("author", String(80)),
    Column("author_role", String(12)),
    Column("channel", String(12)),
    UniqueConstraint("delivery", "seq", name="uq_futures_events_delivery_seq"),
    comment="every step of every delivery, append-only, with who asked",
)
Index("ix_futures_events_occurred", futures_events.c.occurred_at)

futures_slots = Table(
    "futures_slots",
    metadata,
    Column("delivery", String(40), ForeignKey("futures_deliveries.id"), primary_key=True),
    Column("site", String(16), nullable=False),
    Column("track", String(16), nullable=False),
    Column("spot", String(16), nullable=False),
    Column("day", Date, nullable=False, comment="the hub day of its window"),
    Column("start_at", DateTime(timezone=True), nullable=False),
    Column("end_at", DateTime(timezone=True), nullable=False),
    Column("volume_m3", String(16), nullable=False),
    Column("active", Boolean, nullable=False, comment="false once the delivery defaulted"),
    comment="each delivery's loading spot and window (its last booking)",
)
Index("ix_futures_slots_day", futures_slots.c.site, futures_slots.c.day)

futures_tallies = Table(
    "futures_tallies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery", String(40), ForeignKey("futures_deliveries.id"), nullable=False),
    Column("sha256", String(64), nullable=False, comment="of the document as received"),
    Column("pieces", Integer, nullable=False),
    Column("volume_m3", String(16), nullable=False, comment="all pieces, by GB/T 4814"),
    Column("document", Text, nullable=False, comment="the measuring station's CSV"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("delivery", "sha256", name="uq_futures_tallies_delivery_sha256"),
    comment="the tallies (检尺) behind the inspections, kept whole",
)

__all__ = ["STATES", "futures_deliveries", "futures_events", "futures_slots", "futures_tallies"]
