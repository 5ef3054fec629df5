"""Scoped loading: a carrier column on containers, a stack column on occupancy (and an index
on the column the nothing-floats key refers by), and the per-stack summary table that
slot choice reads instead of every box.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("containers") as batch:
        batch.add_column(sa.Column("carrier", sa.String(60)))
    op.create_index("ix_containers_carrier", "containers", ["carrier"])
    with op.batch_alter_table("occupancy") as batch:
        batch.add_column(sa.Column("stack", sa.String(40)))
    op.create_index("ix_occupancy_stack", "occupancy", ["stack"])
    op.create_index("ix_occupancy_below", "occupancy", ["below"])
    op.create_table(
        "yard_stacks",
        sa.Column("block", sa.String(16), nullable=False),
        sa.Column("bay", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("top_number", sa.String(11)),
        sa.Column("top_forty", sa.Boolean, nullable=False),
        sa.Column("top_bay", sa.Integer),
        sa.Column("top_due", sa.String(40)),
        sa.Column("earliest_due", sa.String(40)),
        sa.Column("leg", sa.String(80)),
        sa.Column("reefers", sa.Integer, nullable=False),
        sa.Column("dangerous", sa.Integer, nullable=False),
        sa.Column("forties", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("height >= 0", name=op.f("ck_yard_stacks_height")),
        sa.PrimaryKeyConstraint("block", "bay", "row", name=op.f("pk_yard_stacks")),
    )
    op.create_index("ix_events_time", "events", ["occurred_at"])
    _backfill()


def _backfill() -> None:
    """Derive the new columns and the stack summaries from the rows already stored."""
    from hubport.adapters.repository import stack_summary_row
    from hubport.domain.container import Container
    from hubport.domain.events import container_from_data
    from hubport.domain.places import (
        StackKey,
        YardSlot,
        carrier_of,
        parse_place,
        stack_of_position,
    )
    from hubport.domain.stacks import summarise

    bind = op.get_bind()
    meta = sa.MetaData()
    containers = sa.Table("containers", meta, autoload_with=bind)
    occupancy = sa.Table("occupancy", meta, autoload_with=bind)
    stacks = sa.Table("yard_stacks", meta, autoload_with=bind)
    boxes: dict[StackKey, list[tuple[int, Container, YardSlot]]] = {}
    rows = bind.execute(sa.select(containers).where(containers.c.place.is_not(None)))
    for mapping in rows.mappings().all():
        row = dict(mapping)
        place = parse_place(row["place"])
        bind.execute(
            sa.update(containers)
            .where(containers.c.number == row["number"])
            .values(carrier=carrier_of(place))
        )
        if isinstance(place, YardSlot):
            data = row
            data["next_leg"] = None if row["next_leg"] is None else json.loads(row["next_leg"])
            for stack in place.stacks:
                boxes.setdefault(stack, []).append((place.tier, container_from_data(data), place))
    for position in bind.execute(sa.select(occupancy.c.position)).scalars().all():
        located = stack_of_position(position)
        if located is not None:
            bind.execute(
                sa.update(occupancy)
                .where(occupancy.c.position == position)
                .values(stack=str(located[0]))
            )
    for stack, standing in boxes.items():
        ordered = [(box, slot) for _tier, box, slot in sorted(standing, key=lambda s: s[0])]
        summary = stack_summary_row(summarise(stack, ordered))
        bind.execute(sa.insert(stacks).values(**summary, version=0))


def downgrade() -> None:
    op.drop_index("ix_events_time", "events")
    op.drop_table("yard_stacks")
    op.drop_index("ix_occupancy_stack", "occupancy")
    op.drop_index("ix_occupancy_below", "occupancy")
    with op.batch_alter_table("occupancy") as batch:
        batch.drop_column("stack")
    op.drop_index("ix_containers_carrier", "containers")
    with op.batch_alter_table("containers") as batch:
        batch.drop_column("carrier")
