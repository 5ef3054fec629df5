"""The runtime's lease in the store: a row per site, taken and renewed by conditional
updates, so that on SQLite and PostgreSQL alike two runtimes never both hold it.

Taking the lease is one ``UPDATE ... WHERE holder = me OR expires_at < now``: the store
serialises the two standbys that try at once, and only one sees its row changed. A
renewal names the epoch it holds; a leader whose lease another took finds nothing to
renew and learns it has lost it.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hubport.adapters import tables, tables_access
from hubport.adapters.times import utc, utc_or_none
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.lease import Holder, Lease, RuntimeStatus

_TABLE = tables_access.runtime_lease


def _status_json(status: RuntimeStatus) -> str:
    data = dataclasses.asdict(status)
    data["last_tick"] = status.last_tick.isoformat() if status.last_tick else None
    return json.dumps(data, sort_keys=True)


def _status(text: str) -> RuntimeStatus:
    data: dict[str, Any] = json.loads(text)
    known = {f.name for f in dataclasses.fields(RuntimeStatus)}
    values = {key: value for key, value in data.items() if key in known}
    for key in ("cranes",):
        values[key] = tuple(tuple(pair) for pair in values.get(key, ()))
    for key in ("trains_discharging", "trains_loading", "alarms"):
        values[key] = tuple(values.get(key, ()))
    tick = values.get("last_tick")
    values["last_tick"] = datetime.fromisoformat(tick) if tick else None
    return RuntimeStatus(**values)


def _lease(row: Any) -> Lease:
    return Lease(
        site=row.site,
        holder=Holder(row.holder, row.host, row.pid),
        epoch=row.epoch,
        acquired_at=utc(row.acquired_at),
        renewed_at=utc(row.renewed_at),
        expires_at=utc(row.expires_at),
        hub_time=utc(row.hub_time),
        speed=row.speed,
        status=_status(row.status),
    )


class SqlLeaseStore:
    """Takes, renews, gives up and reads the lease of one site."""

    def __init__(self, engine: Engine, site: str):
        self.engine, self.site = engine, site

    def read(self) -> Lease | None:
        # a read takes no write lock (on SQLite a deferred transaction): the hub clock is
        # read from here inside commands that may hold the write lock themselves
        with self.engine.connect() as connection:
            reading = connection.execution_options(optimistic=True)
            row = reading.execute(select(_TABLE).where(_TABLE.c.site == self.site)).first()
            connection.rollback()
        return None if row is None else _lease(row)

    def last_event_time(self) -> datetime | None:
        """The latest hub time the event log holds (where a scaled clock resumes)."""
        with self.engine.connect() as connection:
            reading = connection.execution_options(optimistic=True)
            latest = reading.execute(select(func.max(tables.events.c.occurred_at))).scalar()
            connection.rollback()
        if latest is not None and latest.tzinfo is None:
            # SQLite keeps events' times as the hub's local time, without the zone
            latest = latest.replace(tzinfo=HUB_TIME)
        return utc_or_none(latest)

    def hub_time_known(self) -> datetime | None:
        """The latest hub time the store knows: the newest event's, or the runtime's at
        its last heartbeat (what "now" is for a check run beside a stopped hub)."""
        lease = self.read()
        known = [t for t in (self.last_event_time(), lease.hub_time if lease else None) if t]
        return max(known) if known else None

    def take(
        self,
        holder: Holder,
        wall: datetime,
        ttl: timedelta,
        hub_time: datetime,
        speed: float | None,
    ) -> Lease | None:
        """Take the lease when it is free or already ours; the lease, or None when another
        runtime holds it."""
        wall, hub_time = utc(wall), utc(hub_time)  # SQLite keeps no zone: UTC throughout
        values = {
            "holder": holder.id,
            "host": holder.host,
            "pid": holder.pid,
            "renewed_at": wall,
            "expires_at": wall + ttl,
            "hub_time": hub_time,
            "speed": speed,
            "status": _status_json(RuntimeStatus()),
        }
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(_TABLE)
                .where(
                    _TABLE.c.site == self.site,
                    (_TABLE.c.holder == holder.id) | (_TABLE.c.expires_at < wall),
                )
                .values(**values, epoch=_TABLE.c.epoch + 1, acquired_at=wall)
            ).rowcount
        if changed == 0:
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        insert(_TABLE).values(site=self.site, epoch=1, acquired_at=wall, **values)
                    )
            except IntegrityError:
                return None  # the row is there and held by another runtime
        lease = self.read()
        return lease if lease is not None and lease.holder.id == holder.id else None

    def renew(
        self,
        lease: Lease,
        wall: datetime,
        ttl: timedelta,
        hub_time: datetime,
        status: RuntimeStatus,
    ) -> Lease | None:
        """Renew a lease this runtime holds; None when it was lost to another."""
        wall, hub_time = utc(wall), utc(hub_time)
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(_TABLE)
                .where(
                    _TABLE.c.site == self.site,
                    _TABLE.c.holder == lease.holder.id,
                    _TABLE.c.epoch == lease.epoch,
                )
                .values(
                    renewed_at=wall,
                    expires_at=wall + ttl,
                    hub_time=hub_time,
                    status=_status_json(status),
                )
            ).rowcount
        if changed == 0:
            return None
        return dataclasses.replace(
            lease, renewed_at=wall, expires_at=wall + ttl, hub_time=hub_time, status=status
        )

    def give_up(self, lease: Lease, wall: datetime, hub_time: datetime) -> None:
        """End the lease now (a clean stop), so that a standby takes over at once."""
        wall, hub_time = utc(wall), utc(hub_time)
        with self.engine.begin() as connection:
            connection.execute(
                update(_TABLE)
                .where(
                    _TABLE.c.site == self.site,
                    _TABLE.c.holder == lease.holder.id,
                    _TABLE.c.epoch == lease.epoch,
                )
                .values(renewed_at=wall, expires_at=wall, hub_time=hub_time)
            )


__all__ = ["SqlLeaseStore"]
