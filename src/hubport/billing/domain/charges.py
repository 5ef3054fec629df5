"""Charges from the hub's events: which event is chargeable, to whom, at which rate.

The rules (docs/billing.md):
- a crane move off a wagon is a ``discharge_wagon``, onto one a ``load_wagon``; off or
  onto a vessel cell ``discharge_barge`` / ``load_barge``; off a truck ``lift_off_truck``,
  onto one ``lift_on_truck``; a move for an inspection ``customs_inspection_move``; the
  hub's own relocations and moves within the yard are not charged;
- storage: every hub day of a stay (``storage.py``), up to the box's departure or the
  billing date, whichever is first; a full reefer also pays ``reefer_hour`` for each hour
  of the day it spends in the hub (plugged in);
- the payer is the box's operator (its line) as the box's facts say at the event (for a
  move) or at the end of the day (for storage); a box with none is billed to
  ``UNASSIGNED``;
- each line has a key made from what it charges (the event's id and kind, or the box,
  its arrival's event id and the day), so a billing run over the same events again
  produces no new line, and billing in steps produces the same lines as at once.

``ChargeFold`` is the rule as a fold: its state (the boxes' facts, the stays still to
bill, the last day billed) is what a billing run keeps between runs, so a run reads only
the events since the last one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hubport.billing.domain.money import cny
from hubport.billing.domain.tariff import TariffBook
from hubport.domain.events import (
    ContainerAnnounced,
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    ContainerUpdated,
    Event,
)
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import Place, TruckSlot, VesselCell, WagonSlot

UNASSIGNED = "UNASSIGNED"
_ONE = Decimal(1)


@dataclass(frozen=True)
class ChargeLine:
    key: str
    box: str
    customer: str
    kind: str
    day: date
    rate: Decimal
    quantity: Decimal
    amount: Decimal
    vat: Decimal
    tariff: str
    #: The hub event it charges (a move's, or the arrival that began a stay).
    event_id: int

    @property
    def gross(self) -> Decimal:
        return self.amount + self.vat


@dataclass(frozen=True)
class LoggedEvent:
    """An event with its id in the hub's log (the billing's reference to it)."""

    id: int
    event: Event


@dataclass(frozen=True)
class BoxFacts:
    """What billing needs of a box: who pays, its size, full or empty, reefer or not."""

    customer: str
    size: int
    full: bool
    reefer: bool = False


UNKNOWN_BOX = BoxFacts(UNASSIGNED, 20, True)


@dataclass
class Stay:
    """A box's stay in the hub, billed day by day up to ``billed_through``."""

    arrival_id: int
    box: str
    arrived: datetime
    departed: datetime | None = None
    billed_through: date | None = None

    @property
    def first_day(self) -> date:
        return self.arrived.astimezone(HUB_TIME).date()

    @property
    def last_day(self) -> date | None:
        return None if self.departed is None else self.departed.astimezone(HUB_TIME).date()

    @property
    def finished(self) -> bool:
        last = self.last_day
        return last is not None and self.billed_through is not None and self.billed_through >= last


def move_kind(origin: Place, destination: Place, reason: str) -> str | None:
    """The chargeable kind of a crane move, if it is one."""
    if reason == "inspection":
        return "customs_inspection_move"
    if isinstance(origin, WagonSlot):
        return "discharge_wagon"
    if isinstance(destination, WagonSlot):
        return "load_wagon"
    if isinstance(origin, VesselCell):
        return "discharge_barge"
    if isinstance(destination, VesselCell):
        return "load_barge"
    if isinstance(origin, TruckSlot):
        return "lift_off_truck"
    if isinstance(destination, TruckSlot):
        return "lift_on_truck"
    return None


def hub_day(moment: datetime) -> date:
    return moment.astimezone(HUB_TIME).date()


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), HUB_TIME)


