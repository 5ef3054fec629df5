"""A delivery's life under an injected clock: the happy path, a failed inspection, a
missed deadline, the alarm before it, and the steps refused out of order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from hubport.futures.domain.delivery import Delivery, State
from hubport.futures.domain.errors import DeliveryRefused
from hubport.futures.domain.events import DeliveryEvent, SlotBooked
from hubport.futures.domain.inspection import Verdict
from hubport.futures.domain.site import DeliverySite
from tests.unit.futures.conftest import S, hub


def _slot(delivery: Delivery, day: date = S) -> SlotBooked:
    return SlotBooked(
        delivery.id,
        hub(S, 9),
        "LH1",
        "A",
        hub(day, 9),
        hub(day, 12),
        ("C70", "C70", "C70"),
        Decimal(180),
    )


def _passed(volume: str = "181.2") -> Verdict:
    return Verdict(True, Decimal(volume), Decimal(180), 0, ())


def _through_inspection(delivery: Delivery) -> None:
    delivery.book(_slot(delivery))
    delivery.arrive(("C70-4471", "C70-4472", "C70-4473"), hub(S, 10))
    delivery.inspect(_passed(), 412, "ab" * 32, "inspector Li", hub(S, 14))


def test_a_match_carries_lots_times_ninety_cubic_metres(delivery: Delivery) -> None:
    assert delivery.state is State.MATCHED
    assert delivery.match.volume_m3 == Decimal(180)


def test_the_arrival_deadline_is_s_plus_three_at_13_30(delivery: Delivery) -> None:
    assert delivery.deadlines()["arrival"] == hub(S + timedelta(days=3), 13, 30)


def test_a_delivery_runs_from_match_to_settlement(delivery: Delivery) -> None:
    _through_inspection(delivery)
    assert delivery.sign("M0202", hub(S, 15)) is None  # the seller first
    record = delivery.sign("M0101", hub(S, 16))
    assert record is not None and record.volume_m3 == Decimal("181.2")
    assert record.tally_sha256 == "ab" * 32
    assert delivery.state is State.HANDED_OVER
    first = delivery.pay("first payment", hub(S + timedelta(days=6), 15))
    assert first == Decimal("117417.60")  # 181.2 m³ × 810 CNY × 80 %
    assert delivery.state is State.HANDED_OVER
    delivery.pay("final payment", hub(S + timedelta(days=15), 15))
    assert delivery.state.value == "settled"


def test_a_delivery_is_the_fold_of_its_events(
    delivery: Delivery, delivery_site: DeliverySite
) -> None:
    _through_inspection(delivery)
    stored = [DeliveryEvent.from_payload(type(e).__name__, e.to_payload()) for e in delivery.events]
    again = Delivery.replay("D1", delivery_site.rules, stored)
    assert again.state is State.INSPECTED
    assert again.events == delivery.events


def test_a_failed_inspection_opens_a_dispute(delivery: Delivery) -> None:
    delivery.book(_slot(delivery))
    delivery.arrive(("C70-4471",), hub(S, 10))
    failed = Verdict(False, Decimal(150), Decimal(180), 3, ("tallied 150 m³ against 180 m³",))
    delivery.inspect(failed, 300, "cd" * 32, "inspector Li", hub(S, 14))
    assert delivery.state is State.DISPUTED
    with pytest.raises(DeliveryRefused, match="disputed: it cannot sign"):
        delivery.sign("M0101", hub(S, 15))
    delivery.inspect(_passed(), 310, "ef" * 32, "inspector Wang", hub(S + timedelta(days=1), 10))
    assert delivery.state.value == "inspected"


def test_a_missed_arrival_deadline_is_the_sellers_default(delivery: Delivery) -> None:
    deadline = delivery.deadlines()["arrival"]
    assert delivery.overdue(deadline) is None  # on the minute is still in time
    default = delivery.overdue(deadline + timedelta(minutes=1))
    assert default is not None and default.party == "M0202"
    assert delivery.state is State.DEFAULTED
    with pytest.raises(DeliveryRefused, match="defaulted"):
        delivery.book(_slot(delivery))


def test_goods_after_the_deadline_are_refused_as_a_default(delivery: Delivery) -> None:
    delivery.book(_slot(delivery))
    late = delivery.deadlines()["arrival"] + timedelta(minutes=5)
    with pytest.raises(DeliveryRefused, match="in default"):
        delivery.arrive(("C70-1",), late)


def test_an_alarm_rings_once_a_day_before_the_deadline(delivery: Delivery) -> None:
    deadline = delivery.deadlines()["arrival"]
    assert delivery.warn(deadline - timedelta(hours=25)) is None
    alarm = delivery.warn(deadline - timedelta(hours=23))
    assert alarm is not None and alarm.deadline == "arrival" and alarm.due == deadline
    assert delivery.warn(deadline - timedelta(hours=1)) is None


def test_a_party_signs_once_and_only_its_own_side(delivery: Delivery) -> None:
    _through_inspection(delivery)
    with pytest.raises(DeliveryRefused, match="neither the buyer nor the seller"):
        delivery.sign("M0999", hub(S, 15))
    delivery.sign("M0101", hub(S, 15))
    with pytest.raises(DeliveryRefused, match="buyer has signed already"):
        delivery.sign("M0101", hub(S, 15, 5))


def test_a_payment_is_recorded_once(delivery: Delivery) -> None:
    _through_inspection(delivery)
    delivery.sign("M0101", hub(S, 15))
    delivery.sign("M0202", hub(S, 15))
    delivery.pay("first payment", hub(S, 16))
    with pytest.raises(DeliveryRefused, match="paid already"):
        delivery.pay("first payment", hub(S, 17))


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("contract", "XX2509", "contract 'XX2509'"),
        ("contract", "LG2513", "contract 'LG2513'"),
        ("lots", 0, "lots 0"),
        ("seller", "M0101", "two members"),
        ("settlement_day", date(2025, 9, 1), "before the matching day"),
    ],
)
def test_a_bad_match_is_refused_by_name(
    delivery_site: DeliverySite, field: str, value: object, named: str
) -> None:
    fields: dict[str, object] = {
        "contract": "LG2509",
        "lots": 1,
        "buyer": "M0101",
        "seller": "M0202",
        "matched_on": date(2025, 9, 15),
        "settlement_day": S,
        "price_cny_per_m3": Decimal(810),
        "at": hub(S, 9),
    }
    fields[field] = value
    with pytest.raises(DeliveryRefused, match=named):
        Delivery.matched("D2", delivery_site.rules, **fields)  # type: ignore[arg-type]


def test_a_correction_is_a_new_handover_record_beside_the_first(delivery: Delivery) -> None:
    _through_inspection(delivery)
    delivery.sign("M0101", hub(S, 15))
    first = delivery.sign("M0202", hub(S, 15, 5))
    assert first is not None and first.record == "D1-H1"
    delivery.dispute("M0101", "the tally counted a rotten log", hub(S, 16))
    delivery.inspect(_passed("179.9"), 411, "ef" * 32, "inspector Wang", hub(S, 17))
    delivery.sign("M0101", hub(S, 18))
    second = delivery.sign("M0202", hub(S, 18, 5))
    assert second is not None and (second.record, second.volume_m3) == ("D1-H2", Decimal("179.9"))
    assert first in delivery.events  # the first record stays
