"""Wiring the futures desk on a hub: its delivery site, its bus and its read side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hubport.futures.adapters.queries import FuturesQueries
from hubport.futures.adapters.site_file import read_delivery_site
from hubport.futures.adapters.sql_unit_of_work import SqlFuturesUnitOfWork
from hubport.futures.domain.site import DeliverySite
from hubport.futures.services.handlers import FUTURES_HANDLERS
from hubport.futures.services.unit_of_work import FuturesUnitOfWork
from hubport.services.messagebus import MessageBus

if TYPE_CHECKING:
    from hubport.bootstrap import Hub


@dataclass
class FuturesDesk:
    """The delivery site's commands (``bus``) and questions (``queries``)."""

    site: DeliverySite
    bus: MessageBus[FuturesUnitOfWork]
    queries: FuturesQueries


def futures_desk(hub: Hub) -> FuturesDesk:
    """The desk on ``hub``'s store and clock, for the site of ``HUBPORT_FUTURES_SITE``."""
    site = read_delivery_site(hub.settings.futures_site)
    engine = hub.engine

    def unit_of_work() -> FuturesUnitOfWork:
        return SqlFuturesUnitOfWork(engine, site)

    bus = hub.bus_for(unit_of_work, FUTURES_HANDLERS)
    return FuturesDesk(site, bus, FuturesQueries(engine, site))


__all__ = ["FuturesDesk", "futures_desk"]
