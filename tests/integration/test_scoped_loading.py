"""Scoped loading against whole loading: on random operation sequences both units of work
give the same results, the same refusals, the same events and the same stored state, and
the stack summaries always match the boxes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.event_log import read_events
from hubport.adapters.repository import InventoryRepository
from hubport.adapters.site_file import read_site_file
from hubport.domain.container import LegMode, NextLeg
from hubport.domain.errors import HubportError
from hubport.domain.places import Spot, Spreader, TruckSlot, WagonSlot, YardSlot
from hubport.services import commands
from hubport.services.audit import audit
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from tests.conftest import T0, box, train, truck

BOXES = 12
SIZES = ("22G1", "45G1", "22G1", "22R1")
SLOTS = [
    YardSlot("A", bay, row, tier) for bay in range(1, 8) for row in (1, 2) for tier in (1, 2, 3)
]
TINY_SITE = Path(__file__).parents[1] / "data" / "sites" / "tiny.toml"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hubport.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    site, layout, source = read_site_file(TINY_SITE)
    install_site(engine, site, layout, source)
    engine.dispose()
    return path


def _store(template: Path, target: Path) -> Engine:
    shutil.copy(template, target)
    return make_engine(f"sqlite:///{target}")


def _bus(engine: Engine, scoped: bool) -> MessageBus:
    site = load_site(engine)
    return MessageBus(
        lambda: SqlUnitOfWork(engine, site, scoped=scoped),
        ManualClock(T0),
        COMMAND_HANDLERS,
        EVENT_HANDLERS,
    )


def _container(index: int, due_h: int | None) -> Any:
    due = None if due_h is None else T0 + timedelta(hours=due_h)
    leg = None if due_h is None else NextLeg(LegMode.RAIL, f"T{due_h % 3}", due)
    return box(index, SIZES[index % len(SIZES)], next_leg=leg)


def _spot(index: int) -> Spot:
    return "AB" if SIZES[index % len(SIZES)].startswith("4") else "A"


index = st.integers(0, BOXES - 1)
operation = st.one_of(
    st.tuples(st.just("announce"), index, st.none() | st.integers(1, 48)),
    st.tuples(st.just("train in"), st.lists(index, min_size=1, max_size=4, unique=True)),
    st.tuples(st.just("move"), index, st.none() | st.sampled_from(SLOTS)),
    st.tuples(st.just("pick"), index, st.sampled_from(["ARMG1", "ARMG2"])),
    st.tuples(st.just("set down"), index, st.sampled_from(["ARMG1", "ARMG2"])),
    st.tuples(st.just("truck out"), index),
    st.tuples(st.just("train out"), st.lists(index, min_size=1, max_size=3, unique=True)),
)


def _commands(step: int, op: tuple[Any, ...]) -> Iterator[commands.Command]:
    """The commands of one random operation (several for a train or a truck)."""
    kind = op[0]
    if kind == "announce":
        yield commands.AnnounceContainer(_container(op[1], op[2]))
    elif kind == "train in":
        train_id = f"IN{step}"
        yield commands.RegisterTrain(train(train_id, wagons=4))
        consist = tuple(
            (box(i).number, WagonSlot(train_id, wagon + 1, _spot(i)))
            for wagon, i in enumerate(op[1])
        )
        yield commands.ArriveTrain(train_id, "T1", consist)
        for i in op[1]:
            yield commands.MoveContainer(box(i).number, None, reason="discharge")
        yield commands.DepartTrain(train_id)
    elif kind == "move":
        yield commands.MoveContainer(box(op[1]).number, op[2])
    elif kind == "pick":
        yield commands.MoveContainer(box(op[1]).number, Spreader(op[2]), crane=op[2])
    elif kind == "set down":
        yield commands.MoveContainer(box(op[1]).number, None, crane=op[2])
    elif kind == "truck out":
        visit = f"TV{step}"
        yield commands.GateIn(truck(visit))
        yield commands.RetrieveContainer(box(op[1]).number, TruckSlot(visit, _spot(op[1])))
        yield commands.GateOut(visit)
    elif kind == "train out":
        train_id = f"OUT{step}"
        yield commands.RegisterTrain(train(train_id, wagons=3, direction="outbound"))
        yield commands.ArriveTrain(train_id, "T2", ())
        for i in op[1]:
            yield commands.RetrieveContainer(box(i).number, train_id=train_id)
        yield commands.DepartTrain(train_id)


def _outcome(bus: MessageBus, command: commands.Command) -> tuple[str, Any]:
    try:
        return ("ok", bus.handle(command).result)
    except HubportError as error:
        return (type(error).__name__, str(error))


def _stored(engine: Engine) -> tuple[dict[str, object], list[Any], list[str]]:
    site = load_site(engine)
    with engine.connect() as connection:
        repository = InventoryRepository(connection, site)
        stored = repository.load(include_departed=True)
        events = [logged.event for logged in read_events(connection)]
        report = audit(
            site, events, stored, repository.load_occupancy(), repository.load_stack_summaries()
        )
    return stored.snapshot(), [event.to_payload() for event in events], report.violations


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operation, min_size=1, max_size=25))
def test_scoped_and_whole_loading_agree_on_every_sequence(
    template: Path, tmp_path: Path, operations: list[tuple[Any, ...]]
) -> None:
    scoped_engine = _store(template, tmp_path / "scoped.db")
    whole_engine = _store(template, tmp_path / "whole.db")
    try:
        scoped, whole = _bus(scoped_engine, True), _bus(whole_engine, False)
        for i in range(BOXES):
            for bus in (scoped, whole):
                bus.handle(commands.AnnounceContainer(_container(i, i * 5 or None)))
        for step, op in enumerate(operations):
            for command in _commands(step, op):
                assert _outcome(scoped, command) == _outcome(whole, command), command
        state, events, problems = _stored(scoped_engine)
        assert problems == []
        assert (state, events) == _stored(whole_engine)[:2]
    finally:
        scoped_engine.dispose()
        whole_engine.dispose()


def test_a_stretch_of_rail_over_no_yard_bay_offers_no_slot(template: Path, tmp_path: Path) -> None:
    from hubport.adapters.store_source import StoreSource
    from hubport.domain.errors import StackingRuleViolation
    from hubport.planning.stacking import choose_slot

    engine = _store(template, tmp_path / "hubport.db")
    bus = _bus(engine, scoped=True)
    bus.handle(commands.AnnounceContainer(box(1)))
    bus.handle(commands.GateIn(truck("V1"), ((box(1).number, "A"),)))
    bus.handle(commands.MoveContainer(box(1).number, YardSlot("A", 1, 1, 1)))
    site = load_site(engine)
    beyond = max(block.x_of(bay) for block in site.blocks.values() for bay in block.ground_bays)
    with engine.connect() as connection:
        # no bay asked for: no stack, not every stack (an empty OR matched all)
        assert StoreSource(connection).stack_summaries([]) == []
        inventory = InventoryRepository(connection, site).scoped()
        with pytest.raises(StackingRuleViolation):
            choose_slot(inventory, box(2), (beyond + 50.0, beyond + 60.0), beyond + 55.0)
    engine.dispose()
