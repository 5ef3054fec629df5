"""Wiring the park desk on a hub: its state table, its bus and its read side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hubport.park.adapters.life_file import read_state_table
from hubport.park.adapters.queries import ParkQueries
from hubport.park.adapters.sql_unit_of_work import SqlParkUnitOfWork
from hubport.park.domain.life import StateTable
from hubport.park.services.handlers import PARK_HANDLERS
from hubport.park.services.unit_of_work import ParkUnitOfWork
from hubport.services.messagebus import MessageBus

if TYPE_CHECKING:
    from hubport.bootstrap import Hub


@dataclass
class ParkDesk:
    """The park's commands (``bus``) and questions (``queries``)."""

    table: StateTable
    bus: MessageBus[ParkUnitOfWork]
    queries: ParkQueries


def park_desk(hub: Hub) -> ParkDesk:
    table = read_state_table(hub.settings.park_life)
    engine = hub.engine

    def unit_of_work() -> ParkUnitOfWork:
        return SqlParkUnitOfWork(engine, table)

    bus = hub.bus_for(unit_of_work, PARK_HANDLERS)
    return ParkDesk(table, bus, ParkQueries(engine, table))


__all__ = ["ParkDesk", "park_desk"]
