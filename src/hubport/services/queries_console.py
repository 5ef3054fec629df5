"""The read side of the console and the dashboards: the yard as a map of stacks, a train's
load plan wagon by wagon, the alarms (the day's KPIs and the corridor by month are in
``queries_kpis.py``).

Part of the one query module: ``Queries`` takes these questions on. Each answer reads a
bounded part of the store (the 20' stacks' summaries, one train's jobs, one day's rows),
never the whole yard's boxes.
"""

from __future__ import annotations

from collections import Counter
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from hubport.adapters import tables
from hubport.adapters.repository import InventoryRepository
from hubport.domain.errors import VisitError
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import WagonSlot, parse_place
from hubport.domain.site import Site
from hubport.services.queries_access import event_columns

#: The events the control room shows as alarms.
ALARM_EVENTS = ("EquipmentAlarm", "UndeclaredArrival", "GateException")


def hub_time(moment: datetime | None, naive: Any = HUB_TIME) -> datetime | None:
    """A stored time on the hub's clock. SQLite gives times back without their zone: those
    of carriers (trains, trucks) are as written, in hub time; crane jobs' are UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive)
    return moment.astimezone(HUB_TIME)


def day_window(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), HUB_TIME)
    return start, start + timedelta(days=1)


class ConsoleQueries:
    """The console's questions; the store connection comes from ``_reading``."""

    site: Site

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    # -- the yard -----------------------------------------------------------------------

    def yard_map(self) -> list[dict[str, Any]]:
        """Each block as rows of ground stacks (odd bays): height, the next leg its boxes
        share (None when mixed) and its mode (a train: rail, a vessel call: river, else a
        truck's: road), reefers, dangerous goods and customs holds."""
        stacks, holds, occupancy = tables.yard_stacks, tables.customs_holds, tables.occupancy
        with self._reading() as connection:
            rows = connection.execute(
                select(
                    stacks.c.block,
                    stacks.c.bay,
                    stacks.c.row,
                    stacks.c.height,
                    stacks.c.leg,
                    stacks.c.reefers,
                    stacks.c.dangerous,
                ).where(stacks.c.height > 0)
            ).all()
            held = set(
                connection.execute(
                    select(occupancy.c.stack)
                    .join(holds, holds.c.container_number == occupancy.c.container_number)
                    .where(holds.c.lifted_at.is_(None), occupancy.c.stack.is_not(None))
                ).scalars()
            )
            kinds = _leg_kinds(connection, {r.leg for r in rows if r.leg})
        standing = {(r.block, r.bay, r.row): r for r in rows}
        blocks = []
        for block in self.site.blocks.values():
            grid = []
            for row in range(1, block.rows + 1):
                cells = []
                for bay in range(1, 2 * block.bays, 2):
                    found = standing.get((block.id, bay, row))
                    cells.append(
                        {
                            "bay": bay,
                            "row": row,
                            "height": found.height if found else 0,
                            "leg": found.leg if found else None,
                            "leg_mode": kinds.get(found.leg) if found and found.leg else None,
                            "reefers": found.reefers if found else 0,
                            "dangerous": found.dangerous if found else 0,
                            "held": f"{block.id}-{bay:02d}-{row:02d}" in held,
                        }
                    )
                grid.append(cells)
            blocks.append(
                {"block": block.id, "max_tiers": block.max_tiers, "bays": block.bays, "rows": grid}
            )
        return blocks

    # -- trains -------------------------------------------------------------------------

    def train_plan(self, train_id: str) -> dict[str, Any]:
        """A train's wagons, spot by spot: the box on it or planned for it and how far its
        crane move has come (loaded, to load, in hand, to discharge, discharged)."""
        jobs = tables.crane_jobs
        prefix = f"wagon:{train_id}:"
        with self._reading() as connection:
            inventory = InventoryRepository(connection, self.site).scoped()
            record = inventory.train(train_id)
            on_board = {
                number: inventory.get(number).place for number in inventory.boxes_on_train(train_id)
            }
            moves = connection.execute(
                select(
                    jobs.c.container_number,
                    jobs.c.origin,
                    jobs.c.destination,
                    jobs.c.state,
                    # its loads by the train they load (indexed), its discharges by their wagon
                ).where((jobs.c.train_id == train_id) | jobs.c.origin.startswith(prefix))
            ).all()
        spots: dict[tuple[int, str], dict[str, Any]] = {}
        for number, place in on_board.items():
            if isinstance(place, WagonSlot):
                spots[(place.wagon, place.spot)] = {"box": number, "status": "on_wagon"}
        for move in moves:
            if move.state == "cancelled":
                continue
            loading = move.destination.startswith(prefix)
            slot = parse_place(move.destination if loading else move.origin)
            if not isinstance(slot, WagonSlot):
                continue
            status = _move_status(loading, move.state)
            spots[(slot.wagon, slot.spot)] = {"box": move.container_number, "status": status}
        wagons = []
        for wagon in record.train.wagons:
            mine = [
                {"spot": spot, **found}
                for (number, spot), found in sorted(spots.items())
                if number == wagon.number
            ]
            wagons.append(
                {
                    "wagon": f"{wagon.number:02d}",
                    "kind": wagon.kind,
                    "max_payload_kg": wagon.max_payload_kg,
                    "spots": mine,
                }
            )
        counts = Counter(found["status"] for found in spots.values())
        return {
            "train": train_id,
            "service": record.train.service,
            "direction": record.train.direction,
            "state": record.state,
            "track": record.track,
            "wagons": wagons,
            "progress": dict(sorted(counts.items())),
        }

    def trains_on_tracks(self) -> list[dict[str, Any]]:
        """The trains standing on the site's tracks, each with its load progress."""
        found = []
        for train_id in self.trains_standing():
            try:
                plan = self.train_plan(train_id)
            except VisitError:  # left between the two reads
                continue
            found.append(plan)
        return sorted(found, key=lambda plan: str(plan["track"]))

    def trains_standing(self) -> list[str]:
        table = tables.trains
        with self._reading() as connection:
            return list(
                connection.execute(
                    select(table.c.id).where(table.c.state == "on_site").order_by(table.c.id)
                ).scalars()
            )

    # -- alarms -------------------------------------------------------------------------

    def alarms(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest alarms (equipment, undeclared arrivals, gate exceptions), newest first."""
        table = tables.events
        query = (
            select(*event_columns())
            .where(table.c.event_type.in_(ALARM_EVENTS))
            .order_by(table.c.occurred_at.desc(), table.c.id.desc())
            .limit(limit)
        )
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [{**dict(row), "occurred_at": hub_time(row["occurred_at"])} for row in rows]

    def open_holds(self, limit: int = 50) -> list[dict[str, Any]]:
        """The holds and inspection orders not yet lifted, oldest first."""
        holds = tables.customs_holds
        query = (
            select(
                holds.c.id,
                holds.c.container_number,
                holds.c.kind,
                holds.c.reason,
                holds.c.placed_at,
            )
            .where(holds.c.lifted_at.is_(None))
            .order_by(holds.c.placed_at, holds.c.id)
            .limit(limit)
        )
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [{**dict(row), "placed_at": hub_time(row["placed_at"], naive=UTC)} for row in rows]

    def latest_moment(self) -> datetime | None:
        """The hub clock's time of the latest crane move (the simulated day's 'now'), or of
        the newest logged event when no crane has moved."""
        jobs, events = tables.crane_jobs, tables.events
        with self._reading() as connection:
            moved = connection.execute(
                select(func.max(jobs.c.updated_at)).where(jobs.c.state == "done")
            ).scalar()
            if moved is not None:
                return hub_time(moved, naive=UTC)
            newest = connection.execute(select(func.max(events.c.id))).scalar()
            if newest is None:
                return None
            at = connection.execute(
                select(events.c.occurred_at).where(events.c.id == newest)
            ).scalar()
        return hub_time(at)


def _leg_kinds(connection: Connection, legs: set[str]) -> dict[str, str]:
    """Which of ``legs`` (at most one per stack) are trains and which vessel calls; the
    rest are trucks' collections."""
    wanted = sorted(legs)
    trains = set(
        connection.execute(select(tables.trains.c.id).where(tables.trains.c.id.in_(wanted)))
        .scalars()
        .all()
    )
    calls = tables.vessel_calls
    vessels = set(connection.execute(select(calls.c.id).where(calls.c.id.in_(wanted))).scalars())
    return {
        leg: "rail" if leg in trains else "river" if leg in vessels else "road" for leg in wanted
    }


def _move_status(loading: bool, state: str) -> str:
    if state == "done":
        return "loaded" if loading else "discharged"
    if state in ("planned", "assigned"):
        return "to_load" if loading else "to_discharge"
    return "failed" if state == "failed" else "in_hand"


__all__ = ["ALARM_EVENTS", "ConsoleQueries", "day_window", "hub_time"]
