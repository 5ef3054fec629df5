"""Loads the inventory from the store and writes back what a unit of work changed.

Writes are diffs from the state as loaded: each touched box's row is updated under its
version (optimistic lock), its old positions deleted top-down and new ones inserted
bottom-up, so that the database's own constraints see a consistent yard at every step.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from hubport.adapters import tables, train_runs
from hubport.domain.container import Container
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.events import (
    Event,
    TrainArrived,
    TrainDeparted,
    TrainRegistered,
    TruckArrived,
    TruckDeparted,
    container_from_data,
    container_to_data,
    encode,
    train_from_data,
)
from hubport.domain.inventory import ContainerState, Inventory, Record, TrainRecord, TruckRecord
from hubport.domain.places import YardSlot, parse_place
from hubport.domain.site import Site
from hubport.domain.visits import TruckVisit

_ACTIVE = ("announced", "in_hub")


class InventoryRepository:
    """The inventory as rows of ``containers``, ``occupancy``, ``trains`` and ``trucks``."""

    def __init__(self, connection: Connection, site: Site):
        self.connection = connection
        self.site = site

    def load(self, include_departed: bool = False) -> Inventory:
        """The hub's current inventory (boxes announced or in the hub, carriers not gone)."""
        inventory = Inventory(self.site)
        query = select(tables.containers)
        if not include_departed:
            query = query.where(tables.containers.c.state.in_(_ACTIVE))
        for row in self.connection.execute(query).mappings():
            record = Record(
                container=_container(row),
                state=ContainerState(row["state"]),
                place=None,
                version=row["version"],
            )
            if row["place"] is not None:
                record.place = parse_place(row["place"])
            inventory.restore(record)
        train_query = select(tables.trains)
        truck_query = select(tables.trucks)
        if not include_departed:
            train_query = train_query.where(tables.trains.c.state != "departed")
            truck_query = truck_query.where(tables.trucks.c.state != "departed")
        for row in self.connection.execute(train_query).mappings():
            inventory.trains[row["id"]] = TrainRecord(
                train_from_data(json.loads(row["visit"])),
                row["state"],
                row["track"],
                row["version"],
            )
        for row in self.connection.execute(truck_query).mappings():
            inventory.trucks[row["id"]] = TruckRecord(
                TruckVisit(row["id"], row["plate"], row["appointment"]),
                row["state"],
                row["version"],
            )
        return inventory

    def load_occupancy(self) -> dict[str, str]:
        """The stored position → box map, as the database has it."""
        rows = self.connection.execute(
            select(tables.occupancy.c.position, tables.occupancy.c.container_number)
        )
        return {position: number for position, number in rows}

    def save(self, inventory: Inventory, loaded_places: dict[str, str | None]) -> None:
        """Write the effects of ``inventory.pending``; raise ConcurrentUpdate on a lost race.

        ``loaded_places`` maps every box loaded from the store to its place at load time.
        """
        events = inventory.pending
        touched = _touched_numbers(events)
        self._write_visits(inventory, events)
        train_runs.project(self.connection, inventory, events)
        for number in touched:
            self._write_container(inventory.records[number], number in loaded_places)
        self._rewrite_positions(inventory, touched, loaded_places)

    def _write_container(self, record: Record, was_loaded: bool) -> None:
        values = _container_row(record)
        table = tables.containers
        number = record.container.number.value
        if was_loaded:
            result = self.connection.execute(
                update(table)
                .where(table.c.number == number, table.c.version == record.version)
                .values(**values, version=record.version + 1)
            )
            if result.rowcount != 1:
                raise ConcurrentUpdate(f"{number} was changed by another writer; nothing applied")
            record.version += 1
            return
        # A box that left the hub once may come back: its row starts a new life.
        revived = self.connection.execute(
            update(table)
            .where(table.c.number == number, table.c.state == "departed")
            .values(**values, version=0)
        )
        if revived.rowcount == 0:
            self.connection.execute(insert(table).values(number=number, **values, version=0))
        record.version = 0

    def _rewrite_positions(
        self, inventory: Inventory, touched: Iterable[str], loaded_places: dict[str, str | None]
    ) -> None:
        old_rows: list[tuple[int, str, str]] = []
        new_rows: list[dict[str, Any]] = []
        for number in touched:
            old = loaded_places.get(number)
            new_place = inventory.records[number].place
            if old == (str(new_place) if new_place is not None else None):
                # a box that stays where it is keeps its rows: rewriting them would delete
                # a row that the box above refers to
                continue
            if old is not None:
                old_place = parse_place(old)
                tier = old_place.tier if isinstance(old_place, YardSlot) else 0
                old_rows.extend((tier, position, number) for position in old_place.positions())
            new = inventory.records[number].place
            if new is not None:
                new_rows.extend(_position_rows(number, new))
        table = tables.occupancy
        for _tier, position, number in sorted(old_rows, reverse=True):
            result = self.connection.execute(
                delete(table).where(
                    table.c.position == position, table.c.container_number == number
                )
            )
            if result.rowcount != 1:
                raise ConcurrentUpdate(f"{number} is no longer at {position}; nothing applied")
        for row in sorted(new_rows, key=lambda row: (row["tier"] or 0, row["position"])):
            self.connection.execute(insert(table).values(**row))

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
            elif isinstance(event, TrainArrived | TrainDeparted):
                self._train_state(inventory.trains[event.train], event)
            elif isinstance(event, TruckArrived):
                truck = event.truck
                self.connection.execute(
                    insert(tables.trucks).values(
                        id=truck.id,
                        plate=truck.plate,
                        appointment=truck.appointment,
                        state="on_site",
                        arrived_at=event.at,
                        version=0,
                    )
                )
            elif isinstance(event, TruckDeparted):
                table = tables.trucks
                result = self.connection.execute(
                    update(table)
                    .where(table.c.id == event.visit, table.c.state == "on_site")
                    .values(state="departed", departed_at=event.at, version=table.c.version + 1)
                )
                if result.rowcount != 1:
                    raise ConcurrentUpdate(f"truck visit {event.visit} already left")

    def _train_state(self, record: TrainRecord, event: TrainArrived | TrainDeparted) -> None:
        table = tables.trains
        values: dict[str, Any] = {"state": record.state, "track": record.track}
        values["arrived_at" if isinstance(event, TrainArrived) else "departed_at"] = event.at
        expected = "expected" if isinstance(event, TrainArrived) else "on_site"
        result = self.connection.execute(
            update(table)
            .where(table.c.id == record.train.id, table.c.state == expected)
            .values(**values, version=table.c.version + 1)
        )
        if result.rowcount != 1:
            raise ConcurrentUpdate(f"train {record.train.id} is no longer {expected}")


def _touched_numbers(events: Iterable[Event]) -> list[str]:
    """The boxes the events changed, in first-touched order."""
    numbers = (event.container_number for event in events)
    return list(dict.fromkeys(number for number in numbers if number is not None))


def _position_rows(number: str, place: Any) -> list[dict[str, Any]]:
    if isinstance(place, YardSlot):
        below_slot = YardSlot(place.block, place.bay, place.row, place.tier - 1)
        belows = below_slot.positions() if place.tier > 1 else (None,) * len(place.positions())
        return [
            {"position": position, "container_number": number, "tier": place.tier, "below": below}
            for position, below in zip(place.positions(), belows, strict=True)
        ]
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
    }


def _container(row: Any) -> Container:
    data = dict(row)
    data["next_leg"] = None if row["next_leg"] is None else json.loads(row["next_leg"])
    return container_from_data(data)
