"""The unit of work on SQLAlchemy: one connection, one transaction per command."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Self

from sqlalchemy import Connection, Engine, bindparam, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from hubport.adapters import tables
from hubport.adapters.appointment_store import AppointmentStore
from hubport.adapters.crane_job_store import CraneJobStore
from hubport.adapters.customs_store import CustomsStore
from hubport.adapters.event_log import append_events
from hubport.adapters.repository import InventoryRepository
from hubport.adapters.times import utc
from hubport.adapters.user_store import UserStore
from hubport.domain.access import UserBook
from hubport.domain.crane_jobs import CraneJobBook
from hubport.domain.customs import CustomsBook
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.gate import AppointmentBook
from hubport.domain.inventory import Inventory
from hubport.domain.site import Site
from hubport.domain.track_reservations import TrackReservation
from hubport.services.commands import result_json
from hubport.services.unit_of_work import Cause, StoredResult, UnitOfWork

#: The out-gate's question to billing, in the command's transaction: why a box may not
#: leave at a moment for its charges, or None.
PaymentCheck = Callable[[Connection, str, datetime], "str | None"]


class SqlUnitOfWork(UnitOfWork):
    """Gives a handler a scoped inventory and writes events, effects and inbox in one commit.

    The transaction is optimistic: reads take no lock, and a writer that lost a race (a
    box, stack or carrier changed since it read them; on SQLite, any commit since it read)
    gets ConcurrentUpdate, on which the bus runs the command again; its last try is
    ``exclusive`` (on SQLite, BEGIN IMMEDIATE: it waits for the write lock, then nobody
    can come between). ``scoped=False`` loads
    the whole inventory instead (the reference the property tests compare against).
    """

    def __init__(
        self,
        engine: Engine,
        site: Site,
        scoped: bool = True,
        payment_check: PaymentCheck | None = None,
    ):
        super().__init__()
        self.engine = engine
        self.site = site
        self.scoped = scoped
        self.payment_check = payment_check
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        connection = self.engine.connect()
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        elif not self.exclusive:
            connection = connection.execution_options(optimistic=True)
        self._connection = connection
        connection.begin()
        self._inventory = None
        self._crane_jobs = None
        self._customs = None
        self._appointments = None
        self._users = None
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._connection

    def _load_inventory(self) -> Inventory:
        repository = InventoryRepository(self.connection, self.site)
        return repository.scoped() if self.scoped else repository.load(include_departed=True)

    def _load_crane_jobs(self) -> CraneJobBook:
        store = CraneJobStore(self.connection)
        return CraneJobBook(store.get, store.open_jobs, store.open_which)

    def _load_customs(self) -> CustomsBook:
        store = CustomsStore(self.connection)
        return CustomsBook(store.get, store.of_boxes, store.holds_on, store.hold)

    def _load_users(self) -> UserBook:
        return UserBook(UserStore(self.connection).get)

    def _load_appointments(self) -> AppointmentBook:
        store = AppointmentStore(self.connection)
        return AppointmentBook(
            store.get, store.in_window, store.of_plate, store.of_box, store.booked_counts
        )

    def track_reservations(
        self, track: str, start: datetime, end: datetime
    ) -> list[TrackReservation]:
        table = tables.track_reservations
        query = select(table).where(
            table.c.track == track,
            table.c.active.is_(True),
            table.c.start_at < utc(end),
            table.c.end_at > utc(start),
        )
        return [
            TrackReservation(row.track, utc(row.start_at), utc(row.end_at), row.holder)
            for row in self.connection.execute(query)
        ]

    def payment_refusal(self, box: str, at: datetime) -> str | None:
        if self.payment_check is None:
            return None
        return self.payment_check(self.connection, box, at)

    def find_result(self, idempotency_key: str) -> StoredResult | None:
        return stored_result(self.connection, idempotency_key)

    def commit(self, cause: Cause) -> None:
        commit_command(self.connection, cause, self._write, self.rollback)
        if self._inventory is not None:
            self._inventory.pending.clear()
        self._crane_jobs = None
        self._customs = None
        self._appointments = None
        self._users = None

    def _write(self, connection: Connection, cause: Cause, now: datetime) -> None:
        """The unit of work's changes, in the transaction ``commit_command`` ends."""
        if self._inventory is not None and self._inventory.pending:
            repository = InventoryRepository(connection, self.site)
            repository.save(self._inventory)
            append_events(
                connection,
                self._inventory.pending,
                cause.command,
                cause.command_id,
                cause.idempotency_key,
                now,
                cause.author,
            )
        if self._crane_jobs is not None and self._crane_jobs.changed:
            CraneJobStore(connection).save(self._crane_jobs.pending_writes(), now)
        if self._customs is not None and self._customs.dirty:
            CustomsStore(connection).save(*self._customs.pending_writes())
        if self._appointments is not None and self._appointments.changed:
            AppointmentStore(connection).save(self._appointments.pending_writes())
        if self._users is not None and (self._users.added or self._users.changed):
            UserStore(connection).save(self._users.added, self._users.changed.values())

    def rollback(self) -> None:
        self._crane_jobs = None
        self._customs = None
        self._appointments = None
        self._users = None
        if self._connection is not None:
            self._connection.rollback()
            self._connection.close()
            self._connection = None


Write = Callable[[Connection, Cause, datetime], None]

# every keyed command looks up and writes its inbox row: the statements built once
_STORED = select(tables.inbox.c.command, tables.inbox.c.digest, tables.inbox.c.result).where(
    tables.inbox.c.idempotency_key == bindparam("key")
)
_INBOX = insert(tables.inbox)


def stored_result(connection: Connection, idempotency_key: str) -> StoredResult | None:
    """The stored result of a key already applied, or None (the inbox every unit of work
    shares, whatever its bounded context)."""
    row = connection.execute(_STORED, {"key": idempotency_key}).first()
    return None if row is None else StoredResult(row.command, row.digest, json.loads(row.result))


def commit_command(
    connection: Connection, cause: Cause, write: Write, rollback: Callable[[], None]
) -> None:
    """Write a command's changes (``write``) and its inbox row, and commit; a writer that
    lost a race gets ConcurrentUpdate (the bus runs the command again), with nothing
    applied."""
    now = datetime.now(UTC)
    try:
        write(connection, cause, now)
        if cause.idempotency_key is not None:
            connection.execute(
                _INBOX,
                {
                    "idempotency_key": cause.idempotency_key,
                    "command": cause.command,
                    "digest": cause.digest,
                    "result": result_json(cause.result),
                    "command_id": cause.command_id,
                    "handled_at": now,
                },
            )
        connection.commit()
    except IntegrityError as error:
        rollback()
        raise ConcurrentUpdate(
            f"the store refused {cause.command}: {error.orig}; nothing was applied"
        ) from None
    except DBAPIError as error:
        rollback()
        if is_serialisation_failure(error) or is_sqlite_busy(error):
            raise ConcurrentUpdate(
                f"{cause.command} raced another writer; nothing was applied"
            ) from None
        raise
    except ConcurrentUpdate:
        rollback()
        raise


def is_sqlite_busy(error: DBAPIError) -> bool:
    """SQLite refused the write: another writer committed since this one read (or held the
    lock past the timeout)."""
    name = type(error.orig).__module__
    return name.startswith("sqlite3") and "locked" in str(error.orig).lower()


def is_serialisation_failure(error: DBAPIError) -> bool:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code in ("40001", "40P01")
