"""The store on SQLite and PostgreSQL: migrations, round trips, constraints, concurrency."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from hubport.adapters import tables
from hubport.adapters import tables_access as _access_tables  # noqa: F401  (its tables)
from hubport.adapters.crane_job_store import CraneJobStore
from hubport.adapters.database import install_site, load_site, migrate
from hubport.adapters.event_log import read_events
from hubport.adapters.repository import InventoryRepository
from hubport.adapters.site_file import read_site_file
from hubport.billing.adapters import tables as _billing_tables  # noqa: F401  (its tables)
from hubport.domain.crane_jobs import CraneJob, JobState, OpenJobs
from hubport.domain.errors import ConcurrentUpdate, HubportError, PlaceOccupied
from hubport.domain.places import WagonSlot, YardSlot
from hubport.domain.site import Site
from hubport.futures.adapters import tables as _futures_tables  # noqa: F401  (its tables)
from hubport.park.adapters import tables as _park_tables  # noqa: F401  (its tables)
from hubport.services import commands
from hubport.services.audit import audit
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from hubport.services.unit_of_work import Cause
from tests.conftest import T0, box, train, truck


@pytest.fixture
def store(engine: Engine) -> Iterator[Engine]:
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    yield engine


def make_bus(engine: Engine) -> MessageBus:
    site = load_site(engine)
    return MessageBus(
        lambda: SqlUnitOfWork(engine, site), ManualClock(T0), COMMAND_HANDLERS, EVENT_HANDLERS
    )


def audit_store(engine: Engine) -> list[str]:
    site = load_site(engine)
    with engine.connect() as connection:
        repository = InventoryRepository(connection, site)
        stored = repository.load(include_departed=True)
        events = [logged.event for logged in read_events(connection)]
        return audit(site, events, stored, repository.load_occupancy()).violations


def unload_train(bus: MessageBus, count: int) -> None:
    bus.handle(commands.RegisterTrain(train("T100", wagons=count)))
    for index in range(count):
        bus.handle(commands.AnnounceContainer(box(index)))
    consist = tuple((box(i).number, WagonSlot("T100", i + 1, "A")) for i in range(count))
    bus.handle(commands.ArriveTrain("T100", "T1", consist))


def test_migrations_build_exactly_the_declared_schema(store: Engine) -> None:
    with store.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = [
            diff
            for diff in compare_metadata(context, tables.metadata)
            if not (
                isinstance(diff, tuple) and diff[0] in ("add_table_comment", "remove_table_comment")
            )
            and not (isinstance(diff, list) and diff and diff[0][0] == "modify_comment")
        ]
    assert differences == []


def test_init_twice_changes_nothing(store: Engine) -> None:
    migrate(store)
    site, layout, source = read_site_file(None)
    install_site(store, site, layout, source)
    assert load_site(store).code == "XNY"


def test_commands_round_trip_through_the_store(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 4)
    for index in range(4):
        bus.handle(commands.MoveContainer(box(index).number, None, reason="discharge"))
    bus.handle(commands.DepartTrain("T100"))
    with SqlUnitOfWork(store, load_site(store)) as uow:
        inventory = uow.inventory
        places = {str(inventory.get(box(i).number).place) for i in range(4)}
    assert all(place.startswith("yard:") for place in places) and len(places) == 4
    assert audit_store(store) == []


def test_repeated_message_writes_nothing_the_second_time(store: Engine) -> None:
    bus = make_bus(store)
    bus.handle(commands.AnnounceContainer(box(1), idempotency_key="COPRAR:42"))
    with store.connect() as connection:
        count = len(list(read_events(connection)))
    outcome = bus.handle(commands.AnnounceContainer(box(1), idempotency_key="COPRAR:42"))
    with store.connect() as connection:
        assert len(list(read_events(connection))) == count
    assert outcome.repeat


def test_database_refuses_two_boxes_in_one_position(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 2)
    bus.handle(commands.MoveContainer(box(0).number, YardSlot("A", 9, 1, 1)))
    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(
            insert(tables.occupancy).values(
                position="yard:A-09-01-1", container_number=box(1).number.value, tier=1
            )
        )


def test_database_refuses_a_floating_box(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 1)
    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(
            insert(tables.occupancy).values(
                position="yard:A-09-01-2",
                container_number=box(0).number.value,
                tier=2,
                below="yard:A-09-01-1",
            )
        )


def test_database_refuses_a_box_in_the_hub_without_a_place(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 1)
    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(text("UPDATE containers SET place = NULL"))


def test_concurrent_writers_cannot_put_two_boxes_in_one_slot(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 6)
    target = YardSlot("A", 9, 1, 1)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def writer(index: int) -> None:
        barrier.wait()
        try:
            make_bus(store).handle(commands.MoveContainer(box(index).number, target))
            outcomes.append("moved")
        except (PlaceOccupied, ConcurrentUpdate):
            outcomes.append("refused")

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved"] + ["refused"] * 5
    assert audit_store(store) == []


def test_interleaved_units_of_work_lose_no_update(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 2)
    site = load_site(store)
    first, second = SqlUnitOfWork(store, site), SqlUnitOfWork(store, site)
    with first, second:
        first.inventory.move(box(0).number, YardSlot("A", 9, 1, 1), T0)
        second.inventory.move(box(1).number, YardSlot("A", 9, 1, 1), T0)
        first.commit(_cause())
        with pytest.raises(ConcurrentUpdate):
            second.commit(_cause())
    assert audit_store(store) == []


def test_unknown_database_is_refused_clearly() -> None:
    from hubport.adapters.database import make_engine

    with pytest.raises(HubportError, match="not supported"):
        make_engine("mysql://localhost/x")
    with pytest.raises(HubportError, match="not a database URL"):
        make_engine("::nonsense::")


def test_a_sqlite_store_flushes_each_commit_unless_told_it_is_throwaway(tmp_path: Path) -> None:
    from hubport.adapters.database import make_engine

    levels = {}
    for name in ("full", "off"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db", name)
        with engine.connect() as connection:
            levels[name] = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        engine.dispose()
    assert levels == {"full": 2, "off": 0}
    with pytest.raises(HubportError, match="HUBPORT_SQLITE_SYNCHRONOUS 'sometimes'"):
        make_engine(f"sqlite:///{tmp_path / 'x'}.db", "sometimes")


def _cause() -> Cause:
    return Cause("MoveContainer", str(uuid.uuid4()), None, "", {})


def test_a_box_with_another_on_top_can_change_without_moving(store: Engine) -> None:
    """Only boxes that move get their position rows rewritten (the box above refers to them)."""
    from hubport.domain.container import CustomsStatus

    bus = make_bus(store)
    unload_train(bus, 2)
    bus.handle(commands.MoveContainer(box(0).number, YardSlot("A", 3, 1, 1), "ARMG1"))
    bus.handle(commands.MoveContainer(box(1).number, YardSlot("A", 3, 1, 2), "ARMG1"))
    bus.handle(commands.SetCustomsStatus(box(0).number, CustomsStatus.HELD, "inspection"))
    bus.handle(commands.SetCustomsStatus(box(0).number, CustomsStatus.RELEASED, "cleared"))
    assert audit_store(store) == []
    with store.connect() as connection:
        rows = connection.execute(
            text("SELECT container_number, below FROM occupancy WHERE tier = 2")
        ).all()
    assert [(number, below) for number, below in rows] == [
        (box(1).number.value, YardSlot("A", 3, 1, 1).positions()[0])
    ]


def test_train_runs_record_what_each_train_brought_and_took(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 3)
    with store.connect() as connection:
        (row,) = connection.execute(select(tables.train_runs)).mappings()
    assert (row["id"], row["boxes_in"], row["teu_in"], row["boxes_out"]) == ("T100", 3, 3.0, 0)
    assert row["arrived_at"] is not None and row["departed_at"] is None


class _Interleaved(SqlUnitOfWork):
    """A unit of work that lets another writer commit between its reads and its commit,
    once: the race two cranes' commands would run."""

    def __init__(self, engine: Engine, site: Site, race: Callable[[], None], log: list[str]):
        super().__init__(engine, site)
        self.race, self.log = race, log

    def commit(self, cause: Cause) -> None:
        self.log.append("attempt")
        if len(self.log) == 1:
            self.race()
        super().commit(cause)


