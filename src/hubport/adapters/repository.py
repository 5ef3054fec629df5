"""The inventory in the store: loaded whole for the audit, written back as diffs (the
scoped reads of a command are ``store_source.StoreSource``).

``InventoryRepository.save`` writes what a unit of work changed: each touched box's row
under its version (optimistic lock), its old positions deleted top-down and new ones
inserted bottom-up (so the database's constraints see a consistent yard at every step),
the summary of every touched stack under the stack's version, and a version bump on every
touched carrier, so that two writers of one stack or one train cannot both commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from hubport.adapters import tables, train_runs
from hubport.adapters.store_source import (
    SUMMARY_COLUMNS,
    StoreSource,
    record_from_row,
    summary_of,
    train_record,
    truck_record,
    vessel_record,
)
from hubport.adapters.vessel_rows import versioned_update, write_vessel_event
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.events import (
    Event,
    ShuttleLeft,
    ShuttleReached,
    TrainArrived,
    TrainDeparted,
    TrainRegistered,
    TruckArrived,
    TruckDeparted,
    container_to_data,
    encode,
)
from hubport.domain.inventory import Inventory, Record, TrainRecord, TruckRecord
from hubport.domain.places import (
    Place,
    StackKey,
    YardSlot,
    carrier_of,
    parse_place,
    stack_of_position,
)
from hubport.domain.records import VesselRecord
from hubport.domain.site import Site
from hubport.domain.stacks import StackSummary

_ACTIVE = ("announced", "in_hub")


# a box's positions and its stack's summary change with every move: the statements built
# once (see store_source.py)
_LEAVE_POSITION = delete(tables.occupancy).where(
    tables.occupancy.c.position == bindparam("where_position"),
    tables.occupancy.c.container_number == bindparam("where_number"),
)
_TAKE_POSITION = insert(tables.occupancy)
_STACK_UPDATE = update(tables.yard_stacks).where(
    tables.yard_stacks.c.block == bindparam("where_block"),
    tables.yard_stacks.c.bay == bindparam("where_bay"),
    tables.yard_stacks.c.row == bindparam("where_row"),
    tables.yard_stacks.c.version == bindparam("where_version"),
)


class InventoryRepository:
    """The inventory as rows of ``containers``, ``occupancy``, ``yard_stacks``, ``trains``
    and ``trucks``."""

    def __init__(self, connection: Connection, site: Site):
        self.connection = connection
        self.site = site

    def scoped(self) -> Inventory:
        """An empty inventory that fetches what it is asked about from the store."""
        return Inventory(self.site, StoreSource(self.connection))

    def load(self, include_departed: bool = False) -> Inventory:
        """The whole inventory (boxes announced or in the hub, carriers not gone).

        For the audit and for comparisons; commands use ``scoped``.
        """
        inventory = Inventory(self.site)
        query = select(tables.containers)
        if not include_departed:
            query = query.where(tables.containers.c.state.in_(_ACTIVE))
        for row in self.connection.execute(query).mappings():
            record = record_from_row(row)
            inventory.restore(record)
            inventory.baseline[record.container.number.value] = row["place"]
        train_query = select(tables.trains)
        truck_query = select(tables.trucks)
        if not include_departed:
            train_query = train_query.where(tables.trains.c.state != "departed")
            truck_query = truck_query.where(tables.trucks.c.state != "departed")
        for row in self.connection.execute(train_query).mappings():
            inventory.trains[row["id"]] = train_record(row)
        for row in self.connection.execute(truck_query).mappings():
            inventory.trucks[row["id"]] = truck_record(row)
        vessel_query = select(tables.vessel_calls)
        if not include_departed:
            vessel_query = vessel_query.where(tables.vessel_calls.c.state != "departed")
        for row in self.connection.execute(vessel_query).mappings():
            inventory.vessels[row["id"]] = vessel_record(row)
        stacks = tables.yard_stacks
        for block, bay, row_number, version in self.connection.execute(
            select(stacks.c.block, stacks.c.bay, stacks.c.row, stacks.c.version)
        ):
            inventory.stack_versions[StackKey(block, bay, row_number)] = version
        return inventory

    def bulk_insert(self, inventory: Inventory) -> None:
        """Write a whole inventory into an empty store in a few batched statements (seeding
        a store from another system, or the benchmarks' stores of 50,000 boxes)."""
        containers = [
            {"number": number, **_container_row(record), "version": 0}
            for number, record in inventory.records.items()
        ]
        positions = [
            row
            for number, record in inventory.records.items()
            if record.place is not None
            for row in _position_rows(number, record.place)
        ]
        stacks = [
            {**stack_summary_row(summary), "version": 0}
            for summary in inventory.stack_summaries().values()
        ]
        for table, rows in (
            (tables.containers, containers),
            (tables.occupancy, sorted(positions, key=lambda row: row["tier"] or 0)),
            (tables.yard_stacks, stacks),
        ):
            for start in range(0, len(rows), 5000):
                self.connection.execute(insert(table), rows[start : start + 5000])

    def load_occupancy(self) -> dict[str, str]:
        """The stored position → box map, as the database has it."""
        rows = self.connection.execute(
            select(tables.occupancy.c.position, tables.occupancy.c.container_number)
        )
        return {position: number for position, number in rows}

    def load_stack_summaries(self) -> dict[StackKey, StackSummary]:
        """Every stored non-empty stack summary (the audit compares them with the boxes)."""
        table = tables.yard_stacks
        rows = self.connection.execute(select(*SUMMARY_COLUMNS).where(table.c.height > 0))
        return {summary.stack: summary for summary in map(summary_of, rows)}

    def save(self, inventory: Inventory) -> None:
        """Write the effects of ``inventory.pending``; raise ConcurrentUpdate on a lost race."""
        events = inventory.pending
        touched = _touched_numbers(events)
        self._write_visits(inventory, events)
        train_runs.project(self.connection, inventory, events)
        new_rows = []
        for number in touched:
            record = inventory.records[number]
            if number in inventory.baseline:
                self._write_container(record)
            else:
                new_rows.append({"number": number, **_container_row(record), "version": 0})
                record.version = 0
        if new_rows:
            # boxes the store has never seen (the fetch said so): one insert for them all;
            # one that another writer added meanwhile fails the insert and the command
            self.connection.execute(insert(tables.containers), new_rows)
        self._rewrite_positions(inventory, touched)
        for stack in sorted(inventory.touched_stacks):
            self._write_stack(inventory, stack)
        for carrier in sorted(inventory.touched_carriers):
            self._lock_carrier(inventory, carrier)

    def _write_container(self, record: Record) -> None:
        """A known box's row under its version (a box that left and comes back included)."""
        number = record.container.number.value
        refused = f"{number} was changed by another writer; nothing applied"
        versioned_update(
            self.connection, tables.containers, number, record, refused, **_container_row(record)
        )

    def _rewrite_positions(self, inventory: Inventory, touched: Iterable[str]) -> None:
        old_rows: list[tuple[int, str, str]] = []
        new_rows: list[dict[str, Any]] = []
        for number in touched:
            old = inventory.baseline.get(number)
            new_place = inventory.records[number].place
            if old == (str(new_place) if new_place is not None else None):
                # a box that stays where it is keeps its rows: rewriting them would delete
                # a row that the box above refers to
                continue
            if old is not None:
                old_place = parse_place(old)
                tier = old_place.tier if isinstance(old_place, YardSlot) else 0
                old_rows.extend((tier, position, number) for position in old_place.positions())
            if new_place is not None:
                new_rows.extend(_position_rows(number, new_place))
        for _tier, position, number in sorted(old_rows, reverse=True):
            result = self.connection.execute(
                _LEAVE_POSITION, {"where_position": position, "where_number": number}
            )
            if result.rowcount != 1:
                raise ConcurrentUpdate(f"{number} is no longer at {position}; nothing applied")
        for row in sorted(new_rows, key=lambda row: (row["tier"] or 0, row["position"])):
            self.connection.execute(_TAKE_POSITION, row)
        for number in touched:
            place = inventory.records[number].place
            inventory.baseline[number] = None if place is None else str(place)

    def _write_stack(self, inventory: Inventory, stack: StackKey) -> None:
        """The stack's new summary, under the version it was read at."""
        table = tables.yard_stacks
        values = stack_summary_row(inventory.summary(stack))
        version = inventory.stack_versions.get(stack)
        if version is None:
            self.connection.execute(insert(table), {**values, "version": 0})
            inventory.stack_versions[stack] = 0
            return
        where = {
            "where_block": stack.block,
            "where_bay": stack.bay,
            "where_row": stack.row,
            "where_version": version,
        }
        result = self.connection.execute(_STACK_UPDATE, {**values, "version": version + 1, **where})
        if result.rowcount != 1:
            raise ConcurrentUpdate(f"stack {stack} was changed by another writer; nothing applied")
        inventory.stack_versions[stack] = version + 1

    def _lock_carrier(self, inventory: Inventory, carrier: str) -> None:
        """Bump the version of the train or truck whose load changed."""
        kind, _, key = carrier.partition(":")
        record: TrainRecord | TruckRecord | VesselRecord | None
        if kind == "wagon":
            record, table = inventory.trains.get(key), tables.trains
        elif kind == "truck":
            record, table = inventory.trucks.get(key), tables.trucks
        elif kind == "vessel":
            record, table = inventory.vessels.get(key), tables.vessel_calls
        else:
            return  # a spreader belongs to one crane; the box's own version guards it
        if record is None:
            return
        refused = f"{carrier} was changed by another writer; nothing applied"
        versioned_update(self.connection, table, key, record, refused)

    def _write_visits(self, inventory: Inventory, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, TrainRegistered):
                train = event.train
                self.connection.execute(
                    insert(tables.trains).values(
                        id=train.id,
                        service=train.service,
                        direction=train.direction,
                        visit=json.dumps(encode(train)),
                        state="expected",
                        version=0,
                    )
                )
                inventory.trains[train.id].version = 0
            elif isinstance(event, TrainArrived | TrainDeparted):
                self._train_state(inventory.trains[event.train], event)
            elif isinstance(event, TruckArrived):
                truck = event.truck
                self.connection.execute(
                    insert(tables.trucks).values(
                        id=truck.id,
                        plate=truck.plate,
                        appointment=truck.appointment,
                        collects=json.dumps(list(truck.collects)),
                        shuttle=truck.shuttle,
                        starts_at=truck.starts_at,
                        location=truck.starts_at,
                        state="on_site",
                        arrived_at=event.at,
                        version=0,
                    )
                )
                inventory.trucks[truck.id].version = 0
            elif isinstance(event, TruckDeparted):
                versioned_update(
                    self.connection,
                    tables.trucks,
                    event.visit,
                    inventory.trucks[event.visit],
                    f"truck visit {event.visit} was changed or already left",
                    state="departed",
                    departed_at=event.at,
                )
            elif isinstance(event, ShuttleLeft | ShuttleReached):
                record = inventory.trucks[event.visit]
                versioned_update(
                    self.connection,
                    tables.trucks,
                    event.visit,
                    record,
                    location=record.location,
                    bound_for=record.bound_for,
                )
            else:
                write_vessel_event(self.connection, inventory, event)

    def _train_state(self, record: TrainRecord, event: TrainArrived | TrainDeparted) -> None:
        table = tables.trains
        values: dict[str, Any] = {"state": record.state, "track": record.track}
        values["arrived_at" if isinstance(event, TrainArrived) else "departed_at"] = event.at
        refused = f"train {record.train.id} was changed by another writer"
        versioned_update(self.connection, table, record.train.id, record, refused, **values)


def stack_summary_row(summary: StackSummary) -> dict[str, Any]:
    """The ``yard_stacks`` columns of a summary (without the version)."""
    return {
        "block": summary.stack.block,
        "bay": summary.stack.bay,
        "row": summary.stack.row,
        "height": summary.height,
        "top_number": summary.top,
        "top_forty": summary.top_forty,
        "top_bay": summary.top_bay,
        "top_due": _iso(summary.top_due),
        "earliest_due": _iso(summary.earliest_due),
        "leg": summary.leg,
        "reefers": summary.reefers,
        "dangerous": summary.dangerous,
        "forties": summary.forties,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _touched_numbers(events: Iterable[Event]) -> list[str]:
    """The boxes the events changed, in first-touched order."""
    numbers = (event.container_number for event in events if event.changes_inventory)
    return list(dict.fromkeys(number for number in numbers if number is not None))


def _position_rows(number: str, place: Place) -> list[dict[str, Any]]:
    if isinstance(place, YardSlot):
        below_slot = YardSlot(place.block, place.bay, place.row, place.tier - 1)
        belows = below_slot.positions() if place.tier > 1 else (None,) * len(place.positions())
        rows = []
        for position, below in zip(place.positions(), belows, strict=True):
            located = stack_of_position(position)
            rows.append(
                {
                    "position": position,
                    "container_number": number,
                    "tier": place.tier,
                    "below": below,
                    "stack": str(located[0]) if located else None,
                }
            )
        return rows
    return [
        {"position": position, "container_number": number, "tier": None, "below": None}
        for position in place.positions()
    ]


def _container_row(record: Record) -> dict[str, Any]:
    data = container_to_data(record.container)
    return {
        "size_type": data["size_type"],
        "gross_mass_kg": data["gross_mass_kg"],
        "full": data["full"],
        "operator": data["operator"],
        "reefer_setpoint_c": data["reefer_setpoint_c"],
        "imdg_class": data["imdg_class"],
        "next_leg": None if data["next_leg"] is None else json.dumps(data["next_leg"]),
        "customs_status": data["customs_status"],
        "seal": data["seal"],
        "state": record.state.value,
        "place": None if record.place is None else str(record.place),
        "carrier": None if record.place is None else carrier_of(record.place),
    }
