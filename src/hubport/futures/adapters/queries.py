"""The futures read side: lists, a delivery's record, the day's slots, alarms and the
daily report, read straight from the store (no bus, no lock)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from hubport.adapters.times import utc, utc_or_none
from hubport.futures.adapters import tables
from hubport.futures.adapters.sql_unit_of_work import read_delivery_events
from hubport.futures.domain.delivery import FINAL, Delivery
from hubport.futures.domain.errors import DeliveryNotFound
from hubport.futures.domain.events import Inspected
from hubport.futures.domain.report import DailyReport, daily_report, day_end
from hubport.futures.domain.site import DeliverySite


@dataclass(frozen=True)
class DeliveryRow:
    id: str
    contract: str
    lots: int
    volume_m3: Decimal
    buyer: str
    seller: str
    matched_on: date
    settlement_day: date
    state: str
    deadline: str | None
    deadline_at: datetime | None


@dataclass(frozen=True)
class SlotRow:
    delivery: str
    track: str
    spot: str
    start: datetime
    end: datetime
    volume_m3: Decimal
    active: bool


@dataclass(frozen=True)
class LoggedStep:
    """One event of a delivery with who caused it."""

    seq: int
    kind: str
    at: datetime
    payload: dict[str, Any]
    author: str | None
    role: str | None
    channel: str | None


@dataclass(frozen=True)
class Alarm:
    delivery: str
    deadline: str
    due: datetime
    overdue: bool


#: A delivery runs about three weeks from match to settlement: a day's report looks back
#: this far for the deliveries that may still be live.
REPORT_LOOK_BACK = timedelta(days=60)


class FuturesQueries:
    def __init__(self, engine: Engine, site: DeliverySite):
        self.engine = engine
        self.site = site

    def deliveries(self, state: str | None = None, party: str | None = None) -> list[DeliveryRow]:
        """The deliveries, newest settlement first; a member's own only with ``party``."""
        table = tables.futures_deliveries
        query = select(table).order_by(table.c.settlement_day.desc(), table.c.id)
        if state is not None:
            query = query.where(table.c.state == state)
        if party is not None:
            query = query.where((table.c.buyer == party) | (table.c.seller == party))
        with self.engine.connect() as connection:
            return [_delivery_row(row) for row in connection.execute(query)]

    def delivery(self, delivery_id: str) -> Delivery:
        with self.engine.connect() as connection:
            events = read_delivery_events(connection, delivery_id)
        if not events:
            raise DeliveryNotFound(f"no delivery {delivery_id!r}")
        return Delivery.replay(delivery_id, self.site.rules, events)

    def steps(self, delivery_id: str) -> list[LoggedStep]:
        table = tables.futures_events
        query = select(table).where(table.c.delivery == delivery_id).order_by(table.c.seq)
        with self.engine.connect() as connection:
            return [
                LoggedStep(
                    row.seq,
                    row.event_type,
                    utc(row.occurred_at),
                    json.loads(row.payload),
                    row.author,
                    row.author_role,
                    row.channel,
                )
                for row in connection.execute(query)
            ]

    def slots(self, day: date) -> list[SlotRow]:
        table = tables.futures_slots
        query = (
            select(table)
            .where(table.c.site == self.site.code, table.c.day == day)
            .order_by(table.c.track, table.c.spot, table.c.start_at)
        )
        with self.engine.connect() as connection:
            return [
                SlotRow(
                    row.delivery,
                    row.track,
                    row.spot,
                    utc(row.start_at),
                    utc(row.end_at),
                    Decimal(row.volume_m3),
                    bool(row.active),
                )
                for row in connection.execute(query)
            ]

    def alarms(self, now: datetime) -> list[Alarm]:
        """Open deadlines within the alarm time, or past."""
        table = tables.futures_deliveries
        query = (
            select(table.c.id, table.c.deadline, table.c.deadline_at)
            .where(
                table.c.deadline_at.is_not(None),
                table.c.deadline_at <= utc(now + self.site.rules.alarm_before),
            )
            .order_by(table.c.deadline_at)
        )
        with self.engine.connect() as connection:
            return [
                Alarm(row.id, row.deadline, utc(row.deadline_at), utc(row.deadline_at) < now)
                for row in connection.execute(query)
            ]

    def audit(self) -> tuple[int, list[str]]:
        """How many deliveries, and what of their records disagrees with their events."""
        with self.engine.connect() as connection:
            return _audit(connection, self.site)

    def daily_report(self, day: date) -> DailyReport:
        """The report of hub day ``day`` (deliveries matched by its end, not closed before)."""
        table = tables.futures_deliveries
        query = select(table.c.id).where(
            table.c.matched_on <= day, table.c.matched_on >= day - REPORT_LOOK_BACK
        )
        with self.engine.connect() as connection:
            ids = [row.id for row in connection.execute(query)]
            deliveries = [
                Delivery.replay(i, self.site.rules, read_delivery_events(connection, i))
                for i in ids
            ]
        return daily_report(self.site.code, day, deliveries, self.site.fees.total)


def _audit(connection: Any, site: DeliverySite) -> tuple[int, list[str]]:
    """Every delivery's row, slot and tallies against the fold of its events."""
    problems: list[str] = []
    deliveries = tables.futures_deliveries
    events = tables.futures_events
    rows = list(connection.execute(select(deliveries)))
    slots = {row.delivery: row for row in connection.execute(select(tables.futures_slots))}
    tallied = {
        (row.delivery, row.sha256)
        for row in connection.execute(
            select(tables.futures_tallies.c.delivery, tables.futures_tallies.c.sha256)
        )
    }
    for row in rows:
        seqs = [
            r.seq
            for r in connection.execute(
                select(events.c.seq).where(events.c.delivery == row.id).order_by(events.c.seq)
            )
        ]
        if seqs != list(range(1, len(seqs) + 1)) or len(seqs) != row.events:
            problems.append(f"delivery {row.id}: {row.events} events listed, log has {seqs}")
            continue
        delivery = Delivery.replay(row.id, site.rules, read_delivery_events(connection, row.id))
        if delivery.state.value != row.state:
            problems.append(
                f"delivery {row.id}: listed {row.state}, its events say {delivery.state.value}"
            )
        slot = slots.get(row.id)
        if slot is not None and bool(slot.active) == (delivery.state in FINAL):
            problems.append(f"delivery {row.id}: slot active={slot.active} while {row.state}")
        if (booking := delivery.booking) is not None and slot is None:
            problems.append(f"delivery {row.id}: booked {booking.track}/{booking.spot}, no slot")
        for event in delivery.events:
            if isinstance(event, Inspected) and (row.id, event.tally_sha256) not in tallied:
                problems.append(f"delivery {row.id}: tally {event.tally_sha256[:12]} not kept")
    return len(rows), problems


def _delivery_row(row: Any) -> DeliveryRow:
    return DeliveryRow(
        row.id,
        row.contract,
        row.lots,
        Decimal(row.volume_m3),
        row.buyer,
        row.seller,
        row.matched_on,
        row.settlement_day,
        row.state,
        row.deadline,
        utc_or_none(row.deadline_at),
    )


__all__ = ["Alarm", "DeliveryRow", "FuturesQueries", "LoggedStep", "SlotRow", "day_end"]
