"""The read side of the river port: vessel calls with their bay plans, load lists and the
boxes aboard, and the shuttles between the port and the rail station.

Part of the one query module: ``Queries`` takes these questions on.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, select

from hubport.adapters import tables
from hubport.adapters.store_source import truck_record, vessel_record
from hubport.domain.records import ShuttleTrip, VesselRecord
from hubport.services.river_handlers import call_summary


class RiverQueries:
    """Vessel calls and shuttles; the store connection comes from ``_reading``."""

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def vessel_calls(self, include_departed: bool = False, limit: int = 50) -> list[dict[str, Any]]:
        """The calls by berth window, the soonest first (departed ones on request)."""
        table = tables.vessel_calls
        query = select(table).order_by(table.c.eta, table.c.id).limit(limit)
        if not include_departed:
            query = query.where(table.c.state != "departed")
        with self._reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [call_summary(vessel_record(row)) for row in rows]

    def vessel_call(self, call_id: str) -> dict[str, Any] | None:
        """One call, with the boxes aboard now and where each stands."""
        table, containers = tables.vessel_calls, tables.containers
        with self._reading() as connection:
            row = connection.execute(select(table).where(table.c.id == call_id)).mappings().first()
            if row is None:
                return None
            aboard = connection.execute(
                select(containers.c.number, containers.c.place)
                .where(containers.c.carrier == f"vessel:{call_id}")
                .order_by(containers.c.place)
            ).all()
        summary = call_summary(vessel_record(row), [number for number, _ in aboard])
        summary["cells"] = {number: place for number, place in aboard}
        return summary

    def shuttle_trips(self) -> list[ShuttleTrip]:
        """The shuttle trucks on their trips now: where each started and is, and what it
        carries."""
        table, containers = tables.trucks, tables.containers
        with self._reading() as connection:
            rows = connection.execute(
                select(table)
                .where(table.c.state == "on_site", table.c.shuttle.is_(True))
                .order_by(table.c.id)
            ).mappings()
            records = [truck_record(row) for row in rows]
            carriers = [f"truck:{record.truck.id}" for record in records]
            aboard: dict[str, list[str]] = {carrier: [] for carrier in carriers}
            if carriers:
                for number, carrier in connection.execute(
                    select(containers.c.number, containers.c.carrier).where(
                        containers.c.carrier.in_(carriers)
                    )
                ):
                    aboard[carrier].append(number)
        return [
            ShuttleTrip(
                record.truck.id,
                record.truck.starts_at,
                record.location,
                record.bound_for,
                tuple(sorted(aboard[carrier])),
            )
            for record, carrier in zip(records, carriers, strict=True)
        ]

    def shuttles(self) -> list[dict[str, Any]]:
        """The shuttle trips now, as the API answers them."""
        return [
            {
                "shuttle": trip.visit,
                "starts_at": trip.starts_at,
                "location": trip.location,
                "bound_for": trip.bound_for,
                "boxes": list(trip.boxes),
            }
            for trip in self.shuttle_trips()
        ]

    def berthed_calls(self) -> list[tuple[VesselRecord, tuple[str, ...]]]:
        """The vessel calls alongside now, each with the boxes aboard it."""
        table, containers = tables.vessel_calls, tables.containers
        with self._reading() as connection:
            rows = connection.execute(
                select(table).where(table.c.state == "on_site").order_by(table.c.eta)
            ).mappings()
            found = []
            for row in rows:
                record = vessel_record(row)
                aboard = connection.execute(
                    select(containers.c.number).where(
                        containers.c.carrier == f"vessel:{record.call.id}"
                    )
                ).scalars()
                found.append((record, tuple(sorted(aboard))))
        return found


__all__ = ["RiverQueries"]
