"""Alembic environment: runs on the connection hubport passes in, or on HUBPORT_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from hubport.adapters import tables_access as _access_tables  # noqa: F401  (its tables)
from hubport.adapters.tables import metadata
from hubport.billing.adapters import tables as _billing_tables  # noqa: F401  (its tables)
from hubport.futures.adapters import tables as _futures_tables  # noqa: F401  (its tables)
from hubport.park.adapters import tables as _park_tables  # noqa: F401  (its tables)

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from hubport.adapters.database import make_engine
    from hubport.config import Settings

    engine = make_engine(Settings().database_url_resolved)
    with engine.begin() as own_connection:
        _run(own_connection)
