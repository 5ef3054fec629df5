"""Whatever the order of the steps asked, a delivery stays true to its rules: it is the
fold of its stored events, nothing follows a final state, a handover follows both sides'
signatures of a passed inspection, and a settled delivery was paid exactly its price."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hubport.futures.adapters.site_file import read_delivery_site
from hubport.futures.domain.delivery import FINAL, Delivery
from hubport.futures.domain.errors import FuturesError
from hubport.futures.domain.events import (
    DeliveryEvent,
    HandedOver,
    HandoverSigned,
    Inspected,
    PaymentRecorded,
    SlotBooked,
)
from hubport.futures.domain.inspection import Verdict
from tests.unit.futures.conftest import D, S, hub

RULES = read_delivery_site().rules
STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["book", "arrive", "pass", "fail", "sign", "dispute", "pay", "default", "late"]
        ),
        st.sampled_from(["M0101", "M0202", "M0999"]),
        st.sampled_from(["first payment", "final payment", "bonus"]),
    ),
    max_size=25,
)


def _take(delivery: Delivery, step: str, party: str, milestone: str, minute: int) -> None:
    at = hub(S, 9) + timedelta(minutes=minute)
    if step == "book":
        delivery.book(
            SlotBooked("D1", at, "LH1", "A", hub(S, 9), hub(S, 12), ("C70",), Decimal(90))
        )
    elif step == "arrive":
        delivery.arrive(("C70-1",), at)
    elif step in ("pass", "fail"):
        volume = Decimal("90.5") if step == "pass" else Decimal(70)
        verdict = Verdict(
            step == "pass", volume, Decimal(90), 0, () if step == "pass" else ("short",)
        )
        delivery.inspect(verdict, 260, f"{minute:064d}", "Li", at)
    elif step == "sign":
        delivery.sign(party, at)
    elif step == "dispute":
        delivery.dispute(party, "objection", at)
    elif step == "pay":
        delivery.pay(milestone, at)
    elif step == "default":
        delivery.default(party, "decided", at)
    else:
        delivery.overdue(delivery.deadlines()["arrival"] + timedelta(minutes=minute + 1))


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_a_delivery_keeps_its_rules_whatever_is_asked(steps: list[tuple[str, str, str]]) -> None:
    delivery = Delivery.matched(
        "D1",
        RULES,
        contract="LG2509",
        lots=1,
        buyer="M0101",
        seller="M0202",
        matched_on=D,
        settlement_day=S,
        price_cny_per_m3=Decimal(810),
        at=hub(D, 15),
    )
    for minute, (step, party, milestone) in enumerate(steps):
        before = list(delivery.events)
        was_final = delivery.state in FINAL
        try:
            _take(delivery, step, party, milestone, minute)
        except FuturesError:
            assert delivery.events == before  # a refused step records nothing
        if was_final:
            assert delivery.events == before  # nothing follows a final state
    stored = [DeliveryEvent.from_payload(type(e).__name__, e.to_payload()) for e in delivery.events]
    assert Delivery.replay("D1", RULES, stored).state is delivery.state
    for index, event in enumerate(delivery.events):
        if isinstance(event, HandedOver):
            last_pass = max(
                i
                for i, e in enumerate(delivery.events[:index])
                if isinstance(e, Inspected) and e.passed
            )
            sides = {
                e.side for e in delivery.events[last_pass:index] if isinstance(e, HandoverSigned)
            }
            assert sides == {"buyer", "seller"}
    if delivery.state.value == "settled":
        handed = [e for e in delivery.events if isinstance(e, HandedOver)][-1]
        paid = sum(e.amount_cny for e in delivery.events if isinstance(e, PaymentRecorded))
        assert abs(paid - handed.volume_m3 * Decimal(810)) <= Decimal("0.01")
