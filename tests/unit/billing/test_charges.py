"""Charge lines from a box's events: the moves that are charged, storage up to the
departure or the billing date, the payer from the box's facts; billing in steps gives
the lines of billing at once, and never a line twice."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hubport.billing.adapters.tariff_file import read_tariff
from hubport.billing.domain.charges import (
    UNASSIGNED,
    ChargeFold,
    LoggedEvent,
    charges,
    move_kind,
)
from hubport.billing.domain.tariff import TariffBook
from hubport.domain.events import (
    ContainerAnnounced,
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    ContainerUpdated,
)
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import TruckSlot, WagonSlot, YardSlot
from tests.conftest import box

BOOK = TariffBook(read_tariff())
DAY1 = datetime(2026, 3, 1, 10, 0, tzinfo=HUB_TIME)
CONTAINER = box(1, "22G1", operator="MSK")
NUMBER = CONTAINER.number
WAGON, YARD, TRUCK = WagonSlot("T1", 1, "A"), YardSlot("A", 3, 1, 1), TruckSlot("TV1", "A")


def _history(left_on_day: int | None = 14) -> list[LoggedEvent]:
    events = [
        ContainerAnnounced(DAY1 - timedelta(hours=5), CONTAINER),
        ContainerArrived(DAY1, NUMBER, WAGON, "T1"),
        ContainerMoved(DAY1 + timedelta(minutes=20), NUMBER, WAGON, YARD, "ARMG1", "discharge"),
        ContainerMoved(
            DAY1 + timedelta(days=2), NUMBER, YARD, YardSlot("A", 5, 1, 1), "ARMG1", "relocation"
        ),
    ]
    if left_on_day is not None:
        out = DAY1 + timedelta(days=left_on_day - 1, hours=2)
        events += [
            ContainerMoved(out, NUMBER, YardSlot("A", 5, 1, 1), TRUCK, "ARMG2", "deliver"),
            ContainerDeparted(out + timedelta(minutes=30), NUMBER, TRUCK, "TV1"),
        ]
    return [LoggedEvent(index, event) for index, event in enumerate(events, start=1)]


def test_a_box_s_stay_is_charged_as_by_hand() -> None:
    lines = charges(BOOK, _history(), date(2026, 3, 31))
    by_kind: dict[str, Decimal] = {}
    for line in lines:
        by_kind[line.kind] = by_kind.get(line.kind, Decimal(0)) + line.amount
        assert line.customer == "MSK"
    # the relocation is the hub's own: not charged; 14 days: 6 × 8 + 4 × 16 = 112
    assert by_kind == {
        "discharge_wagon": Decimal(200),
        "lift_on_truck": Decimal(120),
        "storage_20_full": Decimal(112),
    }
    assert sum(line.vat for line in lines) == Decimal("25.92")  # 6 % of 432
    assert len({line.key for line in lines}) == len(lines)


def test_storage_runs_to_the_billing_date_while_the_box_stays() -> None:
    lines = charges(BOOK, _history(left_on_day=None), date(2026, 3, 7))
    storage = [line for line in lines if line.kind.startswith("storage")]
    assert [line.day.day for line in storage] == [5, 6, 7]  # days 1-4 free


def test_a_box_without_an_operator_is_billed_to_unassigned() -> None:
    history = _history()
    anonymous = box(1, "22G1")
    history[0] = LoggedEvent(1, ContainerAnnounced(DAY1 - timedelta(hours=5), anonymous))
    assert {line.customer for line in charges(BOOK, history, date(2026, 3, 31))} == {UNASSIGNED}


def test_which_moves_are_charged() -> None:
    assert move_kind(WAGON, YARD, "discharge") == "discharge_wagon"
    assert move_kind(YARD, WAGON, "load") == "load_wagon"
    assert move_kind(TRUCK, YARD, "receive") == "lift_off_truck"
    assert move_kind(YARD, YARD, "relocation") is None
    assert move_kind(YARD, YARD, "inspection") == "customs_inspection_move"


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_billing_in_steps_never_charges_a_line_twice(first: int, second: int) -> None:
    early, late = sorted((first, second))
    day = date(2026, 3, 1)
    before = {line.key: line for line in charges(BOOK, _history(), day + timedelta(days=early))}
    after = {line.key: line for line in charges(BOOK, _history(), day + timedelta(days=late))}
    assert set(before) <= set(after)
    assert all(before[key] == after[key] for key in before)


@st.composite
def _histories(draw: st.DrawFn) -> list[LoggedEvent]:
    """Boxes arriving, moved, updated (another payer, full to empty) and leaving, in
    time order, over a month."""
    timed: list[tuple[datetime, int, object]] = []
    for index in range(draw(st.integers(1, 4))):
        container = box(index, draw(st.sampled_from(["22G1", "45G1", "22R1"])), operator="MSK")
        number = container.number
        arrive = DAY1 + timedelta(hours=draw(st.integers(0, 20 * 24)))
        timed.append(
            (
                arrive - timedelta(hours=1),
                0,
                ContainerAnnounced(arrive - timedelta(hours=1), container),
            )
        )
        timed.append((arrive, 1, ContainerArrived(arrive, number, WAGON, "T1")))
        timed.append((arrive, 2, ContainerMoved(arrive, number, WAGON, YARD, "ARMG1", "discharge")))
        if draw(st.booleans()):
            changed = arrive + timedelta(hours=draw(st.integers(1, 10 * 24)))
            other = dataclasses.replace(container, operator="COS", full=draw(st.booleans()))
            timed.append((changed, 3, ContainerUpdated(changed, other)))
        if draw(st.booleans()):
            leave = arrive + timedelta(hours=draw(st.integers(1, 15 * 24)))
            timed.append((leave, 4, ContainerMoved(leave, number, YARD, TRUCK, "ARMG2", "deliver")))
            timed.append((leave, 5, ContainerDeparted(leave, number, TRUCK, "TV1")))
    timed.sort(key=lambda item: (item[0], item[1]))
    return [LoggedEvent(n, event) for n, (_, _, event) in enumerate(timed, start=1)]  # type: ignore[arg-type]


@given(_histories(), st.lists(st.integers(0, 40), max_size=6))
def test_billing_runs_with_the_fold_kept_between_them_equal_billing_at_once(
    history: list[LoggedEvent], run_days: list[int]
) -> None:
    last = date(2026, 4, 15)
    fold = ChargeFold(BOOK)
    lines = []
    pending = list(history)
    for until in [*sorted({date(2026, 3, 1) + timedelta(days=d) for d in run_days}), last]:
        end = datetime.combine(until + timedelta(days=1), datetime.min.time(), HUB_TIME)
        while pending and pending[0].event.at < end:
            lines.extend(fold.apply(pending.pop(0)))
        lines.extend(fold.roll(until))
    at_once = charges(BOOK, history, last)
    assert sorted(lines, key=lambda line: line.key) == sorted(at_once, key=lambda line: line.key)
    assert len({line.key for line in lines}) == len(lines)
