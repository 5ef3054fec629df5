"""The runtime's health (``GET /api/runtime``) and the figures operators graph
(``GET /metrics``, Prometheus' text format), both read from the lease's heartbeat and the
store, so that any API process answers for the runtime wherever it runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from hubport.bootstrap import Hub
from hubport.domain.access import User
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.lease import Lease
from hubport.entrypoints.api.errors import ERROR_RESPONSES
from hubport.entrypoints.api.security import HUB_USERS, allow

router = APIRouter(responses=ERROR_RESPONSES)
WATCHERS = tuple(role for role in HUB_USERS if role != "shipper")


def runtime_view(lease: Lease | None, wall: datetime) -> dict[str, Any]:
    """The runtime as ``GET /api/runtime`` answers it."""
    if lease is None:
        return {"leader": None, "active": False, "hub_time": None}
    status = lease.status
    active = lease.valid(wall)
    return {
        "leader": {
            "holder": lease.holder.id,
            "host": lease.holder.host,
            "pid": lease.holder.pid,
            "epoch": lease.epoch,
            "since": lease.acquired_at.isoformat(),
            "renewed_at": lease.renewed_at.isoformat(),
            "expires_at": lease.expires_at.isoformat(),
        }
        if active
        else None,
        "active": active,
        "last_leader": {"host": lease.holder.host, "pid": lease.holder.pid},
        "hub_time": lease.hub_time_at(wall).astimezone(HUB_TIME).isoformat(),
        "speed": lease.speed,
        "last_tick": status.last_tick.isoformat() if status.last_tick else None,
        "jobs_in_flight": status.jobs_in_flight,
        "jobs_waiting": status.jobs_waiting,
        "cranes": dict(status.cranes),
        "cranes_connected": status.cranes_connected,
        "moves": status.moves,
        "orders_sent": status.orders_sent,
        "reactions": status.reactions,
        "bus_retries": status.bus_retries,
        "edi": {
            "received": status.edi_received,
            "rejected": status.edi_rejected,
            "sent": status.edi_sent,
        },
        "trains_discharging": list(status.trains_discharging),
        "trains_loading": list(status.trains_loading),
        "alarms": list(status.alarms),
    }


@router.get("/api/runtime", tags=["hub"])
def runtime(request: Request, user: Annotated[User, Depends(allow(*WATCHERS))]) -> dict[str, Any]:
    """Which runtime leads (its host and pid), the hub time, its last tick, the jobs in
    flight and the cranes connected; ``leader`` is null while no runtime holds the lease."""
    hub: Hub = request.app.state.hub
    return runtime_view(hub.queries.runtime_lease(hub.site.code), datetime.now(UTC))


class HubCollector(Collector):
    """The figures of one scrape, read when Prometheus asks."""

    def __init__(self, hub: Hub):
        self.hub = hub

    def collect(self) -> Iterator[Metric]:
        queries, wall = self.hub.queries, datetime.now(UTC)
        lease = queries.runtime_lease(self.hub.site.code)
        leader = GaugeMetricFamily(
            "hubport_runtime_leader", "1 while a runtime holds the lease", labels=["host", "pid"]
        )
        if lease is not None and lease.valid(wall):
            leader.add_metric([lease.holder.host, str(lease.holder.pid)], 1.0)
        yield leader
        if lease is not None:
            status = lease.status
            yield GaugeMetricFamily(
                "hubport_hub_time_seconds",
                "the hub clock, as Unix time",
                value=lease.hub_time_at(wall).timestamp(),
            )
            yield GaugeMetricFamily(
                "hubport_runtime_heartbeat_age_seconds",
                "wall seconds since the runtime's last renewal",
                value=(wall - lease.renewed_at).total_seconds(),
            )
            for name, help_text, value in (
                ("hubport_crane_moves", "crane moves done by the leading runtime", status.moves),
                ("hubport_crane_orders_sent", "orders sent to the cranes", status.orders_sent),
                ("hubport_runtime_reactions", "commands the duties issued", status.reactions),
                ("hubport_bus_retries", "commands run again after a race", status.bus_retries),
            ):
                yield CounterMetricFamily(name, help_text, value=value)
            yield GaugeMetricFamily(
                "hubport_cranes_connected", "cranes on the bus", value=status.cranes_connected
            )
            crane_state = GaugeMetricFamily(
                "hubport_crane_state", "1 for each crane's state", labels=["crane", "state"]
            )
            for crane, state in status.cranes:
                crane_state.add_metric([crane, state], 1.0)
            yield crane_state
        jobs = GaugeMetricFamily(
            "hubport_crane_jobs_open", "open crane jobs by state (queues)", labels=["state"]
        )
        for state, count in sorted(queries.open_jobs_by_state().items()):
            jobs.add_metric([state], float(count))
        yield jobs
        trains = GaugeMetricFamily(
            "hubport_train_boxes_on_wagons",
            "boxes on the wagons of each train on its track",
            labels=["train", "direction"],
        )
        for record in queries.trains("on_site"):
            count = len(queries.boxes_on_wagons(record.train.id))
            trains.add_metric([record.train.id, record.train.direction], float(count))
        yield trains
        edi = CounterMetricFamily(
            "hubport_edi_interchanges",
            "EDI interchanges received and sent, by status",
            labels=["direction", "status"],
        )
        for (direction, status_text), count in sorted(queries.edi_counts().items()):
            edi.add_metric([direction, status_text], float(count))
        yield edi


@router.get("/metrics", tags=["hub"], include_in_schema=False)
def metrics(request: Request) -> Response:
    """The hub's figures in Prometheus' text format (no box numbers, no parties)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HubCollector(request.app.state.hub))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


__all__ = ["router", "runtime_view"]
