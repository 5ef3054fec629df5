"""The futures unit of work on the hub's store: a delivery's events appended under its
next numbers (a concurrent writer of the same delivery is refused and retried by the
bus), the list row, the slot and its track reservation, the tally document and the
inbox row, in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Self

from sqlalchemy import Connection, Engine, insert, select, update

from hubport.adapters import tables as hub_tables
from hubport.adapters.times import utc
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.events import train_from_data
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.track_reservations import UNKNOWN_STAY
from hubport.futures.adapters import tables
from hubport.futures.domain.delivery import FINAL, Delivery
from hubport.futures.domain.errors import DeliveryNotFound
from hubport.futures.domain.events import DeliveryEvent, SlotBooked
from hubport.futures.domain.site import DeliverySite
from hubport.futures.domain.slots import BookedSlot, TrackUse
from hubport.futures.services.unit_of_work import FuturesUnitOfWork
from hubport.services.sql_unit_of_work import commit_command, stored_result
from hubport.services.unit_of_work import Cause, StoredResult


class SqlFuturesUnitOfWork(FuturesUnitOfWork):
    def __init__(self, engine: Engine, site: DeliverySite):
        super().__init__(site)
        self.engine = engine
        self._connection: Connection | None = None
        self._stored: dict[str, int] = {}

    def __enter__(self) -> Self:
        super().__enter__()
        connection = self.engine.connect()
        if connection.dialect.name == "sqlite" and not self.exclusive:
            connection = connection.execution_options(optimistic=True)
        self._connection = connection
        self._stored = {}
        connection.begin()
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._connection

    # -- reads ----------------------------------------------------------------------------

    def _load(self, delivery_id: str) -> Delivery:
        events = read_delivery_events(self.connection, delivery_id)
        if not events:
            raise DeliveryNotFound(f"no delivery {delivery_id!r}")
        self._stored[delivery_id] = len(events)
        return Delivery.replay(delivery_id, self.site.rules, events)

    def _exists(self, delivery_id: str) -> bool:
        table = tables.futures_deliveries
        found = self.connection.execute(select(table.c.id).where(table.c.id == delivery_id))
        return found.first() is not None

    def open_deliveries(self, until: datetime) -> Iterable[str]:
        table = tables.futures_deliveries
        query = (
            select(table.c.id)
            .where(table.c.deadline_at.is_not(None), table.c.deadline_at <= utc(until))
            .order_by(table.c.deadline_at)
        )
        return [row.id for row in self.connection.execute(query)]

    def booked_on(self, day: date) -> list[BookedSlot]:
        table = tables.futures_slots
        query = select(table).where(
            table.c.site == self.site.code, table.c.day == day, table.c.active.is_(True)
        )
        return [
            BookedSlot(
                row.delivery,
                row.track,
                row.spot,
                utc(row.start_at),
                utc(row.end_at),
                Decimal(row.volume_m3),
            )
            for row in self.connection.execute(query)
        ]

    def trains_on(self, track: str, start: datetime, end: datetime) -> list[TrackUse]:
        table = hub_tables.trains
        query = select(table.c.id, table.c.visit, table.c.arrived_at).where(
            table.c.track == track, table.c.state == "on_site"
        )
        uses = []
        for row in self.connection.execute(query):
            # SQLite gives a carrier's times back as written, in hub time, without the zone
            arrived = (
                start
                if row.arrived_at is None
                else row.arrived_at.replace(tzinfo=row.arrived_at.tzinfo or HUB_TIME)
            )
            departs = train_from_data(json.loads(row.visit)).departs
            leaves = max(departs, arrived) if departs is not None else arrived + UNKNOWN_STAY
            uses.append(TrackUse(row.id, track, arrived, leaves))
        return uses

    def find_result(self, idempotency_key: str) -> StoredResult | None:
        return stored_result(self.connection, idempotency_key)

    def commit(self, cause: Cause) -> None:
        commit_command(self.connection, cause, self._write, self.rollback)
        for delivery in self.touched.values():
            delivery.pending.clear()

    def _write(self, connection: Connection, cause: Cause, now: datetime) -> None:
        for delivery in self.touched.values():
            if delivery.pending:
                self._save(connection, delivery, cause, now)
        for received in self.tallies:
            connection.execute(
                insert(tables.futures_tallies).values(
                    delivery=received.delivery,
                    sha256=received.sha256,
                    pieces=len(received.tally.pieces),
                    volume_m3=str(received.tally.volume_m3),
                    document=received.document,
                    received_at=now,
                )
            )

    def _save(
        self, connection: Connection, delivery: Delivery, cause: Cause, now: datetime
    ) -> None:
        stored = self._stored.get(delivery.id, 0)
        state = delivery.state
        waiting = delivery.open_deadline()
        row = {
            "state": state.value,
            "deadline": None if waiting is None else waiting[0],
            "deadline_at": None if waiting is None else utc(waiting[1]),
            "events": len(delivery.events),
            "updated_at": now,
        }
        table = tables.futures_deliveries
        if stored == 0:
            match = delivery.match
            connection.execute(
                insert(table).values(
                    id=delivery.id,
                    site=self.site.code,
                    contract=match.contract,
                    lots=match.lots,
                    volume_m3=str(match.volume_m3),
                    buyer=match.buyer,
                    seller=match.seller,
                    matched_on=match.matched_on,
                    settlement_day=match.settlement_day,
                    **row,
                )
            )
        else:
            changed = connection.execute(
                update(table)
                .where(table.c.id == delivery.id, table.c.events == stored)
                .values(**row)
            )
            if changed.rowcount != 1:
                raise ConcurrentUpdate(f"delivery {delivery.id} changed meanwhile")
        author = cause.author or (None, None, None)
        connection.execute(
            insert(tables.futures_events),
            [
                {
                    "delivery": delivery.id,
                    "seq": stored + index,
                    "event_type": type(event).__name__,
                    "payload": json.dumps(event.to_payload(), ensure_ascii=False),
                    "occurred_at": utc(event.at),
                    "recorded_at": now,
                    "command": cause.command,
                    "idempotency_key": cause.idempotency_key,
                    "author": author[0],
                    "author_role": author[1],
                    "channel": author[2],
                }
                for index, event in enumerate(delivery.pending, start=1)
            ],
        )
        for event in delivery.pending:
            if isinstance(event, SlotBooked):
                self._book(connection, delivery.id, event)
        if state in FINAL:
            self._release(connection, delivery.id)

    def _book(self, connection: Connection, delivery_id: str, slot: SlotBooked) -> None:
        self._release(connection, delivery_id)
        slots = tables.futures_slots
        connection.execute(slots.delete().where(slots.c.delivery == delivery_id))
        connection.execute(
            insert(slots).values(
                delivery=delivery_id,
                site=self.site.code,
                track=slot.track,
                spot=slot.spot,
                day=slot.start.astimezone(HUB_TIME).date(),
                start_at=utc(slot.start),
                end_at=utc(slot.end),
                volume_m3=str(slot.volume_m3),
                active=True,
            )
        )
        if slot.track in self.site.shared_tracks:
            connection.execute(
                insert(hub_tables.track_reservations).values(
                    track=slot.track,
                    start_at=utc(slot.start),
                    end_at=utc(slot.end),
                    holder=f"futures delivery {delivery_id}",
                    active=True,
                )
            )

    def _release(self, connection: Connection, delivery_id: str) -> None:
        slots = tables.futures_slots
        connection.execute(
            update(slots).where(slots.c.delivery == delivery_id).values(active=False)
        )
        reservations = hub_tables.track_reservations
        connection.execute(
            update(reservations)
            .where(reservations.c.holder == f"futures delivery {delivery_id}")
            .values(active=False)
        )

    def rollback(self) -> None:
        if self._connection is not None:
            self._connection.rollback()
            self._connection.close()
            self._connection = None


def read_delivery_events(connection: Connection, delivery_id: str) -> list[DeliveryEvent]:
    """A delivery's events in the order they happened."""
    table = tables.futures_events
    query = (
        select(table.c.event_type, table.c.payload)
        .where(table.c.delivery == delivery_id)
        .order_by(table.c.seq)
    )
    return [
        DeliveryEvent.from_payload(row.event_type, json.loads(row.payload))
        for row in connection.execute(query)
    ]


__all__ = ["SqlFuturesUnitOfWork", "read_delivery_events"]
