"""Engines and migrations: SQLite by default (a file created on first use), PostgreSQL by URL."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, insert, select, update
from sqlalchemy.engine import make_url

from hubport.adapters import tables
from hubport.adapters.site_file import site_from_text
from hubport.domain.errors import ConfigurationError, HubportError
from hubport.domain.site import Site


class NotInitialised(HubportError):
    """The store has no schema or no site yet: run ``hubport init``."""


def owner_only(path: Path) -> None:
    """Create ``path``'s folder and the file (and SQLite's journals beside it) readable by
    their owner only: the store holds tokens' digests, sessions and partners' messages."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part == path and not part.exists():
            part.touch(mode=0o600)
        if part.exists():
            part.chmod(0o600)


#: SQLite's flush at each commit, safest first.
SYNCHRONOUS = ("full", "normal", "off")


def make_engine(url: str, synchronous: str = "full") -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL, serialised writers and the
    flush at commit ``synchronous`` names (full, normal or off)."""
    try:
        parsed = make_url(url)
    except Exception as error:  # SQLAlchemy raises a bare ArgumentError with no detail
        raise ConfigurationError(f"HUBPORT_DATABASE_URL {url!r} is not a database URL") from error
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, synchronous)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, isolation_level="SERIALIZABLE", pool_pre_ping=True)
    raise ConfigurationError(
        f"database {parsed.get_backend_name()!r} is not supported; use sqlite or postgresql"
    )


def _sqlite_engine(url: str, database: str | None, synchronous: str) -> Engine:
    if synchronous not in SYNCHRONOUS:
        raise ConfigurationError(
            f"HUBPORT_SQLITE_SYNCHRONOUS {synchronous!r}: use one of {', '.join(SYNCHRONOUS)}"
        )
    if database and database != ":memory:":
        owner_only(Path(database))
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself, so that writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        # a store of tens of thousands of boxes: keep its indexes in memory (64 MiB of
        # page cache, the file mapped) rather than 2 MiB, SQLite's default
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.execute("PRAGMA mmap_size = 268435456")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A unit of work reads without a lock and is refused at its first write if another
        # writer committed meanwhile (WAL snapshot); everything else takes the lock up front.
        optimistic = connection.get_execution_options().get("optimistic", False)
        connection.exec_driver_sql("BEGIN" if optimistic else "BEGIN IMMEDIATE")

    return engine


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("hubport.adapters").joinpath("migrations"))
    )
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser escaping
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database)."""
    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def install_site(engine: Engine, site: Site, text: str, source: str) -> None:
    """Store the site layout the hub runs on; a different site replaces it only when empty."""
    table = tables.site_layout
    now = datetime.now(UTC)
    with engine.begin() as connection:
        existing = connection.execute(select(table.c.code, table.c.layout)).first()
        if existing is None:
            connection.execute(
                insert(table).values(
                    id=1,
                    code=site.code,
                    name=site.name,
                    source=source,
                    layout=text,
                    installed_at=now,
                )
            )
            return
        if existing.layout == text:
            return
        boxes = connection.execute(select(tables.containers.c.number).limit(1)).first()
        if boxes is not None:
            raise HubportError(
                f"the store already runs site {existing.code} with boxes recorded; "
                f"a different layout ({source}) needs a new database"
            )
        connection.execute(
            update(table).values(
                code=site.code, name=site.name, source=source, layout=text, installed_at=now
            )
        )


def load_site(engine: Engine) -> Site:
    """The site layout stored by ``hubport init``."""
    if not schema_is_current(engine):
        raise NotInitialised(
            f"the database at {engine.url.render_as_string()} is not initialised or is behind "
            "the code: run `hubport init`"
        )
    with engine.connect() as connection:
        row = connection.execute(
            select(tables.site_layout.c.layout, tables.site_layout.c.source)
        ).first()
    if row is None:
        raise NotInitialised("no site layout is installed: run `hubport init`")
    return site_from_text(row.layout, row.source)
