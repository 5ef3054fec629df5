"""The ``vessel_calls`` rows a unit of work writes (a call registered, berthed, departed,
its bay plan and its load list), and the update under a row's version that every
versioned row of the inventory shares."""

from __future__ import annotations

import functools
import json
from typing import Any, Protocol

from sqlalchemy import Connection, Table, Update, bindparam, insert, update

from hubport.adapters import tables
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.events import (
    BayPlanRecorded,
    Event,
    LoadListRecorded,
    VesselBerthed,
    VesselCallRegistered,
    VesselDeparted,
    encode,
)
from hubport.domain.inventory import Inventory


def write_vessel_event(connection: Connection, inventory: Inventory, event: Event) -> None:
    """Write what a vessel event changed (other events: nothing)."""
    table = tables.vessel_calls
    if isinstance(event, VesselCallRegistered):
        call = event.call
        connection.execute(
            insert(table).values(
                id=call.id,
                vessel=call.vessel,
                kind=call.kind,
                voyage=call.voyage,
                berth=call.berth,
                eta=call.eta,
                etd=call.etd,
                call=json.dumps(encode(call)),
                state="expected",
                bay_plan="{}",
                load_list="[]",
                version=0,
            )
        )
        inventory.vessels[call.id].version = 0
        return
    if not isinstance(event, VesselBerthed | VesselDeparted | BayPlanRecorded | LoadListRecorded):
        return
    record = inventory.vessels[event.call]
    values: dict[str, Any] = {"state": record.state}
    if isinstance(event, VesselBerthed):
        values["berthed_at"] = event.at
    elif isinstance(event, VesselDeparted):
        values["departed_at"] = event.at
    elif isinstance(event, BayPlanRecorded):
        values["bay_plan"] = json.dumps(
            {number: str(cell) for number, cell in record.bay_plan.items()}
        )
    else:
        values["load_list"] = json.dumps(list(record.load_list))
    versioned_update(connection, table, event.call, record, **values)


class Versioned(Protocol):
    version: int


@functools.cache
def _versioned(table: Table) -> Update:
    """The update of one of ``table``'s rows under its version, built once per table."""
    (column,) = table.primary_key.columns
    return update(table).where(
        column == bindparam("where_key"), table.c.version == bindparam("where_version")
    )


def versioned_update(
    connection: Connection,
    table: Table,
    key: str,
    record: Versioned,
    refused: str | None = None,
    **values: Any,
) -> None:
    """Write a row (its primary key ``key``) under the version it was read at, and bump
    the record's; ``refused`` is the error when another writer came first."""
    result = connection.execute(
        _versioned(table),
        {
            **values,
            "where_key": key,
            "where_version": record.version,
            "version": record.version + 1,
        },
    )
    if result.rowcount != 1:
        raise ConcurrentUpdate(refused or f"{table.name} {key} was changed by another writer")
    record.version += 1


__all__ = ["Versioned", "versioned_update", "write_vessel_event"]
