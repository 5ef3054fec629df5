"""The runtime's lease: one active runtime per site, the others hot standbys.

The leader renews the lease every few seconds; a lease not renewed by ``expires_at`` is
free, and a standby takes it with the next ``epoch``. The lease also carries the
leader's heartbeat: the hub time at its last renewal and the clock's speed (so that
other processes tell the hub time without asking it), and what it is doing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hubport.domain.errors import HubportError


class LeaseLost(HubportError):
    """Another runtime holds the lease now: this one must stop acting."""


@dataclass(frozen=True)
class Holder:
    """One runtime process: its host and pid, and a nonce (a pid may come back)."""

    id: str
    host: str
    pid: int


@dataclass(frozen=True)
class RuntimeStatus:
    """What the leader reports with every renewal (``GET /api/runtime``, ``/metrics``)."""

    last_tick: datetime | None = None
    jobs_in_flight: int = 0
    jobs_waiting: int = 0
    cranes: tuple[tuple[str, str], ...] = ()
    cranes_connected: int = 0
    moves: int = 0
    orders_sent: int = 0
    reactions: int = 0
    bus_retries: int = 0
    edi_received: int = 0
    edi_rejected: int = 0
    edi_sent: int = 0
    trains_discharging: tuple[str, ...] = ()
    trains_loading: tuple[str, ...] = ()
    alarms: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Lease:
    """The lease row as last written."""

    site: str
    holder: Holder
    epoch: int
    acquired_at: datetime
    renewed_at: datetime
    expires_at: datetime
    hub_time: datetime
    speed: float | None
    status: RuntimeStatus

    def valid(self, wall: datetime) -> bool:
        return wall < self.expires_at

    def hub_time_at(self, wall: datetime) -> datetime:
        """The hub time at wall-clock ``wall``: the leader's clock carried on from its last
        renewal, and stopped where the lease ran out (no leader: time stands still)."""
        if self.speed is None:
            return wall
        until = min(wall, self.expires_at)
        elapsed = max(0.0, (until - self.renewed_at).total_seconds())
        return self.hub_time + timedelta(seconds=elapsed * self.speed)


__all__ = ["Holder", "Lease", "LeaseLost", "RuntimeStatus"]
