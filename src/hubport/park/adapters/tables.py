"""The park tables, on the hub's store (its metadata, its migrations).

A request is a row of what lists ask (``park_requests``) and its history, append-only and
numbered (``park_request_steps``); requests are never deleted. Projects with their stages,
tasks and meetings have tables of their own."""

from __future__ import annotations

from sqlalchemy import (
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

park_requests = Table(
    "park_requests",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("enterprise", String(80), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("category", String(40), nullable=False),
    Column("urgency", String(10), nullable=False),
    Column("project", String(40)),
    Column("summary", Text, nullable=False),
    Column("lead", String(40), comment="the lead department"),
    Column("supporting", Text, nullable=False, comment="JSON list of supporting departments"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("deadline_at", DateTime(timezone=True), nullable=False),
    Column("state", String(12), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False, comment="of its state"),
    Column("rating", Integer),
    Column("closing_reason", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("steps", Integer, nullable=False, comment="steps so far (its version)"),
    Column("source", String(120), nullable=False, comment="api, console, or the import file"),
    comment="enterprise requests (诉求): what lists, queues and KPIs read",
)
Index("ix_park_requests_received", park_requests.c.received_at)
Index("ix_park_requests_enterprise", park_requests.c.enterprise)
Index("ix_park_requests_lead", park_requests.c.lead, park_requests.c.state)

park_request_steps = Table(
    "park_request_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request", String(40), ForeignKey("park_requests.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("state", String(12), nullable=False),
    Column("by", String(80), nullable=False),
    Column("note", Text, nullable=False),
    Column("author", String(80)),
    Column("author_role", String(12)),
    Column("channel", String(12)),
    UniqueConstraint("request", "seq", name="uq_park_request_steps_request_seq"),
    comment="every state a request went through, append-only, with who asked",
)

park_escalations = Table(
    "park_escalations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request", String(40), ForeignKey("park_requests.id"), nullable=False),
    Column("state", String(12), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("escalated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("request", "state", "entered_at", name="uq_park_escalations_once"),
    comment="supervision (督办): a state outstayed, taken up once",
)

park_projects = Table(
    "park_projects",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("investor", String(120), nullable=False),
    Column("sector", String(30), nullable=False),
    Column("investment_cny", String(24), nullable=False, comment="committed, decimal text"),
    Column("floor_area_m2", Integer, nullable=False),
    Column("annual_output_cny", String(24), nullable=False),
    Column("enterprise", String(80), nullable=False, comment="the project company"),
    Column("stages", Text, nullable=False, comment="JSON: stage -> planned and actual dates"),
    Column("synthetic", Integer, nullable=False, comment="1: generated example data"),
    comment="investment projects from signing to full output",
)

park_tasks = Table(
    "park_tasks",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text, nullable=False),
    Column("owner", String(80), nullable=False),
    Column("due", Date, nullable=False),
    Column("project", String(40)),
    Column("request", String(40)),
    Column("state", String(10), nullable=False),
    Column("done_note", Text, nullable=False),
    Column("verified_by", String(80)),
    Column("verified_at_meeting", String(40)),
    Column("evidence", Text, nullable=False),
    Column("meetings_open", Integer, nullable=False, comment="joint meetings it was carried over"),
    comment="tasks: closed only when someone else verifies them at a joint meeting",
)

park_meetings = Table(
    "park_meetings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("attendees", Text, nullable=False, comment="JSON list"),
    Column("agenda", Text, nullable=False, comment="JSON list of the open items"),
    Column("decisions", Text, nullable=False, comment="JSON list"),
    comment="joint (Friday), dispatch and on-site office (Tuesday) meetings",
)

__all__ = [
    "park_escalations",
    "park_meetings",
    "park_projects",
    "park_request_steps",
    "park_requests",
    "park_tasks",
]
