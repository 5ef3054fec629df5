"""The log-futures side of the world at Luohuang: the exchange, its members, the sellers'
log wagons and the measuring station, through the platform's public interfaces only.

A few matches a month (``MATCHES_PER_MONTH``, assumed: the site opened for delivery on the
vehicle in July 2025 and publishes no monthly count). For each:

- the exchange's match of the day before (its matching and settlement day, D = S)
  reaches the platform at 08:00;
- the seller books a spot on the log siding for that morning, with its wagons' loads;
- its log wagons come at the slot's start (a seller fails to come now and then:
  ``NO_SHOW``; the runtime marks the default when the deadline passes);
- the measuring station sends its tally two hours later: logs of the contract's
  grade, drawn until their GB/T 4814 volume reaches the match's (a short delivery
  now and then: ``SHORT``, which the inspection fails, and the exchange then declares
  the seller in default);
- both members sign in the afternoon; the exchange pays the seller at the milestones.

The platform decides the rest: the slot against the capacity and the tracks, the
inspection's verdict, the deadlines, the alarms and the defaults.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.volume import Log
from hubport.twin.client import DeliveryOrder, DeliverySlot, HubClient

#: Matches a month at the site (assumed), and the chances a seller fails.
MATCHES_PER_MONTH = 3.0
NO_SHOW = 0.05
SHORT = 0.08
#: The members of the world's exchange (made-up codes) and the contract's price (CNY/m³:
#: the benchmark price at listing, 810, drifting a little).
MEMBERS = ("M0101", "M0202", "M0303", "M0404")
PRICE = Decimal(810)
#: The spots of the log siding the sellers book (the site file's ``LH1``).
SPOTS = ("A", "B")
WAGON = ("C70", Decimal(75))
#: The contract's trade lengths as measured (3.9 m and 5.9 m logs check at 3.8 and 5.8).
LENGTHS = (Decimal("3.8"), Decimal("5.8"))

Step = Callable[[datetime], datetime | None]
Schedule = Callable[[datetime, Step], None]


def contract_of(day: date) -> str:
    """The contract in delivery: this month's (LG2612 in December 2026)."""
    return f"LG{day:%y%m}"


def tally_rows(rng: random.Random, target_m3: Decimal) -> tuple[str, Decimal]:
    """A tally CSV of logs whose volume just reaches ``target_m3``, and that volume."""
    lines, total = ["species,length_m,diameter_cm,inspector"], Decimal(0)
    while total < target_m3:
        log = Log.measured(rng.choice(LENGTHS), 2 * rng.randint(11, 22))
        total += log.volume_m3()
        lines.append(f"radiata pine,{log.length_m},{log.diameter_cm},station")
    return "\n".join(lines) + "\n", total


class LogDeliveries:
    """The exchange, the members and the sellers' wagons, day by day."""

    def __init__(
        self,
        client: HubClient,
        seed: int,
        per_month: float = MATCHES_PER_MONTH,
        always: frozenset[int] = frozenset(),
    ):
        """``always``: traffic days that have a match whatever the draw (the demo's)."""
        self.client, self.seed, self.per_month, self.always = client, seed, per_month, always
        self.matched = self.tallied = self.signed = self.no_shows = self.short = 0
        self.schedule: Schedule | None = None
        self.until: datetime | None = None

    def _at(self, moment: datetime, step: Step) -> None:
        if self.schedule is not None and (self.until is None or moment <= self.until):
            self.schedule(moment, step)

    def day(
        self, index: int, start: datetime, schedule: Schedule, until: datetime | None = None
    ) -> None:
        """Schedule the day's match, if the day has one (the same days for a seed); steps
        after ``until`` (the world's end) are not played."""
        self.schedule, self.until = schedule, until
        rng = random.Random(f"{self.seed}:futures:{index}")
        if index not in self.always and rng.random() >= self.per_month / 30.4:
            return
        day = start.astimezone(HUB_TIME).date()
        settled = day - timedelta(days=1)
        buyer, seller = rng.sample(MEMBERS, 2)
        lots = rng.randint(1, 4)
        order = DeliveryOrder(
            f"LH{day:%y%m%d}-{index % 1000:03d}",
            contract_of(settled),
            lots,
            buyer,
            seller,
            settled,
            settled,
            PRICE + Decimal(rng.randint(-30, 30)),
        )
        self._at(datetime.combine(day, time(8, 0), HUB_TIME), self._match(order, rng))

    def _match(self, order: DeliveryOrder, rng: random.Random) -> Step:
        def step(now: datetime) -> None:
            self.client.match_delivery(order)
            self.matched += 1
            volume = Decimal(90) * order.lots
            wagons = int((volume / WAGON[1]).to_integral_value(ROUND_CEILING))
            start = datetime.combine(now.astimezone(HUB_TIME).date(), time(10, 0), HUB_TIME)
            slot = DeliverySlot(
                order.delivery,
                order.seller,
                "LH1",
                SPOTS[self.matched % len(SPOTS)],
                start,
                start + timedelta(hours=3),
                tuple((WAGON[0], volume / wagons) for _ in range(wagons)),
            )
            self.client.book_delivery_slot(slot)
            if rng.random() < NO_SHOW:
                self.no_shows += 1
                return None  # the seller never comes: the runtime marks its default
            short = rng.random() < SHORT
            self._at(start, self._arrive(order, wagons, short, rng))
            return None

        return step

    def _arrive(self, order: DeliveryOrder, wagons: int, short: bool, rng: random.Random) -> Step:
        def step(now: datetime) -> None:
            carriers = tuple(f"C70-{rng.randint(1000, 9999)}" for _ in range(wagons))
            self.client.delivery_arrives(order.delivery, carriers)
            self._at(now + timedelta(hours=2), self._measure(order, short, rng))
            return None

        return step

    def _measure(self, order: DeliveryOrder, short: bool, rng: random.Random) -> Step:
        def step(now: datetime) -> None:
            target = Decimal(90) * order.lots * (Decimal("0.9") if short else Decimal(1))
            text, _volume = tally_rows(rng, target)
            passed = self.client.send_tally(order.delivery, text, "Luohuang measuring station")
            self.tallied += 1
            if not passed:
                self.short += 1
                self._at(now + timedelta(hours=4), self._decide(order))
                return None
            self._at(now + timedelta(hours=2), self._sign(order, order.seller))
            self._at(now + timedelta(hours=3), self._sign(order, order.buyer))
            return None

        return step

    def _sign(self, order: DeliveryOrder, party: str) -> Step:
        def step(now: datetime) -> None:
            self.client.sign_delivery(order.delivery, party)
            if party == order.buyer:
                self.signed += 1
                for days, milestone in ((6, "first payment"), (15, "final payment")):
                    due = order.settlement_day + timedelta(days=days)
                    self._at(
                        datetime.combine(due, time(15, 0), HUB_TIME), self._pay(order, milestone)
                    )
            return None

        return step

    def _pay(self, order: DeliveryOrder, milestone: str) -> Step:
        def step(now: datetime) -> None:
            self.client.pay_delivery(order.delivery, milestone)
            return None

        return step

    def _decide(self, order: DeliveryOrder) -> Step:
        def step(now: datetime) -> None:
            reason = "the delivered volume fell short of the match at inspection"
            self.client.declare_default(order.delivery, order.seller, reason)
            return None

        return step


__all__ = ["MATCHES_PER_MONTH", "LogDeliveries", "contract_of", "tally_rows"]
