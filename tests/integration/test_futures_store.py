"""The futures desk on the store (SQLite and PostgreSQL): a delivery from match to
settlement, its events with their authors, the slot's track reservation that keeps a
train off the track, repeats applied once, and the runtime's deadline duty."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hubport.adapters.database import load_site
from hubport.bootstrap import Hub
from hubport.config import Settings
from hubport.domain.errors import VisitError
from hubport.domain.hub_time import HUB_TIME
from hubport.futures.bootstrap import FuturesDesk
from hubport.futures.domain.errors import DeliveryRefused, SlotRefused
from hubport.futures.domain.slots import WagonLoad
from hubport.futures.services import commands as futures
from hubport.futures.services.handlers import RoleRefused
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.commands import Author
from tests.conftest import train
from tests.integration.test_store import make_bus
from tests.integration.test_store import store as store  # the fixture

S = date(2026, 12, 2)
TALLY = "species,length_m,diameter_cm\n" + "radiata pine,4.0,30\n" * 262  # 90.128 m³


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HUB_TIME)


@pytest.fixture
def hub(store: Engine, tmp_path: Path) -> Iterator[Hub]:
    bus = make_bus(store)
    assert isinstance(bus.clock, ManualClock)
    bus.clock.set(_at(S - timedelta(days=1), 15))
    yield Hub(Settings(data_dir=tmp_path), store, load_site(store), bus)


@pytest.fixture
def desk(hub: Hub) -> FuturesDesk:
    return hub.futures()


def _clock(hub: Hub) -> ManualClock:
    assert isinstance(hub.bus.clock, ManualClock)
    return hub.bus.clock


def _match(desk: FuturesDesk, delivery: str = "D1", lots: int = 1) -> None:
    desk.bus.handle(
        futures.MatchDelivery(
            delivery,
            role="exchange",
            contract="LG2612",
            lots=lots,
            buyer="M0101",
            seller="M0202",
            matched_on=S - timedelta(days=1),
            settlement_day=S,
            price_cny_per_m3=Decimal(810),
            idempotency_key=f"dce:match:{delivery}",
        )
    )


def _book(
    desk: FuturesDesk,
    delivery: str = "D1",
    track: str = "LH1",
    spot: str = "A",
    start: int = 9,
    end: int = 12,
) -> None:
    desk.bus.handle(
        futures.BookSlot(
            delivery,
            role="member",
            party="M0202",
            track=track,
            spot=spot,
            start=_at(S, start),
            end=_at(S, end),
            loads=(WagonLoad("C70", Decimal(45)), WagonLoad("C70", Decimal(45))),
        )
    )


def test_a_delivery_runs_from_match_to_settlement_on_the_store(hub: Hub, desk: FuturesDesk) -> None:
    _match(desk)
    _book(desk)
    _clock(hub).set(_at(S, 9, 30))
    desk.bus.handle(futures.RecordArrival("D1", carriers=("C70-4471", "C70-4472")))
    _clock(hub).set(_at(S, 11))
    inspected = desk.bus.handle(
        futures.RecordTally(
            "D1",
            role="inspector",
            document=TALLY,
            inspector="Li Wei",
            author=Author("li.wei", "inspector", "api"),
        )
    ).result
    assert inspected["passed"] and inspected["pieces"] == 262
    assert inspected["accepted_m3"] == "90.128"
    desk.bus.handle(futures.SignHandover("D1", role="member", party="M0202"))
    signed = desk.bus.handle(futures.SignHandover("D1", role="member", party="M0101")).result
    assert signed["state"] == "handed_over"
    assert signed["handover"]["tally_sha256"] == inspected["sha256"]
    for milestone in ("first payment", "final payment"):
        desk.bus.handle(futures.RecordPayment("D1", role="exchange", milestone=milestone))
    row = desk.queries.deliveries()[0]
    assert (row.id, row.state, row.deadline) == ("D1", "settled", None)
    steps = desk.queries.steps("D1")
    assert [s.kind for s in steps] == [
        "DeliveryMatched",
        "SlotBooked",
        "GoodsArrived",
        "Inspected",
        "HandoverSigned",
        "HandoverSigned",
        "HandedOver",
        "PaymentRecorded",
        "PaymentRecorded",
        "Settled",
    ]
    assert (steps[3].author, steps[3].role, steps[3].channel) == ("li.wei", "inspector", "api")
    report = desk.queries.daily_report(S)
    assert report.handed_over_m3 == Decimal("90.128")
    assert report.site_fees_cny == Decimal("1442.05")  # 90.128 m³ × (1 + 3 + 12) CNY/m³


def test_a_repeated_match_is_applied_once(desk: FuturesDesk) -> None:
    _match(desk)
    _match(desk)
    assert len(desk.queries.steps("D1")) == 1
    with pytest.raises(DeliveryRefused, match="exists already"):
        desk.bus.handle(
            futures.MatchDelivery(
                "D1",
                role="exchange",
                contract="LG2612",
                lots=1,
                buyer="M0101",
                seller="M0202",
                matched_on=S - timedelta(days=1),
                settlement_day=S,
                price_cny_per_m3=Decimal(800),
            )
        )


def test_a_slot_beyond_the_days_capacity_is_refused_and_changes_nothing(
    desk: FuturesDesk,
) -> None:
    def booking(delivery: str, track: str, spot: str, wagons: int) -> futures.BookSlot:
        loads = tuple(WagonLoad("C70", Decimal(75)) for _ in range(wagons))
        return futures.BookSlot(
            delivery,
            role="operator",
            track=track,
            spot=spot,
            start=_at(S, 9),
            end=_at(S, 17),
            loads=loads,
        )

    for delivery in ("D1", "D2", "D3"):
        _match(desk, delivery, lots=9)
    desk.bus.handle(booking("D1", "LH1", "A", 10))  # 750 m³
    desk.bus.handle(booking("D2", "LH1", "B", 10))  # 1,500 m³ booked
    with pytest.raises(
        SlotRefused,
        match="1500 m³ booked and 375 m³ asked exceed the site's daily capacity of 1800 m³",
    ):
        desk.bus.handle(booking("D3", "T2", "N", 5))
    assert [s.delivery for s in desk.queries.slots(S)] == ["D1", "D2"]
    assert desk.queries.delivery("D3").state.value == "matched"


def test_a_slot_on_a_shared_track_keeps_trains_off_it(hub: Hub, desk: FuturesDesk) -> None:
    _match(desk)
    _book(desk, track="T2", spot="N", start=10, end=14)
    hub.bus.handle(commands.RegisterTrain(train("X1", wagons=2)))
    _clock(hub).set(_at(S, 9))
    with pytest.raises(VisitError, match="track T2: it is reserved for futures delivery D1"):
        hub.bus.handle(commands.ArriveTrain("X1", "T2", ()))
    hub.bus.handle(commands.ArriveTrain("X1", "T1", ()))  # the other track is free


def test_a_train_on_a_shared_track_refuses_the_slot(hub: Hub, desk: FuturesDesk) -> None:
    _match(desk)
    hub.bus.handle(commands.RegisterTrain(train("X1", wagons=2)))
    _clock(hub).set(_at(S, 8))
    hub.bus.handle(commands.ArriveTrain("X1", "T2", ()))
    with pytest.raises(SlotRefused, match="track T2 has train X1"):
        _book(desk, track="T2", spot="N", start=10, end=14)


def test_only_the_right_roles_take_each_step(desk: FuturesDesk) -> None:
    with pytest.raises(RoleRefused, match="only admin, exchange may match"):
        _match_as(desk, "operator")
    _match(desk)
    with pytest.raises(RoleRefused, match="only the seller"):
        desk.bus.handle(
            futures.BookSlot(
                "D1",
                role="member",
                party="M0101",
                track="LH1",
                spot="A",
                start=_at(S, 9),
                end=_at(S, 10),
                loads=(WagonLoad("C70", Decimal(90)),),
            )
        )
    with pytest.raises(DeliveryRefused, match="neither the buyer nor the seller"):
        desk.bus.handle(futures.RaiseDispute("D1", role="member", party="M0999", reason="x"))


def _match_as(desk: FuturesDesk, role: str) -> None:
    desk.bus.handle(
        futures.MatchDelivery(
            "D9",
            role=role,
            contract="LG2612",
            lots=1,
            buyer="M0101",
            seller="M0202",
            matched_on=S,
            settlement_day=S,
            price_cny_per_m3=Decimal(810),
        )
    )


def test_the_deadline_duty_warns_then_defaults_once(hub: Hub, desk: FuturesDesk) -> None:
    _match(desk)
    _book(desk)
    deadline = _at(S + timedelta(days=3), 13, 30)
    _clock(hub).set(deadline - timedelta(hours=2))
    first = desk.bus.handle(futures.WatchDeadlines()).result
    assert first == {
        "alarms": [{"delivery": "D1", "deadline": "arrival", "due": deadline.isoformat()}],
        "defaults": [],
    }
    assert desk.bus.handle(futures.WatchDeadlines()).result == {"alarms": [], "defaults": []}
    _clock(hub).set(deadline + timedelta(minutes=1))
    late = desk.bus.handle(futures.WatchDeadlines()).result
    assert late["defaults"][0]["party"] == "M0202"
    assert desk.queries.delivery("D1").state.value == "defaulted"
    assert desk.queries.slots(S)[0].active is False  # the slot is freed
    assert desk.bus.handle(futures.WatchDeadlines()).result == {"alarms": [], "defaults": []}


def test_the_audit_finds_a_record_that_disagrees_with_its_events(
    hub: Hub, desk: FuturesDesk
) -> None:
    from sqlalchemy import update

    from hubport.futures.adapters import tables

    _match(desk)
    _book(desk)
    assert desk.queries.audit() == (1, [])
    with hub.engine.begin() as connection:
        connection.execute(
            update(tables.futures_deliveries).values(state="settled")  # behind the bus's back
        )
    count, problems = desk.queries.audit()
    assert count == 1 and problems == ["delivery D1: listed settled, its events say booked"]
