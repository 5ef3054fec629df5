"""The store as a scoped inventory's source: one box, one ground stack, one carrier, the
stack summaries of some bays, each by an indexed query (see ``InventorySource``)."""

from __future__ import annotations

import functools
import json
import weakref
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, or_, select

from hubport.adapters import tables
from hubport.domain.container import Container
from hubport.domain.events import container_from_data, train_from_data
from hubport.domain.inventory import ContainerState, Record, TrainRecord, TruckRecord
from hubport.domain.places import StackKey, VesselCell, parse_place
from hubport.domain.records import LoadedStack, VesselRecord
from hubport.domain.river import vessel_call_from_data
from hubport.domain.stacks import BayRange, StackSummary
from hubport.domain.visits import TruckVisit

SUMMARY_COLUMNS = tuple(
    tables.yard_stacks.c[name]
    for name in (
        "block",
        "bay",
        "row",
        "height",
        "top_number",
        "top_forty",
        "top_bay",
        "top_due",
        "earliest_due",
        "leg",
        "reefers",
        "dangerous",
        "forties",
        "version",
    )
)

# One row by its key, the statements built once: the commands and the twin's looks ask
# for a box, a train or a truck tens of thousands of times a day, and building the
# statement again each time cost more than running it.
_CONTAINER = select(tables.containers).where(tables.containers.c.number == bindparam("key"))
_TRAIN = select(tables.trains).where(tables.trains.c.id == bindparam("key"))
_TRUCK = select(tables.trucks).where(tables.trucks.c.id == bindparam("key"))
_VESSEL = select(tables.vessel_calls).where(tables.vessel_calls.c.id == bindparam("key"))


class StoreSource:
    """Fetches what a scoped inventory asks for, on one connection (see InventorySource)."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def container(self, number: str) -> Record | None:
        row = self.connection.execute(_CONTAINER, {"key": number}).first()
        return None if row is None else record_from_row(row._mapping)

    def containers(self, numbers: Collection[str]) -> list[Record]:
        table = tables.containers
        records = []
        chosen = list(numbers)
        for start in range(0, len(chosen), 500):
            rows = self.connection.execute(
                select(table).where(table.c.number.in_(chosen[start : start + 500]))
            ).mappings()
            records += [record_from_row(row) for row in rows]
        return records

    def stack(self, stack: StackKey) -> LoadedStack:
        table = tables.containers
        rows = self.connection.execute(
            select(table)
            .join(tables.occupancy, tables.occupancy.c.container_number == table.c.number)
            .where(tables.occupancy.c.stack == str(stack))
        ).mappings()
        boxes = {row["number"]: record_from_row(row) for row in rows}
        stacks = tables.yard_stacks
        version = self.connection.execute(
            select(stacks.c.version).where(
                stacks.c.block == stack.block, stacks.c.bay == stack.bay, stacks.c.row == stack.row
            )
        ).scalar()
        return LoadedStack(tuple(boxes.values()), version)

    def carried(self, carrier: str) -> list[Record]:
        table = tables.containers
        rows = self.connection.execute(
            select(table).where(table.c.carrier == carrier, table.c.state == "in_hub")
        ).mappings()
        return [record_from_row(row) for row in rows]

    def train(self, train_id: str) -> TrainRecord | None:
        row = self.connection.execute(_TRAIN, {"key": train_id}).first()
        return None if row is None else train_record(row._mapping)

    def truck(self, visit_id: str) -> TruckRecord | None:
        row = self.connection.execute(_TRUCK, {"key": visit_id}).first()
        return None if row is None else truck_record(row._mapping)

    def vessel(self, call_id: str) -> VesselRecord | None:
        row = self.connection.execute(_VESSEL, {"key": call_id}).first()
        return None if row is None else vessel_record(row._mapping)

    def vessel_calls_at(self, berth: str) -> list[VesselRecord]:
        table = tables.vessel_calls
        rows = self.connection.execute(
            select(table).where(table.c.berth == berth, table.c.state != "departed")
        )
        return [vessel_record(row._mapping) for row in rows]

    def vessel_of_voyage(self, voyage: str) -> VesselRecord | None:
        table = tables.vessel_calls
        row = self.connection.execute(
            select(table)
            .where(table.c.voyage == voyage, table.c.state != "departed")
            .order_by(table.c.eta)
        ).first()
        return None if row is None else vessel_record(row._mapping)

    def trucks_on_site(self) -> list[TruckRecord]:
        table = tables.trucks
        rows = self.connection.execute(select(table).where(table.c.state == "on_site"))
        return [truck_record(row._mapping) for row in rows]

    def train_on_track(self, track: str) -> str | None:
        table = tables.trains
        return self.connection.execute(
            select(table.c.id).where(table.c.track == track, table.c.state == "on_site")
        ).scalar()

    def stack_summaries(self, ranges: Collection[BayRange]) -> list[StackSummary]:
        if not ranges:  # a stretch of rail over no yard bay (``or_()`` would match all)
            return []
        table = tables.yard_stacks
        within = or_(
            *(
                and_(table.c.block == part.block, table.c.bay.between(part.first, part.last))
                for part in ranges
            )
        )
        rows = self.connection.execute(
            select(*SUMMARY_COLUMNS).where(within, table.c.height > 0)
        ).all()
        # A crane's stretch holds hundreds of stacks, and few change between two commands:
        # keep each summary built, and build again only a row whose version moved on.
        known = _built_summaries(self.connection.engine)
        summaries = []
        for row in rows:
            key = (row[0], row[1], row[2])
            built = known.get(key)
            if built is None or built[0] != row[-1]:
                built = (row[-1], summary_of(row))
                known[key] = built
            summaries.append(built[1])
        return summaries


_BUILT: weakref.WeakKeyDictionary[Engine, dict[tuple[str, int, int], tuple[int, StackSummary]]]
_BUILT = weakref.WeakKeyDictionary()


def _built_summaries(engine: Engine) -> dict[tuple[str, int, int], tuple[int, StackSummary]]:
    """The summaries already built from this store's rows, with the version of each."""
    return _BUILT.setdefault(engine, {})