def _race(store: Engine, first: commands.Command, second: commands.Command) -> list[str]:
    """Run ``second`` so that ``first`` commits after ``second`` has read; return the
    attempts ``second`` took."""
    site = load_site(store)
    attempts: list[str] = []

    def other_writer() -> None:
        make_bus(store).handle(first)

    bus = MessageBus(
        lambda: _Interleaved(store, site, other_writer, attempts),
        ManualClock(T0),
        COMMAND_HANDLERS,
        EVENT_HANDLERS,
    )
    bus.handle(second)
    return attempts


def test_writers_on_different_stacks_both_commit(store: Engine, database_url: str) -> None:
    bus = make_bus(store)
    unload_train(bus, 1)  # box 0 on a wagon, box 1 on a truck: no carrier in common
    bus.handle(commands.AnnounceContainer(box(1)))
    bus.handle(commands.GateIn(truck("TV1"), ((box(1).number, "A"),)))
    attempts = _race(
        store,
        commands.MoveContainer(box(0).number, YardSlot("A", 3, 1, 1), "ARMG1"),
        commands.MoveContainer(box(1).number, YardSlot("B", 3, 1, 1), "ARMG3"),
    )
    # PostgreSQL checks the rows each writer touched: disjoint stacks never conflict.
    # SQLite versions the whole file: the later writer is refused once and retried.
    assert len(attempts) == (2 if database_url.startswith("sqlite") else 1)
    with store.connect() as connection:
        places = dict(connection.execute(text("SELECT number, place FROM containers")).all())
    assert places[box(0).number.value] == "yard:A-03-01-1"
    assert places[box(1).number.value] == "yard:B-03-01-1"
    assert audit_store(store) == []