@dataclass
class ChargeFold:
    """The charge lines of the hub's events, folded one event at a time.

    ``apply`` charges an event (first billing the storage of the days that ended before
    it); ``roll`` bills the storage of every stay through a day. The state between calls
    is ``facts``, ``stays`` (not yet billed to their end) and ``rolled_through``.
    """

    book: TariffBook
    facts: dict[str, BoxFacts] = field(default_factory=dict)
    stays: dict[int, Stay] = field(default_factory=dict)
    rolled_through: date | None = None
    #: Facts and stays changed since the state was loaded (what a store writes back).
    touched_boxes: set[str] = field(default_factory=set)
    touched_stays: set[int] = field(default_factory=set)
    #: Stays billed to their end by this fold (no longer in ``stays``).
    finished_stays: dict[int, Stay] = field(default_factory=dict)
    #: Stays that began on a day already rolled (to bill at the next roll).
    _behind: set[int] = field(default_factory=set)
    #: Each box's stay still open (its arrival's id): a departure ends it.
    _open: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for stay in sorted(self.stays.values(), key=lambda s: s.arrival_id):
            if stay.departed is None:
                self._open[stay.box] = stay.arrival_id

    def apply(self, logged: LoggedEvent) -> list[ChargeLine]:
        event = logged.event
        lines = self.roll(hub_day(event.at) - timedelta(days=1))
        if isinstance(event, ContainerAnnounced | ContainerUpdated):
            container = event.container
            number = container.number.value
            self.facts[number] = BoxFacts(
                container.operator or UNASSIGNED,
                40 if container.size_type.is_forty else 20,
                container.full,
                container.size_type.is_reefer and container.full,
            )
            self.touched_boxes.add(number)
        elif isinstance(event, ContainerArrived):
            stay = Stay(logged.id, event.number.value, event.at)
            self.stays[logged.id] = stay
            self._open[stay.box] = logged.id
            self.touched_stays.add(logged.id)
            if self.rolled_through is not None and stay.first_day <= self.rolled_through:
                self._behind.add(logged.id)
        elif isinstance(event, ContainerDeparted):
            number = event.number.value
            arrival_id = self._open.pop(number, None)
            if arrival_id is not None and arrival_id in self.stays:
                self.stays[arrival_id].departed = event.at
                self.touched_stays.add(arrival_id)
        elif isinstance(event, ContainerMoved):
            kind = move_kind(event.origin, event.destination, event.reason)
            if kind is not None:
                number = event.number.value
                facts = self.facts.get(number, UNKNOWN_BOX)
                day = hub_day(event.at)
                rate, tariff = self.book.rate(kind, facts.customer, day)
                lines.append(
                    _line(
                        f"{logged.id}:{kind}",
                        number,
                        facts.customer,
                        kind,
                        day,
                        rate,
                        _ONE,
                        tariff.vat_rate,
                        tariff.name,
                        logged.id,
                    )
                )
        return lines

    def roll(self, through: date) -> list[ChargeLine]:
        """Bill every stay's days up to ``through`` (its departure day at the latest); a
        day already rolled bills only the stays that began before it (late news)."""
        if self.rolled_through is not None and through <= self.rolled_through:
            behind = [self.stays[i] for i in sorted(self._behind) if i in self.stays]
            self._behind.clear()
            return self._bill(behind, self.rolled_through)
        self._behind.clear()
        lines = self._bill(list(self.stays.values()), through)
        self.rolled_through = through
        return lines

    def _bill(self, stays: list[Stay], through: date) -> list[ChargeLine]:
        lines: list[ChargeLine] = []
        for stay in stays:
            last = stay.last_day
            end = through if last is None else min(through, last)
            if stay.billed_through is None:
                start = stay.first_day
            else:
                start = stay.billed_through + timedelta(days=1)
            if start > end:
                continue
            facts = self.facts.get(stay.box, UNKNOWN_BOX)
            day = start
            while day <= end:
                lines.extend(self._stay_day(stay, facts, day))
                day += timedelta(days=1)
            stay.billed_through = end
            self.touched_stays.add(stay.arrival_id)
            if stay.finished:
                self.finished_stays[stay.arrival_id] = self.stays.pop(stay.arrival_id)
        return lines

    def _stay_day(self, stay: Stay, facts: BoxFacts, day: date) -> list[ChargeLine]:
        lines = []
        number = (day - stay.first_day).days + 1
        scale, tariff = self.book.storage(facts.size, facts.full, facts.customer, day)
        rate = scale.rate_on(number)
        kind = f"storage_{facts.size}_{'full' if facts.full else 'empty'}"
        if rate:
            lines.append(
                _line(
                    f"storage:{stay.box}:{stay.arrival_id}:{day}",
                    stay.box,
                    facts.customer,
                    kind,
                    day,
                    rate,
                    _ONE,
                    tariff.vat_rate,
                    tariff.name,
                    stay.arrival_id,
                )
            )
        if facts.reefer:
            begins = max(stay.arrived, day_start(day))
            ends = day_start(day + timedelta(days=1))
            if stay.departed is not None:
                ends = min(ends, stay.departed)
            hours = Decimal(int((ends - begins).total_seconds()) // 60) / 60
            per_hour, reefer_tariff = self.book.rate("reefer_hour", facts.customer, day)
            if hours > 0 and per_hour:
                lines.append(
                    _line(
                        f"reefer:{stay.box}:{stay.arrival_id}:{day}",
                        stay.box,
                        facts.customer,
                        "reefer_hour",
                        day,
                        per_hour,
                        hours.quantize(Decimal("0.01")),
                        reefer_tariff.vat_rate,
                        reefer_tariff.name,
                        stay.arrival_id,
                    )
                )
        return lines


def charges(book: TariffBook, events: Iterable[LoggedEvent], until: date) -> list[ChargeLine]:
    """Every charge line of ``events`` (in log order) up to the end of hub day ``until``:
    the fold from nothing, stopping at the first event after that day."""
    end = day_start(until + timedelta(days=1))
    fold = ChargeFold(book)
    lines: list[ChargeLine] = []
    for logged in events:
        if logged.event.at >= end:
            break
        lines.extend(fold.apply(logged))
    lines.extend(fold.roll(until))
    return lines


def _line(
    key: str,
    box: str,
    customer: str,
    kind: str,
    day: date,
    rate: Decimal,
    quantity: Decimal,
    vat_rate: Decimal,
    tariff: str,
    event_id: int,
) -> ChargeLine:
    amount = cny(rate * quantity)
    return ChargeLine(
        key,
        box,
        customer,
        kind,
        day,
        rate,
        quantity,
        amount,
        cny(amount * vat_rate),
        tariff,
        event_id,
    )


__all__ = [
    "UNASSIGNED",
    "BoxFacts",
    "ChargeFold",
    "ChargeLine",
    "LoggedEvent",
    "Stay",
    "charges",
    "hub_day",
    "move_kind",
]
