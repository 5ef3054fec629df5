"""Charges from the hub's events: which event is chargeable, to whom, at which rate.

The rules (docs/billing.md):
- a crane move off a wagon is a ``discharge_wagon``, onto one a ``load_wagon``; off or
  onto a vessel cell ``discharge_barge`` / ``load_barge``; off a truck ``lift_off_truck``,
  onto one ``lift_on_truck``; a move for an inspection ``customs_inspection_move``; the
  hub's own relocations and moves within the yard are not charged;
- storage: every hub day of a stay (``storage.py``), up to the box's departure or the
  billing date, whichever is first;
- the payer is the box's operator (its line) as the box's facts say at the event; a box
  with none is billed to ``UNASSIGNED``;
- each line has a key made from what it charges (the event's id and kind, or the box,
  its arrival's event id and the day), so a billing run over the same events again
  produces no new line, and billing in steps produces the same lines as at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hubport.billing.domain.money import cny
from hubport.billing.domain.storage import storage_days
from hubport.billing.domain.tariff import TariffBook
from hubport.domain.container import Container
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


@dataclass(frozen=True)
class ChargeLine:
    key: str
    box: str
    customer: str
    kind: str
    day: date
    rate: Decimal
    amount: Decimal
    vat: Decimal
    tariff: str

    @property
    def gross(self) -> Decimal:
        return self.amount + self.vat


@dataclass(frozen=True)
class LoggedEvent:
    """An event with its id in the hub's log (the billing's reference to it)."""

    id: int
    event: Event


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


@dataclass
class _Stay:
    arrival_id: int
    arrived: datetime
    departed: datetime | None = None


def charges(book: TariffBook, events: Iterable[LoggedEvent], until: date) -> list[ChargeLine]:
    """Every charge line of ``events`` (oldest first) up to the end of hub day ``until``."""
    end = datetime.combine(until + timedelta(days=1), time(0), HUB_TIME)
    facts: dict[str, Container] = {}
    stays: dict[str, list[_Stay]] = {}
    lines: list[ChargeLine] = []
    for logged in events:
        event = logged.event
        if event.at >= end:
            break
        if isinstance(event, ContainerAnnounced | ContainerUpdated):
            facts[event.container.number.value] = event.container
        elif isinstance(event, ContainerArrived):
            stays.setdefault(event.number.value, []).append(_Stay(logged.id, event.at))
        elif isinstance(event, ContainerDeparted):
            open_stays = [s for s in stays.get(event.number.value, []) if s.departed is None]
            if open_stays:
                open_stays[-1].departed = event.at
        elif isinstance(event, ContainerMoved):
            kind = move_kind(event.origin, event.destination, event.reason)
            if kind is not None:
                number = event.number.value
                customer = _payer(facts.get(number))
                day = event.at.astimezone(HUB_TIME).date()
                rate, tariff = book.rate(kind, customer, day)
                lines.append(
                    _line(
                        f"{logged.id}:{kind}",
                        number,
                        customer,
                        kind,
                        day,
                        rate,
                        tariff.vat_rate,
                        tariff.name,
                    )
                )
    for number, box_stays in stays.items():
        container = facts.get(number)
        customer = _payer(container)
        size = 40 if container is not None and container.size_type.is_forty else 20
        full = container.full if container is not None else True
        for stay in box_stays:
            leaves = min(stay.departed or end - timedelta(seconds=1), end - timedelta(seconds=1))
            for stored in storage_days(book, size, full, customer, stay.arrived, leaves):
                if stored.rate:
                    vat_rate = book.storage(size, full, customer, stored.day)[1].vat_rate
                    lines.append(
                        _line(
                            f"storage:{number}:{stay.arrival_id}:{stored.day}",
                            number,
                            customer,
                            f"storage_{size}_{'full' if full else 'empty'}",
                            stored.day,
                            stored.rate,
                            vat_rate,
                            stored.tariff,
                        )
                    )
    return lines


def _payer(container: Container | None) -> str:
    return container.operator if container is not None and container.operator else UNASSIGNED


def _line(
    key: str,
    box: str,
    customer: str,
    kind: str,
    day: date,
    rate: Decimal,
    vat_rate: Decimal,
    tariff: str,
) -> ChargeLine:
    amount = cny(rate)
    return ChargeLine(key, box, customer, kind, day, rate, amount, cny(amount * vat_rate), tariff)


__all__ = ["UNASSIGNED", "ChargeLine", "LoggedEvent", "charges", "move_kind"]