def test_writers_on_one_stack_the_later_is_retried_and_sees_the_first(store: Engine) -> None:
    bus = make_bus(store)
    unload_train(bus, 3)
    bus.handle(commands.MoveContainer(box(2).number, YardSlot("A", 3, 1, 1), "ARMG1"))
    with pytest.raises(PlaceOccupied, match=box(0).number.value):
        _race(
            store,
            commands.MoveContainer(box(0).number, YardSlot("A", 3, 1, 2), "ARMG1"),
            commands.MoveContainer(box(1).number, YardSlot("A", 3, 1, 2), "ARMG1"),
        )
    with store.connect() as connection:
        (attempts,) = connection.execute(
            text("SELECT count(*) FROM containers WHERE place = 'yard:A-03-01-2'")
        ).one()
    assert attempts == 1
    assert audit_store(store) == []


def test_writers_on_one_stack_retry_into_another_slot(store: Engine) -> None:
    """With the slot left to the hub, the retried writer chooses again and both commit."""
    bus = make_bus(store)
    unload_train(bus, 2)
    attempts = _race(
        store,
        commands.MoveContainer(box(0).number, None, "ARMG1"),
        commands.MoveContainer(box(1).number, None, "ARMG1"),
    )
    assert len(attempts) == 2
    with store.connect() as connection:
        places = dict(connection.execute(text("SELECT number, place FROM containers")).all())
    assert places[box(0).number.value] != places[box(1).number.value]
    assert all(places[box(i).number.value].startswith("yard:") for i in (0, 1))
    assert audit_store(store) == []


def test_the_store_reads_only_the_open_jobs_asked_for_as_a_full_read_would_find_them(
    store: Engine,
) -> None:
    def job(job_id: str, number: str, origin: str, destination: str, **changes: Any) -> CraneJob:
        return dataclasses.replace(CraneJob(job_id, number, origin, destination, "load"), **changes)

    jobs = [
        job("a", "HPTU0000001", "yard:A-01-01-1", "wagon:T_1:01:A", train_id="T_1"),
        job("b", "HPTU0000002", "wagon:T_1:02:A", "yard:A-01-02-1", state=JobState.SENT),
        job("c", "HPTU0000003", "yard:A-01-03-1", "wagon:TX1:01:A", train_id="TX1"),
        job("d", "HPTU0000004", "yard:A-01-04-1", "yard:A-02-04-1", box_aboard=True,
            state=JobState.LIFTED, crane="ARMG1"),
        job("e", "HPTU0000001", "yard:A-01-01-1", "wagon:T_1:03:A", state=JobState.DONE,
            train_id="T_1"),
    ]  # fmt: skip
    with store.begin() as connection:
        CraneJobStore(connection).save([(each, None) for each in jobs], T0)
    asks = [
        OpenJobs(),
        OpenJobs(numbers=frozenset({"HPTU0000001", "HPTU0000004"})),
        OpenJobs(aboard=True),
        OpenJobs(train="T_1"),  # "_" is no wildcard: TX1's job is not T_1's
        OpenJobs(train="T_1", numbers=frozenset({"HPTU0000002"})),
    ]
    with store.connect() as connection:
        jobs_store = CraneJobStore(connection)
        everything = jobs_store.open_jobs()
        for which in asks:
            assert jobs_store.open_which(which) == [j for j in everything if which.matches(j)]
        assert [j.id for j in jobs_store.open_which(OpenJobs(train="T_1"))] == ["a", "b"]
