"""Train runs: the per-train record the corridor statistics are computed from.

Written in the same transaction as the events it follows: a train's arrival records the
boxes it brought, its departure the boxes it took away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hubport.adapters import tables
from hubport.domain.events import (
    ContainerArrived,
    ContainerDeparted,
    Event,
    TrainArrived,
    TrainDeparted,
)
from hubport.domain.inventory import Inventory
from hubport.domain.places import WagonSlot

_TABLE = tables.train_runs


def project(connection: Connection, inventory: Inventory, events: Sequence[Event]) -> None:
    """Record the arrivals and departures of trains among ``events``."""
    for event in events:
        if isinstance(event, TrainArrived):
            count, teu = _carried(inventory, events, ContainerArrived, event.train)
            _upsert(
                connection, inventory, event.train, arrived_at=event.at, boxes_in=count, teu_in=teu
            )
        elif isinstance(event, TrainDeparted):
            count, teu = _carried(inventory, events, ContainerDeparted, event.train)
            _upsert(
                connection,
                inventory,
                event.train,
                departed_at=event.at,
                boxes_out=count,
                teu_out=teu,
            )


def _carried(
    inventory: Inventory,
    events: Sequence[Event],
    kind: type[ContainerArrived] | type[ContainerDeparted],
    train: str,
) -> tuple[int, float]:
    """How many boxes came onto (or left on) ``train``'s wagons among ``events``, and TEU."""
    numbers = [
        event.number
        for event in events
        if isinstance(event, kind)
        and isinstance(event.place, WagonSlot)
        and event.place.train == train
    ]
    return len(numbers), sum(inventory.get(number).container.teu for number in numbers)


def _upsert(connection: Connection, inventory: Inventory, train_id: str, **values: Any) -> None:
    exists = connection.execute(select(_TABLE.c.id).where(_TABLE.c.id == train_id)).first()
    if exists is not None:
        connection.execute(update(_TABLE).where(_TABLE.c.id == train_id).values(**values))
        return
    train = inventory.trains[train_id].train
    row: dict[str, Any] = {
        "id": train_id,
        "service": train.service,
        "direction": train.direction,
        "origin": train.origin,
        "destination": train.destination,
        "boxes_in": 0,
        "teu_in": 0.0,
        "boxes_out": 0,
        "teu_out": 0.0,
        "source": "operations",
    }
    connection.execute(insert(_TABLE).values(**{**row, **values}))


def add_runs(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk-insert train runs (the synthetic year)."""
    if rows:
        connection.execute(insert(_TABLE), list(rows))


def runs_between(connection: Connection, first: datetime, last: datetime) -> list[dict[str, Any]]:
    """Every train run that arrived or departed in [first, last)."""
    query = select(_TABLE).where(
        ((_TABLE.c.departed_at >= first) & (_TABLE.c.departed_at < last))
        | ((_TABLE.c.arrived_at >= first) & (_TABLE.c.arrived_at < last))
    )
    return [dict(row) for row in connection.execute(query).mappings()]
