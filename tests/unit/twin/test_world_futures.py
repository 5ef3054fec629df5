"""The world's log deliveries: what the exchange, the seller, the measuring station and
the members send, in order, the same for a seed; a tally that reaches the matched volume."""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.tally_document import parse_tally
from hubport.twin.client import DeliveryOrder, DeliverySlot
from hubport.twin.world_futures import LogDeliveries, tally_rows

START = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


class Recorder:
    """The futures calls of a platform, noted; tallies pass unless ``fail``."""

    def __init__(self, fail: bool = False):
        self.calls: list[tuple[str, Any]] = []
        self.fail = fail

    def match_delivery(self, order: DeliveryOrder) -> None:
        self.calls.append(("match", order))

    def book_delivery_slot(self, slot: DeliverySlot) -> None:
        self.calls.append(("slot", slot))

    def delivery_arrives(self, delivery: str, carriers: tuple[str, ...]) -> None:
        self.calls.append(("arrive", carriers))

    def send_tally(self, delivery: str, tally_csv: str, inspector: str) -> bool:
        self.calls.append(("tally", tally_csv))
        return not self.fail

    def sign_delivery(self, delivery: str, party: str) -> None:
        self.calls.append(("sign", party))

    def pay_delivery(self, delivery: str, milestone: str) -> None:
        self.calls.append(("pay", milestone))

    def declare_default(self, delivery: str, party: str, reason: str) -> None:
        self.calls.append(("default", party))


def _play(deliveries: LogDeliveries, days: int, until: datetime | None = None) -> None:
    queue: list[tuple[datetime, int, Any]] = []
    order = itertools.count()

    def schedule(moment: datetime, step: Any) -> None:
        heapq.heappush(queue, (moment, next(order), step))

    for day in range(1, days + 1):
        deliveries.day(day, START + timedelta(days=day - 1), schedule, until)
    while queue:
        moment, _, step = heapq.heappop(queue)
        step(moment)


def test_a_delivery_is_played_from_match_to_payment() -> None:
    client = Recorder()
    deliveries = LogDeliveries(client, seed=7, per_month=0.0, always=frozenset({1}))
    _play(deliveries, 1)  # type: ignore[arg-type]
    kinds = [kind for kind, _ in client.calls]
    assert kinds == ["match", "slot", "arrive", "tally", "sign", "sign", "pay", "pay"]
    match = client.calls[0][1]
    slot = client.calls[1][1]
    assert match.settlement_day == START.date() - timedelta(days=1)
    assert sum(volume for _, volume in slot.loads) == Decimal(90) * match.lots
    assert all(volume <= Decimal(75) for _, volume in slot.loads)  # a C70's limit
    assert slot.start.astimezone(HUB_TIME).hour == 10


def test_the_same_seed_plays_the_same_deliveries_and_some_sellers_fail() -> None:
    first, second = Recorder(), Recorder()
    _play(LogDeliveries(first, seed=3, per_month=30.0), 120)  # type: ignore[arg-type]
    _play(LogDeliveries(second, seed=3, per_month=30.0), 120)  # type: ignore[arg-type]
    assert first.calls == second.calls
    count = {kind: sum(k == kind for k, _ in first.calls) for kind in ("match", "arrive", "tally")}
    assert 90 <= count["match"] <= 120  # about 118 at 30 a month (a match most days)
    assert count["arrive"] < count["match"]  # a no-show now and then (5 %)
    assert count["tally"] == count["arrive"]


def test_a_failed_inspection_is_followed_by_the_exchange_s_default() -> None:
    client = Recorder(fail=True)
    _play(LogDeliveries(client, seed=11, per_month=0.0, always=frozenset({1})), 1)  # type: ignore[arg-type]
    kinds = [kind for kind, _ in client.calls]
    assert kinds == ["match", "slot", "arrive", "tally", "default"]


def test_nothing_is_played_after_the_world_s_end() -> None:
    client = Recorder()
    until = START + timedelta(days=1)
    _play(LogDeliveries(client, seed=7, per_month=0.0, always=frozenset({1})), 1, until)  # type: ignore[arg-type]
    assert ("pay", "first payment") not in client.calls


def test_a_generated_tally_reaches_the_matched_volume() -> None:
    import random

    text, volume = tally_rows(random.Random(1), Decimal(180))
    document = parse_tally(text.encode())
    assert document.tally.volume_m3 == volume
    assert Decimal(180) <= volume < Decimal(181)
