"""The one place that builds the engine, the site, the unit of work and the message bus."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.edi.outbox import Outbox
from hubport.adapters.edi.partners import read_profile
from hubport.adapters.edi.store import EdiRecord
from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.adapters.session_store import SessionStore
from hubport.adapters.site_file import read_site_file
from hubport.adapters.train_runs import add_runs
from hubport.config import Settings
from hubport.domain.site import Site
from hubport.runtime.clock import LeaderClock
from hubport.services.clock import Clock
from hubport.services.commands import Author
from hubport.services.edi_gateway import Gateway
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import CommandHandler, HubBus, MessageBus, UnitOfWorkT
from hubport.services.queries import Queries
from hubport.services.sql_unit_of_work import PaymentCheck, SqlUnitOfWork

if TYPE_CHECKING:
    from hubport.billing.bootstrap import BillingDesk
    from hubport.futures.bootstrap import FuturesDesk
    from hubport.park.bootstrap import ParkDesk


@dataclass
class Hub:
    """A running hub: its settings, store, site and bus."""

    settings: Settings
    engine: Engine
    site: Site
    bus: HubBus
    #: The out-gate's question to billing (None: a hub that does not bill).
    payment_check: PaymentCheck | None = None

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.site, payment_check=self.payment_check)

    @property
    def queries(self) -> Queries:
        """The read side: every question the entry points ask."""
        return Queries(self.engine, self.site)

    def edi_gateway(self) -> Gateway:
        """The EDIFACT gateway on this hub's bus and record."""
        root = self.settings.edi_root
        return Gateway(
            self.bus,
            EdiRecord(self.engine),
            self.settings.hub_locodes,
            profiles=lambda partner: read_profile(root, partner),
        )

    def console_sessions(self) -> SessionStore:
        """The console's server-side sessions."""
        return SessionStore(self.engine)

    def edi_outbox(self) -> Outbox:
        return Outbox(
            self.engine,
            self.site,
            EdiRecord(self.engine),
            self.settings.edi_sender,
            self.site.locode,
        )

    def add_train_runs(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add train runs to the corridor statistics' record (a synthetic year): they are
        statistics, not operations, so they bypass the bus and its event log."""
        with self.engine.begin() as connection:
            add_runs(connection, rows)

    def bus_for(
        self, uow_factory: Callable[[], UnitOfWorkT], handlers: Mapping[type, CommandHandler]
    ) -> MessageBus[UnitOfWorkT]:
        """A bounded context's bus: its own unit of work and handlers, on this hub's
        clock, in the name of this hub's process."""
        return MessageBus(
            uow_factory=uow_factory,
            clock=self.bus.clock,
            command_handlers=handlers,
            event_handlers={},
            author=self.bus.author,
        )

    def futures(self) -> FuturesDesk:
        """The log-futures delivery site's desk on this hub's store and clock."""
        from hubport.futures.bootstrap import futures_desk

        return futures_desk(self)

    def park(self) -> ParkDesk:
        """The industrial park's services desk on this hub's store and clock."""
        from hubport.park.bootstrap import park_desk

        return park_desk(self)

    def billing(self) -> BillingDesk:
        """The billing office's desk on this hub's store and clock."""
        from hubport.billing.bootstrap import billing_desk

        return billing_desk(self)

    def close(self) -> None:
        self.engine.dispose()


def initialise(settings: Settings, site_file: Path | None = None) -> Site:
    """Create or migrate the store and install the site layout (idempotent)."""
    engine = make_engine(settings.database_url_resolved, settings.sqlite_synchronous)
    try:
        migrate(engine)
        site, text, source = read_site_file(site_file or settings.site)
        install_site(engine, site, text, source)
        return site
    finally:
        engine.dispose()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Hub:
    """Wire a hub on an initialised store; raises NotInitialised otherwise."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url_resolved, settings.sqlite_synchronous)
    try:
        site = load_site(engine)
    except Exception:
        engine.dispose()
        raise
    if clock is None:
        # the hub time the active runtime keeps (the wall clock where none has run)
        clock = LeaderClock(SqlLeaseStore(engine, site.code).read)
    from hubport.billing.bootstrap import gate_payment_check

    payment_check = gate_payment_check(settings)
    bus: HubBus = MessageBus(
        uow_factory=lambda: SqlUnitOfWork(engine, site, payment_check=payment_check),
        clock=clock,
        command_handlers=COMMAND_HANDLERS,
        event_handlers=EVENT_HANDLERS,
        # a command that names no author comes from whoever runs this process (the command
        # line); the API, the console, the EDI gateway and the runtime name their own
        author=Author(getpass.getuser(), "shell", "cli"),
    )
    return Hub(settings, engine, site, bus, payment_check)
