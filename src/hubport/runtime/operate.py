"""The operating loop of ``hubport operate``: wait for the lease, then run the hub.

While it holds the lease the runtime, many times a second: takes what the cranes
reported (the equipment bus), applies it through the bus, dispatches and sends the next
orders; every ``react_every_s`` it takes the open crane jobs as the store has them (jobs
that the gate or the API planned) and runs its duties (``reactions``); every
``renew_every_s`` it renews the lease with its heartbeat; every ``edi_every_s`` it takes
the files waiting in the partner folders.

Every decision is a command committed before it is acted on (a job is ``sent`` in the
store before its order goes out), and every command's key is made from what caused it,
so a runtime killed at any moment and started again, or a standby taking over, carries
on: orders in hand are sent again under their own ids (a crane drops one it knows), and
nothing is planned twice. A runtime that cannot renew its lease stops acting at once.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from hubport.adapters.edi.folders import scan
from hubport.adapters.equipment.mqtt import PlatformLink
from hubport.adapters.runtime_lease import SqlLeaseStore
from hubport.bootstrap import Hub
from hubport.cranes.control import EquipmentLink, FinishedJob
from hubport.cranes.floor import CraneFloor
from hubport.domain.errors import HubportError
from hubport.domain.lease import Holder, Lease, LeaseLost, RuntimeStatus
from hubport.runtime.clock import RuntimeClock, SteppedClock, wall_now
from hubport.runtime.identity import this_process
from hubport.runtime.options import RuntimeOptions
from hubport.runtime.reactions import Reactions
from hubport.runtime.reports import DepartureReports
from hubport.services.clock import ManualClock
from hubport.services.edi_gateway import Gateway

log = logging.getLogger(__name__)

#: The longest step of the virtual cranes (hub seconds), as the simulated day steps them.
VIRTUAL_STEP_S = 2.0
#: A lag of the virtual cranes behind the hub clock worth a warning (hub seconds).
LAG_WARNING_S = 600.0
#: Stepped by a driver, the duties' cadence is in hub seconds: ``react_every_s`` and
#: ``edi_every_s`` times this (0.5 s: every minute of hub time, as live at ×120).
HUB_PACE = 120.0


class _Counted:
    """The equipment link, counting the orders that go out."""

    def __init__(self, link: EquipmentLink, runtime: Runtime):
        self.link, self.runtime = link, runtime

    def send(self, crane: str, name: str, payload: dict[str, Any]) -> None:
        self.link.send(crane, name, payload)
        if name == "order":
            self.runtime.orders_sent += 1


class Runtime:
    """One runtime process: a standby until it holds the lease, then the hub's leader."""

    def __init__(
        self,
        hub: Hub,
        clock: RuntimeClock | SteppedClock,
        options: RuntimeOptions,
        holder: Holder | None = None,
        stop: threading.Event | None = None,
    ):
        self.hub, self.clock, self.options = hub, clock, options
        self.holder = holder or this_process()
        self.stop = stop or threading.Event()
        self.leases = SqlLeaseStore(hub.engine, hub.site.code)
        self.lease: Lease | None = None
        self.reactions = Reactions.of(hub, options.load_plan_s)
        self.gateway: Gateway = hub.edi_gateway()
        self.floor: CraneFloor | None = None
        self.moves = self.orders_sent = 0
        self.edi_received = self.edi_rejected = self.edi_sent = 0
        self.reports = (
            None
            if options.edi_root is None
            else DepartureReports(hub.queries, hub.edi_outbox(), options.edi_root, options.railway)
        )
        self._started_once = False
        self._store_down = False
        self._lagging = False
        #: Told of the crane jobs seen done (the demo's day log).
        self.on_finished: Callable[[list[FinishedJob]], None] | None = None
        self._last = {"renew": -math.inf, "react": -math.inf, "edi": -math.inf}
        self._previous = clock.now()
        self._origin_of_steps = clock.now()

    # -- the lease --------------------------------------------------------------------

    def wait_for_lease(self) -> Lease | None:
        """Wait as a standby until the lease is ours (None: told to stop first)."""
        ttl = timedelta(seconds=self.options.lease_ttl_s)
        announced = False
        while not self.stop.is_set():
            wall = wall_now()
            previous = self.leases.read()
            origin = self._origin(previous, wall)
            lease = self.leases.take(self.holder, wall, ttl, origin, self.clock.speed)
            if lease is not None:
                if self.clock.scaled:
                    self.clock.restart_at(origin)
                self._started_once = True
                return lease
            if not announced and previous is not None:
                log.warning(
                    "standby: runtime %s (pid %s on %s) holds the lease",
                    previous.holder.id,
                    previous.holder.pid,
                    previous.holder.host,
                )
                announced = True
            self.stop.wait(min(1.0, self.options.lease_ttl_s / 4))
        return None

    def _origin(self, previous: Lease | None, wall: datetime) -> datetime:
        """Where the hub clock runs on from: ``--start`` the first time it is given, else
        the last hub time on record (the leader's clock, or the latest event)."""
        if not self.clock.scaled:
            return wall
        if self.options.start is not None and not self._started_once:
            return self.options.start
        candidates = [self.clock.now()] if self._started_once else []
        if previous is not None:
            candidates.append(previous.hub_time_at(wall))
        latest = self.leases.last_event_time()
        if latest is not None:
            candidates.append(latest)
        return max(candidates) if candidates else self.clock.now()

    def _renew(self) -> None:
        if self.lease is None:
            raise LeaseLost("no lease held")
        ttl = timedelta(seconds=self.options.lease_ttl_s)
        renewed = self.leases.renew(self.lease, wall_now(), ttl, self.clock.now(), self.status())
        if renewed is None:
            raise LeaseLost(f"runtime {self.holder.id} lost the lease to another runtime")
        self.lease = renewed

    def _still_leader(self) -> None:
        """Act only on a lease that is still ours for a while (else renew it first)."""
        if self.lease is None:
            raise LeaseLost("no lease held")
        margin = timedelta(seconds=self.options.lease_ttl_s / 2)
        if wall_now() + margin >= self.lease.expires_at:
            self._renew()

    # -- status -----------------------------------------------------------------------

    def status(self) -> RuntimeStatus:
        floor = self.floor
        if floor is None:
            return RuntimeStatus(last_tick=self.clock.now())
        control = floor.control
        jobs = list(control.jobs.values())
        cranes = tuple(
            (crane, s.mode if s.online else "offline") for crane, s in control.status.items()
        )
        return RuntimeStatus(
            last_tick=self.clock.now(),
            jobs_in_flight=sum(job.in_hand for job in jobs),
            jobs_waiting=sum(not job.in_hand for job in jobs),
            cranes=cranes,
            cranes_connected=sum(s.online for s in control.status.values()),
            moves=self.moves,
            orders_sent=self.orders_sent,
            reactions=self.reactions.commands,
            bus_retries=self.hub.bus.retries,
            edi_received=self.edi_received,
            edi_sent=self.edi_sent,
            edi_rejected=self.edi_rejected,
            trains_discharging=tuple(self.reactions.discharging),
            trains_loading=tuple(self.reactions.loading),
            alarms=tuple(self.reactions.alarms),
        )

    # -- running ----------------------------------------------------------------------

    def run(self, seconds: float | None = None) -> None:
        """Lead whenever the lease is ours, until stopped (or ``seconds`` of wall time)."""
        if seconds is not None:
            threading.Timer(seconds, self.stop.set).start()
        while not self.stop.is_set():
            lease = self.wait_for_lease()
            if lease is None:
                return
            self.lease = lease
            log.warning(
                "runtime %s leads site %s (epoch %d) at hub time %s",
                self.holder.id,
                lease.site,
                lease.epoch,
                self.clock.now().isoformat(timespec="seconds"),
            )
            try:
                self._lead()
            except LeaseLost as error:
                log.error("%s: back to standby", error)
            finally:
                self._stop_equipment()
        if self.lease is not None:
            try:
                self.leases.give_up(self.lease, wall_now(), self.clock.now())
            except Exception:  # the store is gone: the lease runs out by itself
                log.exception("could not give up the lease")

    def _start_floor(self) -> CraneFloor:
        now = self.clock.now()
        link = None
        if self.options.equipment == "mqtt":
            link = PlatformLink(
                self.options.mqtt_url,
                self.hub.site.code,
                client_id=f"hubport-runtime-{self.hub.site.code}",
            )
            link.start()
        self.reactions.look()  # the trains on their tracks, before the first plan
        floor = CraneFloor(
            self.hub.bus,
            self.hub.site,
            ManualClock(now),
            step_s=0.0,
            equipment=link,
            track_of=self.reactions.tracks.get,
        )
        if link is not None:
            # a crane counts once it says it is on the bus (its retained connection)
            for status in floor.control.status.values():
                status.online = False
        floor.control.link = _Counted(floor.control.link, self)
        floor.control.load()
        self.floor = floor
        if link is None:
            floor.control.resend(now)
        return floor

    def _stop_equipment(self) -> None:
        floor, self.floor = self.floor, None
        if floor is not None and isinstance(floor.equipment, PlatformLink):
            floor.equipment.stop()

    def _lead(self) -> None:
        floor = self._start_floor()
        self._previous = self.clock.now()
        while not self.stop.is_set():
            self._cycle(floor, self.clock.now(), time.monotonic())
            self.stop.wait(self.options.tick_s)

    def _cycle(self, floor: CraneFloor, now: datetime, pace: float) -> None:
        """One turn of the loop at hub time ``now``: renew the lease when due (on the wall
        clock, as its expiry is), run the duties and read the EDI folders when due (on
        ``pace``: wall seconds live, scaled hub seconds when stepped), and move the
        floor on to ``now``."""
        wall = time.monotonic()
        if wall - self._last["renew"] >= self.options.renew_every_s or self._store_down:
            try:
                self._renew()
                self._store_down = False
            except SQLAlchemyError as error:
                # the store is away: act on nothing until it answers (the lease runs
                # out meanwhile, and a standby may take it: then this one stands down)
                log.error("runtime: the store does not answer: %s", error)
                self._store_down = True
                self.stop.wait(1.0)
                return
            self._last["renew"] = wall
        self._still_leader()
        if pace - self._last["react"] >= self.options.react_every_s:
            self._last["react"] = pace
            self._react(floor, now)
        try:
            self._previous = self._tick(floor, self._previous, now)
        except SQLAlchemyError as error:
            log.error("runtime: the store refused a write: %s", error)
            self._store_down = True
            return
        if pace - self._last["edi"] >= self.options.edi_every_s:
            self._last["edi"] = pace
            self._edi()

    # -- stepped by a driver (the world and the runtime in one process) -----------------

    def take_lead(self) -> None:
        """Lead, for a driver that steps the clock (``hubport demo``). A lease left by a
        runtime that died runs out first (within its time to live); one that another
        runtime keeps renewing is refused."""
        ttl = timedelta(seconds=self.options.lease_ttl_s)
        deadline = time.monotonic() + 2 * self.options.lease_ttl_s + 1.0
        while True:
            wall = wall_now()
            previous = self.leases.read()
            origin = self._origin(previous, wall)
            lease = self.leases.take(self.holder, wall, ttl, origin, 0.0)
            if lease is not None:
                break
            if time.monotonic() > deadline or previous is None:
                who = "another runtime" if previous is None else f"runtime {previous.holder.id}"
                raise HubportError(f"{who} leads site {self.hub.site.code}: stop it first")
            log.warning("waiting for the lease of %s to run out", previous.holder.id)
            time.sleep(min(1.0, self.options.lease_ttl_s / 4))
        self.clock.restart_at(origin)
        self._started_once = True
        self.lease = lease
        self.floor = self._start_floor()
        self._previous = self._origin_of_steps = self.clock.now()

    def advance(self, now: datetime) -> None:
        """The runtime's turn at hub time ``now`` (after ``take_lead``): duties and EDI on
        the hub clock, every ``react_every_s`` × ``HUB_PACE`` hub seconds."""
        if self.floor is None:
            raise LeaseLost("the runtime does not lead: take_lead first")
        pace = (now - self._origin_of_steps).total_seconds() / HUB_PACE
        self._cycle(self.floor, now, pace)

    def step_lag(self, now: datetime) -> float:
        """Hub seconds the cranes still have to catch up to ``now``."""
        return (now - self._previous).total_seconds()

    def release(self) -> None:
        """Stop leading: give up the lease (a stepped runtime at its end)."""
        self._stop_equipment()
        if self.lease is not None:
            self.leases.give_up(self.lease, wall_now(), self.clock.now())
            self.lease = None

    def _tick(self, floor: CraneFloor, previous: datetime, now: datetime) -> datetime:
        """Move the floor on from ``previous`` to ``now``: virtual cranes in steps of at
        most ``VIRTUAL_STEP_S`` (their kinematics and interlocks want short steps), the
        cranes on the bus in one (they keep their own time). Where it got to."""
        step = timedelta(seconds=VIRTUAL_STEP_S) if floor.controllers else None
        moment = previous
        limit = self.options.step_budget_s
        budget = None if limit is None else time.monotonic() + limit
        while moment < now and (budget is None or time.monotonic() < budget):
            # idle virtual cranes need no short steps: on to ``now`` at once
            idle = step is None or not floor.busy
            target = now if idle or step is None else min(now, moment + step)
            floor.step_s = (target - moment).total_seconds()
            floor.clock.set(max(floor.clock.now(), target))
            try:
                floor.tick(target, replan_every_s=15.0)
            except HubportError as error:
                log.warning("runtime: a crane message was refused: %s", error)
            moment = target
        finished, floor.control.finished = floor.control.finished, []
        self.moves += len(finished)
        if self.on_finished is not None and finished:
            self.on_finished(finished)
        lag = (now - moment).total_seconds()
        if lag > LAG_WARNING_S and not self._lagging:
            log.warning("runtime: the virtual cranes lag the hub clock by %.0f s", lag)
        self._lagging = lag > LAG_WARNING_S
        return moment

    def _react(self, floor: CraneFloor, now: datetime) -> None:
        try:
            self.reactions.run(now)
            new = floor.control.refresh()
        except HubportError as error:
            log.warning("runtime: a duty failed: %s", error)
            return
        if new:
            floor.since_plan = float("inf")  # plan at once

    def _edi(self) -> None:
        root = self.options.edi_root
        if root is None:
            return
        try:
            receipts = scan(self.gateway.receive_from_folder, root)
        except (HubportError, OSError) as error:
            log.warning("runtime: EDI folders: %s", error)
            return
        self.edi_received += len(receipts)
        self.edi_rejected += sum(r.status == "quarantined" for r in receipts)
        try:
            sent = self.reports.send(self.clock.now()) if self.reports is not None else []
        except (HubportError, OSError) as error:
            log.warning("runtime: EDI reports: %s", error)
            return
        self.edi_sent += len(sent)


__all__ = ["Runtime", "RuntimeOptions", "this_process"]
