"""The runtime on a real store (SQLite and PostgreSQL): its duties turn what the world
said into crane work once and only once, its lease admits one leader, and a runtime in
this process runs a train's discharge to the end with virtual cranes."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from hubport.adapters.database import load_site
from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.bootstrap import Hub
from hubport.config import Settings
from hubport.domain.container import LegMode, NextLeg
from hubport.domain.lease import Holder, RuntimeStatus
from hubport.domain.places import WagonSlot, YardSlot
from hubport.domain.visits import TrainVisit
from hubport.runtime.clock import LeaderClock, RuntimeClock
from hubport.runtime.operate import Runtime, RuntimeOptions
from hubport.runtime.reactions import LOAD_CUTOFF, Reactions
from hubport.runtime.reports import DepartureReports
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.queries import Queries
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from hubport.services.train_commands import AnnounceTrain, OrderDischarge
from tests.conftest import T0, box, train
from tests.integration.test_store import audit_store
from tests.integration.test_store import store as store  # the fixture

WALL = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=10)


def _hub(store: Engine, clock: ManualClock | RuntimeClock) -> tuple[MessageBus, Queries]:
    site = load_site(store)
    bus = MessageBus(lambda: SqlUnitOfWork(store, site), clock, COMMAND_HANDLERS, EVENT_HANDLERS)
    return bus, Queries(store, site)


def _announced(train_id: str, count: int, **facts: object) -> tuple[TrainVisit, tuple]:  # type: ignore[type-arg]
    boxes = tuple(dataclasses.replace(box(40 + i), **facts) for i in range(count))  # type: ignore[arg-type]
    visit = dataclasses.replace(
        train(train_id, wagons=count),
        consist=tuple((b.number, WagonSlot(train_id, i + 1, "A")) for i, b in enumerate(boxes)),
    )
    return visit, boxes


def _open_jobs(store: Engine) -> dict[str, str]:
    with SqlUnitOfWork(store, load_site(store)) as uow:
        return {job.number: job.reason for job in uow.crane_jobs.open_jobs()}


def test_a_discharge_order_before_the_train_is_worked_once_it_stands_on_its_track(
    store: Engine,
) -> None:
    clock = ManualClock(T0)
    bus, queries = _hub(store, clock)
    visit, boxes = _announced("IN1", 4)
    bus.handle(AnnounceTrain(visit, boxes))
    bus.handle(OrderDischarge("IN1", ()))
    reactions = Reactions(bus, queries)
    assert reactions.run(T0) == 0  # the train is not here yet
    bus.handle(commands.ArriveTrain("IN1", "T1"))
    assert reactions.run(T0) == 1
    assert set(_open_jobs(store)) == {b.number.value for b in boxes}
    assert Reactions(bus, queries).run(T0) == 0  # a runtime started again: nothing twice
    assert audit_store(store) == []


def test_an_order_naming_some_boxes_discharges_only_those(store: Engine) -> None:
    bus, queries = _hub(store, ManualClock(T0))
    visit, boxes = _announced("IN2", 4)
    bus.handle(AnnounceTrain(visit, boxes))
    bus.handle(commands.ArriveTrain("IN2", "T1"))
    bus.handle(OrderDischarge("IN2", (visit.consist[1],)))
    Reactions(bus, queries).run(T0)
    assert set(_open_jobs(store)) == {boxes[1].number.value}


def test_an_outbound_train_is_planned_at_its_cut_off_and_not_before(store: Engine) -> None:
    clock = ManualClock(T0)
    bus, queries = _hub(store, clock)
    leg = NextLeg(LegMode.RAIL, "OUT1", None, "CNQZH")
    visit, boxes = _announced("IN5", 3, next_leg=leg)
    bus.handle(AnnounceTrain(visit, boxes))
    bus.handle(commands.ArriveTrain("IN5", "T1"))
    for index, booked in enumerate(boxes):
        bus.handle(commands.MoveContainer(booked.number, YardSlot("A", 3 + 2 * index, 1, 1)))
    bus.handle(commands.DepartTrain("IN5"))
    departs = T0 + timedelta(hours=5)
    outbound = dataclasses.replace(train("OUT1", 4, "outbound"), departs=departs)
    bus.handle(commands.RegisterTrain(outbound))
    bus.handle(commands.ArriveTrain("OUT1", "T2"))
    reactions = Reactions(bus, queries)
    assert reactions.run(T0) == 0 and _open_jobs(store) == {}
    cut_off = departs - LOAD_CUTOFF
    clock.set(cut_off)
    assert reactions.run(cut_off) == 1
    assert sorted(_open_jobs(store).values()) == ["load", "load", "load"]
    assert reactions.run(cut_off) == 0


def test_a_train_does_not_leave_while_a_crane_holds_one_of_its_boxes(store: Engine) -> None:
    bus, queries = _hub(store, ManualClock(T0))
    visit, boxes = _announced("IN3", 2)
    bus.handle(AnnounceTrain(visit, boxes))
    bus.handle(commands.ArriveTrain("IN3", "T1"))
    bus.handle(OrderDischarge("IN3", ()))
    Reactions(bus, queries).run(T0)
    with SqlUnitOfWork(store, load_site(store)) as uow:
        first = sorted(job.id for job in uow.crane_jobs.open_jobs())[0]
    from hubport.services import crane_commands as jobs

    bus.handle(jobs.AssignCraneJob(first, "ARMG1"))
    bus.handle(jobs.SendCraneJob(first, "ARMG1", (0.0, 500.0), (0.0, 500.0)))
    refused = None
    try:
        bus.handle(commands.DepartTrain("IN3"))
    except Exception as error:  # the hub's VisitError
        refused = str(error)
    assert refused is not None and "has 1 of its boxes in hand" in refused
    assert queries.train("IN3").record.state == "on_site"


def test_one_runtime_holds_the_lease_until_it_lapses(store: Engine) -> None:
    leases = SqlLeaseStore(store, "XNY")
    first, second = Holder("a:1:x", "a", 1), Holder("b:2:y", "b", 2)
    held = leases.take(first, WALL, TTL, T0, 60.0)
    assert held is not None and held.epoch == 1
    assert leases.take(second, WALL + timedelta(seconds=5), TTL, T0, 60.0) is None
    renewed = leases.renew(held, WALL + timedelta(seconds=6), TTL, T0, RuntimeStatus(moves=3))
    assert renewed is not None and leases.read().status.moves == 3  # type: ignore[union-attr]
    assert leases.take(second, WALL + timedelta(seconds=15), TTL, T0, 60.0) is None
    taken = leases.take(second, WALL + timedelta(seconds=17), TTL, T0, 60.0)
    assert taken is not None and taken.epoch == 2 and taken.holder == second
    # the first comes back: it finds its lease gone and may not renew it
    assert leases.renew(renewed, WALL + timedelta(seconds=18), TTL, T0, RuntimeStatus()) is None


def test_other_processes_read_the_hub_time_from_the_lease(store: Engine) -> None:
    leases = SqlLeaseStore(store, "XNY")
    assert LeaderClock(leases.read).now() > T0  # no runtime yet: the wall clock
    now = datetime.now(UTC)
    leases.take(Holder("a:1:x", "a", 1), now, TTL, T0, 120.0)
    seen = LeaderClock(leases.read).now()
    assert T0 <= seen < T0 + timedelta(minutes=5)
    assert seen.utcoffset() == timedelta(hours=8)


def test_a_runtime_in_this_process_discharges_a_train_and_hands_over_its_lease(
    store: Engine, tmp_path: object
) -> None:
    site = load_site(store)
    clock = RuntimeClock(speed=600.0, origin=T0)
    bus = MessageBus(lambda: SqlUnitOfWork(store, site), clock, COMMAND_HANDLERS, EVENT_HANDLERS)
    hub = Hub(Settings(), store, site, bus)
    visit, boxes = _announced("IN4", 6)
    bus.handle(AnnounceTrain(visit, boxes))
    bus.handle(commands.ArriveTrain("IN4", "T1"))
    bus.handle(OrderDischarge("IN4", ()))
    options = RuntimeOptions(equipment="virtual", speed=600.0, start=T0, tick_s=0.02)
    runtime = Runtime(hub, clock, options)
    queries = Queries(store, site)
    done = threading.Event()

    def finished() -> None:
        while not done.is_set():
            if not queries.boxes_on_wagons("IN4") and not _open_jobs(store):
                done.set()
                runtime.stop.set()
            done.wait(0.2)

    watcher = threading.Thread(target=finished)
    watcher.start()
    runtime.run(seconds=120.0)
    done.set()
    watcher.join()
    assert queries.boxes_on_wagons("IN4") == {}
    assert runtime.moves >= 6
    lease = SqlLeaseStore(store, site.code).read()
    assert lease is not None and lease.holder == runtime.holder
    assert lease.expires_at <= datetime.now(UTC)  # given up on a clean stop
    assert audit_store(store) == []


def test_a_departed_train_is_reported_to_the_railway_once(store: Engine, tmp_path: Path) -> None:
    bus, queries = _hub(store, ManualClock(T0))
    visit, boxes = _announced("IN6", 2)
    bus.handle(AnnounceTrain(visit, boxes))
    bus.handle(commands.ArriveTrain("IN6", "T1"))
    for index, each in enumerate(boxes):
        bus.handle(commands.MoveContainer(each.number, YardSlot("A", 5 + 2 * index, 1, 1)))
    bus.handle(commands.DepartTrain("IN6"))
    site = load_site(store)
    outbox = Hub(Settings(data_dir=tmp_path), store, site, bus).edi_outbox()
    later = T0 + timedelta(hours=1)
    reports = DepartureReports(queries, outbox, tmp_path, "CRCT")
    (written,) = reports.send(later)
    assert written == tmp_path / "CRCT" / "out" / "COARRI-IN6.edi"
    text = written.read_text()
    assert "COARRI" in text and all(b.number.value in text for b in boxes)
    assert reports.send(later) == []
    # a runtime started again finds the report written and writes nothing
    assert DepartureReports(queries, outbox, tmp_path, "CRCT").send(later) == []


def test_a_truck_that_did_not_come_in_its_window_loses_its_appointment(store: Engine) -> None:
    from hubport.services.gate_commands import BookAppointment

    clock = ManualClock(T0)
    bus, queries = _hub(store, clock)
    visit, boxes = _announced("IN7", 1)
    bus.handle(AnnounceTrain(visit, boxes))
    booked = bus.handle(
        BookAppointment("AP9", "渝A00009", "collect", boxes[0].number, T0 + timedelta(hours=2))
    ).result
    ends = datetime.fromisoformat(booked["window"][1])
    reactions = Reactions(bus, queries)
    clock.set(ends)
    assert reactions.run(ends) == 0  # its window just ended: the gate still lets it in
    later = ends + timedelta(hours=2)
    clock.set(later)
    assert reactions.run(later) == 1
    assert queries.appointment("AP9")["state"] == "cancelled"  # type: ignore[index]
    assert Reactions(bus, queries).run(later) == 0
