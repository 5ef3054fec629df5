"""Questions about the inbox of applied message keys."""

from __future__ import annotations

from sqlalchemy import Engine, select

from hubport.adapters import tables


def keys_with_prefix(engine: Engine, prefix: str) -> list[str]:
    """Every applied idempotency key that starts with ``prefix``."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    column = tables.inbox.c.idempotency_key
    with engine.connect() as connection:
        rows = connection.execute(select(column).where(column.like(f"{escaped}%", escape="\\")))
        return [row[0] for row in rows]
