"""A delivery on the vehicle: from the exchange's match to the settlement, as a state
machine whose steps, states allowed and roles are data (``STEPS``).

    matched → booked → arrived → inspected → handed_over → settled
                          ↘ disputed (a failed inspection, or a party's objection)
    matched, booked, arrived, inspected, disputed → defaulted

A delivery is the fold of its events: each step checks the state and the deadlines,
then records one event (or two: a failed inspection opens its dispute; the second
signature makes the handover final; the last payment settles).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.errors import DeliveryRefused
from hubport.futures.domain.events import (
    DeadlineNear,
    Defaulted,
    DeliveryEvent,
    DeliveryMatched,
    Disputed,
    GoodsArrived,
    HandedOver,
    HandoverSigned,
    Inspected,
    PaymentRecorded,
    Settled,
    SlotBooked,
)
from hubport.futures.domain.inspection import Verdict
from hubport.futures.domain.rules import DeliveryRules

#: A DCE log contract: LG and the delivery month as YYMM (LG2509: September 2025).
CONTRACT = re.compile(r"LG\d{2}(0[1-9]|1[0-2])")


class State(enum.StrEnum):
    MATCHED = "matched"
    BOOKED = "booked"
    ARRIVED = "arrived"
    INSPECTED = "inspected"
    HANDED_OVER = "handed_over"
    SETTLED = "settled"
    DISPUTED = "disputed"
    DEFAULTED = "defaulted"


@dataclass(frozen=True)
class Step:
    """A step of a delivery: the states it may start from and the roles that may take it
    (``runtime``: the platform's own clock-driven duty)."""

    states: frozenset[State]
    roles: frozenset[str]


def _step(states: set[State], roles: set[str]) -> Step:
    return Step(frozenset(states), frozenset(roles | {"admin"}))


S = State
STEPS: dict[str, Step] = {
    "match": _step(set(), {"exchange"}),
    "book": _step({S.MATCHED, S.BOOKED}, {"operator", "member"}),
    "arrive": _step({S.BOOKED}, {"operator"}),
    "inspect": _step({S.ARRIVED, S.DISPUTED}, {"inspector"}),
    # a handover is final; a correction disputes it, and a new inspection and new
    # signatures make a new record beside it
    "dispute": _step({S.ARRIVED, S.INSPECTED, S.HANDED_OVER}, {"member", "exchange"}),
    "sign": _step({S.INSPECTED}, {"member"}),
    "pay": _step({S.HANDED_OVER}, {"exchange"}),
    "default": _step(
        {S.MATCHED, S.BOOKED, S.ARRIVED, S.INSPECTED, S.DISPUTED}, {"exchange", "runtime"}
    ),
    "warn": _step({S.MATCHED, S.BOOKED, S.ARRIVED, S.INSPECTED, S.HANDED_OVER}, {"runtime"}),
}
FINAL = frozenset({State.SETTLED, State.DEFAULTED})


@dataclass
class Delivery:
    """One matched delivery and everything that happened to it."""

    id: str
    rules: DeliveryRules
    events: list[DeliveryEvent] = field(default_factory=list)
    #: Events recorded by this unit of work, not yet stored.
    pending: list[DeliveryEvent] = field(default_factory=list)

    # -- the fold ---------------------------------------------------------------------

    @classmethod
    def replay(cls, id: str, rules: DeliveryRules, events: list[DeliveryEvent]) -> Delivery:
        if not events or not isinstance(events[0], DeliveryMatched):
            raise DeliveryRefused(f"delivery {id}: its log does not start with its match")
        return cls(id, rules, list(events))

    @property
    def match(self) -> DeliveryMatched:
        first = self.events[0]
        if not isinstance(first, DeliveryMatched):
            raise DeliveryRefused(f"delivery {self.id}: its log does not start with its match")
        return first

    @property
    def state(self) -> State:
        state = State.MATCHED
        for event in self.events:
            state = _after(state, event)
        return state

    def last(self, kind: type[DeliveryEvent]) -> DeliveryEvent | None:
        return next((e for e in reversed(self.events) if isinstance(e, kind)), None)

    @property
    def booking(self) -> SlotBooked | None:
        found = self.last(SlotBooked)
        return found if isinstance(found, SlotBooked) else None

    @property
    def inspection(self) -> Inspected | None:
        found = self.last(Inspected)
        return found if isinstance(found, Inspected) else None

    def deadlines(self) -> dict[str, datetime]:
        """The deadlines of this delivery, by name."""
        settlement = self.match.settlement_day
        named = {
            "arrival": self.rules.arrival_deadline(settlement),
            "handover": self.rules.handover_deadline(settlement),
        }
        for milestone, due in self.rules.payment_due(settlement):
            named[milestone.name] = due
        return named

    def open_deadline(self) -> tuple[str, datetime] | None:
        """The deadline the delivery's state now waits on, if any."""
        state = self.state
        deadlines = self.deadlines()
        if state in (State.MATCHED, State.BOOKED):
            return "arrival", deadlines["arrival"]
        if state in (State.ARRIVED, State.INSPECTED):
            return "handover", deadlines["handover"]
        if state is State.HANDED_OVER:
            paid = {e.milestone for e in self.events if isinstance(e, PaymentRecorded)}
            for milestone, due in self.rules.payment_due(self.match.settlement_day):
                if milestone.name not in paid:
                    return milestone.name, due
        return None

    # -- the steps ----------------------------------------------------------------------

    @classmethod
    def matched(
        cls,
        id: str,
        rules: DeliveryRules,
        *,
        contract: str,
        lots: int,
        buyer: str,
        seller: str,
        matched_on: date,
        settlement_day: date,
        price_cny_per_m3: Decimal,
        at: datetime,
    ) -> Delivery:
        """A new delivery from the exchange's match."""
        if not id or len(id) > 40 or not id.replace("-", "").isalnum():
            raise DeliveryRefused(f"delivery id {id!r}: 1-40 letters, digits or '-'")
        if not CONTRACT.fullmatch(contract):
            raise DeliveryRefused(f"contract {contract!r} is not a log contract such as LG2509")
        if lots < 1:
            raise DeliveryRefused(f"lots {lots}: a match is for at least one lot")
        if not buyer or not seller or buyer == seller:
            raise DeliveryRefused(f"buyer {buyer!r} and seller {seller!r} must be two members")
        if settlement_day < matched_on:
            raise DeliveryRefused(
                f"settlement day {settlement_day} is before the matching day {matched_on}"
            )
        if at.astimezone(HUB_TIME).date() < matched_on:
            raise DeliveryRefused(
                f"matching day {matched_on} is still to come (hub day "
                f"{at.astimezone(HUB_TIME).date()}): a match is recorded on or after its day"
            )
        if price_cny_per_m3 <= 0:
            raise DeliveryRefused(f"price {price_cny_per_m3} CNY/m³ must be positive")
        delivery = cls(id, rules)
        delivery._record(
            DeliveryMatched(
                id,
                at,
                contract,
                lots,
                rules.lot_m3 * lots,
                buyer,
                seller,
                matched_on,
                settlement_day,
                price_cny_per_m3,
            )
        )
        return delivery

    def book(self, slot: SlotBooked) -> None:
        self._allowed("book")
        if slot.at > self.rules.arrival_deadline(self.match.settlement_day):
            raise DeliveryRefused(f"delivery {self.id}: its arrival deadline has passed")
        if slot.start > self.deadlines()["arrival"]:
            raise DeliveryRefused(
                f"slot from {slot.start:%Y-%m-%d %H:%M} starts after the arrival deadline "
                f"{self.deadlines()['arrival']:%Y-%m-%d %H:%M}"
            )
        self._record(slot)

    def arrive(self, carriers: tuple[str, ...], at: datetime) -> None:
        self._allowed("arrive")
        deadline = self.deadlines()["arrival"]
        if at > deadline:
            raise DeliveryRefused(
                f"delivery {self.id}: the goods came at {at:%Y-%m-%d %H:%M}, after the "
                f"arrival deadline {deadline:%Y-%m-%d %H:%M}: the seller is in default"
            )
        if not carriers:
            raise DeliveryRefused("an arrival names the wagons or trucks that brought the goods")
        self._record(GoodsArrived(self.id, at, carriers))

    def inspect(
        self, verdict: Verdict, pieces: int, tally_sha256: str, inspector: str, at: datetime
    ) -> None:
        self._allowed("inspect")
        self._record(
            Inspected(
                self.id,
                at,
                tally_sha256,
                pieces,
                verdict.tallied_m3,
                verdict.passed,
                verdict.reasons,
                inspector,
            )
        )
        if not verdict.passed:
            self._record(
                Disputed(
                    self.id, at, inspector, "inspection failed: " + "; ".join(verdict.reasons[:3])
                )
            )

    def dispute(self, by: str, reason: str, at: datetime) -> None:
        self._allowed("dispute")
        if not reason.strip():
            raise DeliveryRefused("a dispute needs its reason")
        self._record(Disputed(self.id, at, by, reason))

    def sign(self, party: str, at: datetime) -> HandedOver | None:
        """``party`` signs the handover of the inspected volume; the second signature
        makes it final (the record returned)."""
        self._allowed("sign")
        side = self.side_of(party)
        inspection = self.inspection
        if inspection is None:
            raise DeliveryRefused(f"delivery {self.id} has no inspection to sign for")
        since = self.events.index(inspection)
        signed = [e for e in self.events[since:] if isinstance(e, HandoverSigned)]
        if any(s.side == side for s in signed):
            raise DeliveryRefused(f"delivery {self.id}: the {side} has signed already")
        mine = HandoverSigned(
            self.id, at, party, side, inspection.tallied_m3, inspection.tally_sha256
        )
        self._record(mine)
        if not signed:
            return None
        other = signed[0]
        buyer_at, seller_at = (at, other.at) if side == "buyer" else (other.at, at)
        record = f"{self.id}-H{sum(isinstance(e, HandedOver) for e in self.events) + 1}"
        final = HandedOver(
            self.id, at, record, inspection.tallied_m3, inspection.tally_sha256, buyer_at, seller_at
        )
        self._record(final)
        return final

    def pay(self, milestone: str, at: datetime) -> Decimal:
        """Record the exchange's payment of a milestone to the seller; its amount."""
        self._allowed("pay")
        shares = {m.name: m.share for m in self.rules.payments}
        if milestone not in shares:
            raise DeliveryRefused(f"payment {milestone!r} is not one of {', '.join(shares)}")
        paid = {e.milestone for e in self.events if isinstance(e, PaymentRecorded)}
        if milestone in paid:
            raise DeliveryRefused(f"delivery {self.id}: {milestone} is paid already")
        handed = self.last(HandedOver)
        if not isinstance(handed, HandedOver):
            raise DeliveryRefused(f"delivery {self.id} has no signed handover to pay for")
        amount = (handed.volume_m3 * self.match.price_cny_per_m3 * shares[milestone]).quantize(
            Decimal("0.01")
        )
        self._record(PaymentRecorded(self.id, at, milestone, amount))
        if paid | {milestone} == set(shares):
            self._record(Settled(self.id, at))
        return amount

    def default(self, party: str, reason: str, at: datetime) -> None:
        self._allowed("default")
        self.side_of(party)
        self._record(Defaulted(self.id, at, party, reason))

    def overdue(self, now: datetime) -> Defaulted | None:
        """The seller's default when the arrival deadline passed without the goods."""
        if self.state in (State.MATCHED, State.BOOKED) and now > self.deadlines()["arrival"]:
            deadline = self.deadlines()["arrival"]
            self.default(
                self.match.seller, f"no goods at the site by {deadline:%Y-%m-%d %H:%M}", now
            )
            found = self.last(Defaulted)
            return found if isinstance(found, Defaulted) else None
        return None

    def warn(self, now: datetime) -> DeadlineNear | None:
        """An alarm once per deadline, ``alarm_before`` ahead of it."""
        if self.state in FINAL:
            return None
        waiting = self.open_deadline()
        if waiting is None:
            return None
        name, due = waiting
        if not due - self.rules.alarm_before <= now <= due:
            return None
        if any(isinstance(e, DeadlineNear) and e.deadline == name for e in self.events):
            return None
        alarm = DeadlineNear(self.id, now, name, due)
        self._record(alarm)
        return alarm

    def side_of(self, party: str) -> str:
        if party == self.match.buyer:
            return "buyer"
        if party == self.match.seller:
            return "seller"
        raise DeliveryRefused(f"member {party!r} is neither the buyer nor the seller of {self.id}")

    def _allowed(self, step: str) -> None:
        state = self.state
        if state not in STEPS[step].states:
            raise DeliveryRefused(f"delivery {self.id} is {state.value}: it cannot {step} now")

    def _record(self, event: DeliveryEvent) -> None:
        self.events.append(event)
        self.pending.append(event)


def _after(state: State, event: DeliveryEvent) -> State:
    if isinstance(event, SlotBooked):
        return State.BOOKED
    if isinstance(event, GoodsArrived):
        return State.ARRIVED
    if isinstance(event, Inspected):
        return State.INSPECTED if event.passed else state
    if isinstance(event, Disputed):
        return State.DISPUTED
    if isinstance(event, HandedOver):
        return State.HANDED_OVER
    if isinstance(event, Settled):
        return State.SETTLED
    if isinstance(event, Defaulted):
        return State.DEFAULTED
    return state


__all__ = ["CONTRACT", "FINAL", "STEPS", "Delivery", "State", "Step"]