def summary_of(row: Any) -> StackSummary:
    block, bay, row_number, height, top, top_forty, top_bay, top_due, earliest_due = row[:9]
    leg, reefers, dangerous, forties = row[9:13]
    return StackSummary(
        StackKey(block, bay, row_number),
        height,
        top,
        bool(top_forty),
        top_bay,
        None if top_due is None else _parsed_time(top_due),
        None if earliest_due is None else _parsed_time(earliest_due),
        leg,
        reefers,
        dangerous,
        forties,
    )


def record_from_row(row: Any) -> Record:
    """A box's record from its ``containers`` row."""
    return Record(
        container=_container(row),
        state=ContainerState(row["state"]),
        place=None if row["place"] is None else parse_place(row["place"]),
        version=row["version"],
    )


@functools.lru_cache(maxsize=4096)
def _parsed_time(text: str) -> datetime:
    """Next-leg times repeat (a train's departure for many boxes): parse each once."""
    return datetime.fromisoformat(text)


def train_record(row: Any) -> TrainRecord:
    return TrainRecord(
        train_from_data(json.loads(row["visit"])), row["state"], row["track"], row["version"]
    )


def truck_record(row: Any) -> TruckRecord:
    shuttle = bool(row["shuttle"])
    visit = TruckVisit(
        row["id"],
        row["plate"],
        row["appointment"],
        tuple(json.loads(row["collects"])),
        shuttle=shuttle,
        starts_at=row["starts_at"],
    )
    return TruckRecord(visit, row["state"], row["version"], row["location"], row["bound_for"])


def vessel_record(row: Any) -> VesselRecord:
    cells = {number: parse_place(cell) for number, cell in json.loads(row["bay_plan"]).items()}
    return VesselRecord(
        vessel_call_from_data(json.loads(row["call"])),
        row["state"],
        {number: cell for number, cell in cells.items() if isinstance(cell, VesselCell)},
        tuple(json.loads(row["load_list"])),
        row["version"],
    )


def _container(row: Any) -> Container:
    data = dict(row)
    data["next_leg"] = None if row["next_leg"] is None else json.loads(row["next_leg"])
    return container_from_data(data)
