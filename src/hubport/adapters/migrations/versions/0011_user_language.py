"""The language the console speaks to each user (en or zh); the indexes the console's
reads take (a train's crane jobs, the day's finished moves, departures, open holds,
a state's declarations).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = (
    # the yard's occupancy counts the boxes in the hub, not the store's departed history
    ("ix_containers_state", "containers", ["state", "carrier"]),
    ("ix_crane_jobs_train", "crane_jobs", ["train_id"]),
    ("ix_crane_jobs_state_time", "crane_jobs", ["state", "updated_at"]),
    ("ix_customs_holds_open", "customs_holds", ["lifted_at"]),
    ("ix_trucks_departed", "trucks", ["departed_at"]),
    ("ix_trains_departed", "trains", ["departed_at"]),
    ("ix_customs_declarations_state", "customs_declarations", ["state", "lodged_at"]),
)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "language",
                sa.String(5),
                nullable=False,
                server_default="en",
                comment="the console's",
            )
        )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
