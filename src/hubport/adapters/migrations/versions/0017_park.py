"""The park's services: enterprise requests and their steps, escalations, projects,
tasks and meetings.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "park_requests",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("enterprise", sa.String(80), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("urgency", sa.String(10), nullable=False),
        sa.Column("project", sa.String(40)),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("lead", sa.String(40)),
        sa.Column("supporting", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer),
        sa.Column("closing_reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("steps", sa.Integer, nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
    )
    op.create_index("ix_park_requests_received", "park_requests", ["received_at"])
    op.create_index("ix_park_requests_enterprise", "park_requests", ["enterprise"])
    op.create_index("ix_park_requests_lead", "park_requests", ["lead", "state"])
    op.create_table(
        "park_request_steps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("request", sa.String(40), sa.ForeignKey("park_requests.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("by", sa.String(80), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("author", sa.String(80)),
        sa.Column("author_role", sa.String(12)),
        sa.Column("channel", sa.String(12)),
        sa.UniqueConstraint("request", "seq", name="uq_park_request_steps_request_seq"),
    )
    op.create_table(
        "park_escalations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("request", sa.String(40), sa.ForeignKey("park_requests.id"), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request", "state", "entered_at", name="uq_park_escalations_once"),
    )
    op.create_table(
        "park_projects",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("investor", sa.String(120), nullable=False),
        sa.Column("sector", sa.String(30), nullable=False),
        sa.Column("investment_cny", sa.String(24), nullable=False),
        sa.Column("floor_area_m2", sa.Integer, nullable=False),
        sa.Column("annual_output_cny", sa.String(24), nullable=False),
        sa.Column("enterprise", sa.String(80), nullable=False),
        sa.Column("stages", sa.Text, nullable=False),
        sa.Column("synthetic", sa.Integer, nullable=False),
    )
    op.create_table(
        "park_tasks",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("project", sa.String(40)),
        sa.Column("request", sa.String(40)),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("done_note", sa.Text, nullable=False),
        sa.Column("verified_by", sa.String(80)),
        sa.Column("verified_at_meeting", sa.String(40)),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("meetings_open", sa.Integer, nullable=False),
    )
    op.create_table(
        "park_meetings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("attendees", sa.Text, nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.Column("decisions", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("park_meetings", "park_tasks", "park_projects", "park_escalations"):
        op.drop_table(table)
    op.drop_table("park_request_steps")
    for index in (
        "ix_park_requests_lead",
        "ix_park_requests_enterprise",
        "ix_park_requests_received",
    ):
        op.drop_index(index, table_name="park_requests")
    op.drop_table("park_requests")
