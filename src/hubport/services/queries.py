"""The read side: every question people (the CLI, later the HTTP API) ask of the hub.

Each query opens its own read-only transaction, reads only what it answers (the stack
summaries for the yard grid, one bay's stacks for a cross-section, one box and its events
for a history) and returns plain data. Entry points read here and write through the bus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from hubport.adapters import tables, train_runs
from hubport.adapters.crane_job_store import CraneJobStore
from hubport.adapters.event_log import LoggedEvent, read_events
from hubport.adapters.repository import InventoryRepository
from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import ContainerNotFound, HubportError
from hubport.domain.events import ContainerArrived, ContainerDeparted, ContainerMoved
from hubport.domain.inventory import Inventory, Record, TrainRecord
from hubport.domain.places import Place, StackKey, YardSlot, parse_place
from hubport.domain.site import Site
from hubport.domain.stuck_work import stuck_work
from hubport.planning.cranes import place_x
from hubport.planning.load_plan import LoadRequest
from hubport.planning.yard_bay import YardBay, yard_bay
from hubport.services.audit import AuditReport, audit
from hubport.services.queries_access import AccessQueries
from hubport.services.queries_audit import AuditQueries
from hubport.services.queries_border import BorderQueries
from hubport.services.queries_console import ConsoleQueries
from hubport.services.queries_kpis import KpiQueries
from hubport.services.queries_river import RiverQueries
from hubport.services.queries_runtime import RuntimeQueries
from hubport.services.train_loading import load_request


@dataclass(frozen=True)
class YardOccupancy:
    """How full the yard is: boxes and TEU standing in it, against its TEU slots."""

    boxes: int
    teu: int
    capacity_teu: int
    on_carriers: int
    announced: int

    @property
    def share(self) -> float:
        return self.teu / self.capacity_teu if self.capacity_teu else 0.0


@dataclass(frozen=True)
class BayCell:
    """One position of a bay's cross-section."""

    number: str
    size_type: str


@dataclass(frozen=True)
class CraneView:
    """A crane as the store knows it: its job in hand, its queue and its work so far."""

    crane: str
    state: str  # working, fault (a failed job in hand), idle
    current: str | None
    queue: tuple[str, ...]
    done: int
    last_place: str | None
    last_x: float | None
    last_done_at: datetime | None


@dataclass(frozen=True)
class TrainView:
    """A train visit and the boxes on its wagons now."""

    record: TrainRecord
    boxes: tuple[str, ...]


class Queries(
    BorderQueries,
    RiverQueries,
    AccessQueries,
    AuditQueries,
    ConsoleQueries,
    KpiQueries,
    RuntimeQueries,
):
    """Read-only questions about one hub's store (customs and the gate: BorderQueries;
    vessel calls and shuttles: RiverQueries; callers and their boxes: AccessQueries; the
    yard map, load plans and alarms: ConsoleQueries; the KPIs: KpiQueries)."""

    def __init__(self, engine: Engine, site: Site):
        self.engine = engine
        self.site = site

    def _engine(self) -> Engine:
        return self.engine

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        # a read takes no write lock (on SQLite: a deferred transaction, a WAL snapshot),
        # so that people reading the hub never hold up the commands that run it
        with self.engine.connect() as connection:
            yield connection.execution_options(optimistic=True)
            connection.rollback()

    def _scoped(self, connection: Connection) -> Inventory:
        return InventoryRepository(connection, self.site).scoped()

    # -- the yard ---------------------------------------------------------------------

    def stack_heights(self, block_id: str) -> dict[StackKey, int]:
        """The height of every non-empty ground stack of a block (from the summaries)."""
        self.site.block(block_id)
        table = tables.yard_stacks
        with self._reading() as connection:
            rows = connection.execute(
                select(table.c.bay, table.c.row, table.c.height).where(
                    table.c.block == block_id, table.c.height > 0
                )
            )
            return {StackKey(block_id, bay, row): height for bay, row, height in rows}

    def bay_section(self, block_id: str, bay: int) -> dict[tuple[int, int], BayCell]:
        """One 20' bay's boxes by (row, tier)."""
        block = self.site.block(block_id)
        cells: dict[tuple[int, int], BayCell] = {}
        with self._reading() as connection:
            inventory = self._scoped(connection)
            for row in range(1, block.rows + 1):
                for tier, number in enumerate(inventory.stack(block_id, bay, row), start=1):
                    size = inventory.get(number).container.size_type.code
                    cells[(row, tier)] = BayCell(number, size)
        return cells

    def yard_occupancy(self) -> YardOccupancy:
        """Boxes and TEU in the yard, boxes on carriers and spreaders, boxes announced."""
        containers, stacks = tables.containers, tables.yard_stacks
        with self._reading() as connection:
            teu = connection.execute(select(func.coalesce(func.sum(stacks.c.height), 0))).scalar()
            in_hub = containers.c.state == "in_hub"
            in_yard = connection.execute(
                select(func.count()).where(in_hub, containers.c.carrier.is_(None))
            ).scalar()
            on_carriers = connection.execute(
                select(func.count()).where(in_hub, containers.c.carrier.is_not(None))
            ).scalar()
            announced = connection.execute(
                select(func.count()).where(containers.c.state == "announced")
            ).scalar()
        return YardOccupancy(
            boxes=int(in_yard or 0),
            teu=int(teu or 0),
            capacity_teu=self.site.capacity_teu,
            on_carriers=int(on_carriers or 0),
            announced=int(announced or 0),
        )

    def yard_bay(self, block_id: str, bay: int) -> YardBay:
        """One live bay as the relocation and pre-marshalling planners take it."""
        with self._reading() as connection:
            return yard_bay(self._scoped(connection), block_id, bay)

    def boxes_above(self, number: str) -> list[str]:
        """The boxes standing on ``number``, top first."""
        with self._reading() as connection:
            return self._scoped(connection).boxes_above(number)

    def yard_places_at(self, numbers: Iterable[str], moment: datetime) -> dict[str, Place | None]:
        """Where each box stood just before ``moment``, from its own events (indexed)."""
        places: dict[str, Place | None] = {}
        with self._reading() as connection:
            for number in numbers:
                place: Place | None = None
                for logged in read_events(connection, number, until=moment):
                    event = logged.event
                    if isinstance(event, ContainerArrived):
                        place = event.place
                    elif isinstance(event, ContainerMoved):
                        place = event.destination
                    elif isinstance(event, ContainerDeparted):
                        place = None
                places[number] = place
        return places

    def place_of(self, number: str) -> YardSlot | None:
        """The yard slot of a box, if it stands in the yard."""
        record = self.container(number)
        return record.place if isinstance(record.place, YardSlot) else None

    # -- boxes ------------------------------------------------------------------------

    def container(self, number: str) -> Record:
        """One box's record, in any state (ContainerNotFound when never heard of)."""
        checked = ContainerNumber(number).value
        with self._reading() as connection:
            record = self._scoped(connection).find(checked)
        if record is None:
            raise ContainerNotFound(checked)
        return record

    def ready_to_leave(self, number: str) -> Record | None:
        """The box's record if it stands in the yard, customs lets it leave and no crane
        job is moving it (a box the runtime may send on its way); else None."""
        try:
            record = self.container(number)
        except HubportError:
            return None
        if not isinstance(record.place, YardSlot):
            return None
        if not record.container.customs_status.may_leave or self.open_job_boxes([number]):
            return None
        return record

    def history(self, number: str) -> list[LoggedEvent]:
        """Every logged event of one box, oldest first."""
        checked = ContainerNumber(number).value
        with self._reading() as connection:
            return list(read_events(connection, checked))

    # -- carriers ---------------------------------------------------------------------

    def train(self, train_id: str) -> TrainView:
        with self._reading() as connection:
            inventory = self._scoped(connection)
            record = inventory.train(train_id)
            return TrainView(record, tuple(inventory.boxes_on_train(train_id)))

    def trains(self, state: str | None = None) -> list[TrainRecord]:
        """Train visits, optionally in one state (expected, on_site, departed)."""
        table = tables.trains
        query = select(table.c.id).order_by(table.c.id)
        if state is not None:
            query = query.where(table.c.state == state)
        with self._reading() as connection:
            inventory = self._scoped(connection)
            return [inventory.train(train_id) for train_id in connection.execute(query).scalars()]

    def booked_on(self, train_id: str) -> list[str]:
        """Boxes in the hub whose next leg is this train."""
        table = tables.containers
        escaped = train_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f'%"reference": "{escaped}"%'
        query = (
            select(table.c.number)
            .where(table.c.state == "in_hub", table.c.next_leg.like(pattern, escape="\\"))
            .order_by(table.c.number)
        )
        with self._reading() as connection:
            return list(connection.execute(query).scalars())

    def load_request(self, train_id: str) -> LoadRequest:
        """The planning request of a departing train and the boxes booked on it."""
        booked = self.booked_on(train_id)
        with self._reading() as connection:
            return load_request(self._scoped(connection), train_id, booked)

    def train_moves(self, train_id: str) -> dict[str, dict[str, int]]:
        """The crane jobs of a train (its discharges and loads), by reason and state."""
        table = tables.crane_jobs
        query = (
            select(table.c.reason, table.c.state, func.count())
            .where(
                (table.c.train_id == train_id)
                | table.c.origin.like(f"wagon:{train_id}:%")
                | table.c.destination.like(f"wagon:{train_id}:%")
            )
            .group_by(table.c.reason, table.c.state)
        )
        found: dict[str, dict[str, int]] = {}
        with self._reading() as connection:
            for reason, state, count in connection.execute(query):
                found.setdefault(reason, {})[state] = count
        return found

    def trucks_on_site(self) -> list[str]:
        table = tables.trucks
        with self._reading() as connection:
            rows = connection.execute(
                select(table.c.id).where(table.c.state == "on_site").order_by(table.c.id)
            )
            return list(rows.scalars())

    # -- records and statistics --------------------------------------------------------

    def applied_keys(self, prefix: str) -> list[str]:
        """Every applied message key that starts with ``prefix`` (how a run resumes)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        column = tables.inbox.c.idempotency_key
        with self._reading() as connection:
            rows = connection.execute(select(column).where(column.like(f"{escaped}%", escape="\\")))
            return [row[0] for row in rows]

    def train_runs(self, first: datetime, last: datetime) -> list[dict[str, Any]]:
        """The train runs (corridor statistics' records) that arrived or left in [first, last)."""
        with self._reading() as connection:
            return train_runs.runs_between(connection, first, last)

    def train_run_ids(self, like: str) -> set[str]:
        column = tables.train_runs.c.id
        with self._reading() as connection:
            return set(connection.execute(select(column).where(column.like(like))).scalars())

    def cranes(self) -> list[CraneView]:
        """Each crane's job in hand and queue (open crane jobs) and its finished moves."""
        table = tables.crane_jobs
        with self._reading() as connection:
            open_rows = connection.execute(
                select(table.c.id, table.c.crane, table.c.state)
                .where(table.c.state.not_in(("done", "cancelled")))
                .order_by(table.c.updated_at, table.c.id)
            ).all()
            done: dict[str, int] = dict(
                connection.execute(
                    select(table.c.crane, func.count())
                    .where(table.c.state == "done")
                    .group_by(table.c.crane)
                ).all()
            )
            last = {}
            for crane_id in self.site.cranes:
                row = connection.execute(
                    select(table.c.destination, table.c.updated_at)
                    .where(table.c.crane == crane_id, table.c.state == "done")
                    .order_by(table.c.updated_at.desc())
                    .limit(1)
                ).first()
                if row is not None:
                    last[crane_id] = (row.destination, row.updated_at)
        views = []
        for crane in self.site.cranes_along_rail:
            mine = [r for r in open_rows if r.crane == crane.id]
            in_hand = [r for r in mine if r.state not in ("planned", "assigned")]
            queue = tuple(r.id for r in mine if r.state in ("planned", "assigned"))
            state = "idle"
            if in_hand:
                state = "fault" if in_hand[0].state == "failed" else "working"
            place, moment = last.get(crane.id, (None, None))
            x = None
            if place is not None:
                x = place_x(self.site, parse_place(place), lambda _train: None)
            views.append(
                CraneView(
                    crane.id,
                    state,
                    in_hand[0].id if in_hand else None,
                    queue,
                    int(done.get(crane.id, 0)),
                    place,
                    x,
                    moment,
                )
            )
        return views

    def audit(self) -> AuditReport:
        """Replay the whole event log (streamed) and compare it with the store."""
        with self._reading() as connection:
            repository = InventoryRepository(connection, self.site)
            stored = repository.load(include_departed=True)
            occupancy = repository.load_occupancy()
            summaries = repository.load_stack_summaries()
            events = (logged.event for logged in read_events(connection, stream=True))
            report = audit(self.site, events, stored, occupancy, summaries)
            jobs = CraneJobStore(connection).open_jobs()
            on_site = [r.train for r in stored.trains.values() if r.state == "on_site"]
            now = SqlLeaseStore(self.engine, self.site.code).hub_time_known()
            if now is not None:
                report.stuck = stuck_work(jobs, on_site, now)
            return report


__all__ = ["BayCell", "Queries", "TrainView", "YardOccupancy"]
