"""Crane control: the platform's side of the equipment bus.

It dispatches the open crane jobs over the cranes that are in service, sends each crane its
next order when it is free, and turns what the cranes report into bus commands: a lift
puts the box on the spreader, a set-down puts it in place, a fault or a lost connection
fails the crane's job and re-dispatches the jobs it had not started to the cranes that can
reach them. A job whose box is on a faulted crane's spreader stays with that crane.

It reads jobs and boxes through units of work and writes only through the bus, and talks
to the cranes through an ``EquipmentLink`` (MQTT, or controllers in process).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from hubport.domain.crane_jobs import ABOARD, CraneJob, JobState
from hubport.domain.crane_motion import Point, move_times
from hubport.domain.errors import EquipmentMessageRejected, HubportError
from hubport.domain.places import Place, Spreader, TruckSlot, WagonSlot, YardSlot, parse_place
from hubport.domain.site import TIER_HEIGHT_M, TRUCK_BED_M, WAGON_DECK_M, Site
from hubport.planning import cranes as crane_rules
from hubport.planning.dispatch import CraneAvailability, CraneWork, Rail, dispatch
from hubport.services import crane_commands as jobs
from hubport.services.crane_handlers import TO_CHOOSE
from hubport.services.messagebus import MessageBus

log = logging.getLogger(__name__)

#: Weight of a truck's job against a train's in the dispatcher's objective.
TRUCK_WEIGHT = 5.0
#: How far a crane may work into each neighbour's home stretch.
SHARED_M = 60.0
#: An order goes out when the plan has it start within this many seconds.
START_SLACK_S = 20.0


class EquipmentLink(Protocol):
    """Sends a message to a crane's controller (topic name and payload)."""

    def send(self, crane: str, name: str, payload: dict[str, Any]) -> None: ...


@dataclass
class CraneStatus:
    """What the platform knows of a crane from its reports."""

    crane: str
    mode: str = "automatic"
    online: bool = True
    position_m: float = 0.0
    load: str | None = None
    last_report: str | None = None
    alarms: list[str] = field(default_factory=list)

    @property
    def in_service(self) -> bool:
        return self.online and self.mode == "automatic"


class CraneControl:
    """Dispatches and follows the crane jobs of one site."""

    def __init__(
        self,
        bus: MessageBus,
        site: Site,
        link: EquipmentLink,
        message: Callable[..., dict[str, Any]],
        dispatch_seconds: float = 0.3,
    ):
        self.bus, self.site, self.link = bus, site, link
        self._message = message
        self.dispatch_seconds = dispatch_seconds
        self.status = {
            crane.id: CraneStatus(crane.id, position_m=crane.home_m)
            for crane in site.cranes_along_rail
        }
        self.rejected = 0
        self.replans = 0

    # -- where things are ---------------------------------------------------------------

    def point(self, place: Place, track_of: Callable[[str], str | None]) -> Point:
        """Where the spreader stands to pick a box at, or set one on, ``place``."""
        site = self.site
        along = crane_rules.place_x(site, place, track_of)
        if isinstance(place, YardSlot):
            block = site.block(place.block)
            return Point(site.slot_x(place), block.across_of(place.row), place.tier * TIER_HEIGHT_M)
        if isinstance(place, WagonSlot):
            track = track_of(place.train)
            across = site.tracks[track].across_m if track is not None else 3.0
            return Point(along or 0.0, across, WAGON_DECK_M + TIER_HEIGHT_M)
        if isinstance(place, TruckSlot):
            lane = next(iter(site.lanes.values()))
            return Point(
                along if along is not None else lane.rail_start_m,
                lane.across_m,
                TRUCK_BED_M + TIER_HEIGHT_M,
            )
        if isinstance(place, Spreader):
            status = self.status[place.crane]
            return Point(status.position_m, 0.0, site.travel_height_m)
        raise HubportError(f"no crane works at {place}")

    # -- dispatch -----------------------------------------------------------------------

    def replan(self, now: datetime) -> dict[str, list[str]]:
        """Dispatch the open jobs and send every free crane its next order."""
        self.replans += 1
        with self.bus.uow_factory() as uow:
            open_jobs = uow.crane_jobs.open_jobs()
            inventory = uow.inventory
            inventory.prefetch(job.number for job in open_jobs)

            def track_of(train_id: str) -> str | None:
                train = inventory.find_train(train_id)
                return train.track if train is not None else None

            busy = {
                j.crane
                for j in open_jobs
                if j.state in (JobState.SENT, JobState.PICKING, JobState.LIFTED, JobState.PLACING)
                or (j.state is JobState.FAILED and j.box_aboard)
            }
            waiting = [
                j
                for j in open_jobs
                if j.state in (JobState.PLANNED, JobState.ASSIGNED)
                or (j.state is JobState.FAILED and not j.box_aboard)
            ]
            work, points = [], {}
            for job in waiting:
                origin = parse_place(job.origin)
                pick = self.point(origin, track_of)
                if job.destination != TO_CHOOSE:
                    place = self.point(parse_place(job.destination), track_of)
                else:
                    place = Point(pick.along_m, pick.across_m, TIER_HEIGHT_M * 2)
                points[job.id] = (pick, place)
                work.append(self._work(job, pick, place, now))
        cranes = [
            CraneAvailability(s.crane, s.position_m, 0.0, s.in_service, self._stretch(s.crane))
            for s in self.status.values()
        ]
        # jobs no crane in service can reach wait for a crane to come back
        work = [
            w
            for w in work
            if any(
                c.in_service
                and c.reach[0] <= min(w.pick_m, w.place_m)
                and max(w.pick_m, w.place_m) <= c.reach[1]
                for c in cranes
            )
        ]
        if not work:
            return {}
        kind = self.site.cranes_along_rail[0].kind
        rail = Rail(
            self.site.safety_gap_m,
            kind.gantry.speed_empty_mps,
            kind.gantry.speed_empty_mps / kind.gantry.acceleration_mps2,
        )
        try:
            plan = dispatch(work, cranes, rail, self.dispatch_seconds)
        except HubportError as error:
            log.warning("dispatch failed: %s", error)
            return {}
        queues: dict[str, list[str]] = {}
        job_x = {w.job: w.pick_m for w in work}
        by_id = {job.id: job for job in waiting}
        for crane, queue in plan.queues.items():
            queues[crane] = [p.job for p in queue]
            for rank, planned in enumerate(queue):
                job = by_id[planned.job]
                if job.crane != crane or job.state is not JobState.ASSIGNED:
                    self.bus.handle(jobs.AssignCraneJob(job.id, crane, note="dispatch"))
                position = self.status[crane].position_m
                approach = abs(job_x[planned.job] - position) / rail.gantry_speed_mps
                starts_now = planned.start_s - approach <= START_SLACK_S
                if rank == 0 and starts_now and crane not in busy and self.status[crane].in_service:
                    self._send(job.id, crane, now)
                    busy.add(crane)
        return queues

    def _stretch(self, crane_id: str) -> tuple[float, float]:
        """Where the dispatcher lets a crane work: its home stretch and ``SHARED_M`` into
        each neighbour's, within its rail reach; wider where a neighbour is out of service,
        so that its work can be taken over."""
        along = self.site.cranes_along_rail
        index = [c.id for c in along].index(crane_id)
        crane = along[index]
        low, high = crane.zone_start_m - SHARED_M, crane.zone_end_m + SHARED_M
        if index > 0 and not self.status[along[index - 1].id].in_service:
            low = along[index - 1].zone_start_m
        if index + 1 < len(along) and not self.status[along[index + 1].id].in_service:
            high = along[index + 1].zone_end_m
        reach = crane_rules.rail_reach(self.site, crane)
        return (max(low, reach[0]), min(high, reach[1]))

    def _work(self, job: CraneJob, pick: Point, place: Point, now: datetime) -> CraneWork:
        kind = self.site.crane(job.crane).kind if job.crane else self.site.cranes_along_rail[0].kind
        flat = Point(pick.along_m, place.across_m, place.height_m)
        handling = move_times(
            kind,
            Point(pick.along_m, pick.across_m, self.site.travel_height_m),
            pick,
            flat,
            self.site.travel_height_m,
        ).total
        due = (job.due - now).total_seconds() if job.due is not None else None
        truck = job.destination.startswith("truck:") or job.origin.startswith("truck:")
        return CraneWork(
            job.id,
            pick.along_m,
            place.along_m,
            handling,
            due_s=due,
            weight=TRUCK_WEIGHT if truck else 1.0,
            after=(),
        )

    def _send(self, job_id: str, crane: str, now: datetime) -> None:
        result = self.bus.handle(jobs.SendCraneJob(job_id, crane)).result
        order = self._order(job_id, crane, result["box"], result["from"], result["to"], now)
        self.link.send(crane, "order", order)

    def _order(
        self, job_id: str, crane: str, box: str, origin: str, destination: str, now: datetime
    ) -> dict[str, Any]:
        """The order message of a job: the box, and where the spreader picks and places."""
        with self.bus.uow_factory() as uow:
            inventory = uow.inventory

            def track_of(train_id: str) -> str | None:
                train = inventory.find_train(train_id)
                return train.track if train is not None else None

            pick = self.point(parse_place(origin), track_of)
            place = self.point(parse_place(destination), track_of)
        return self._message(
            crane,
            now,
            orderId=job_id,
            container=box,
            pick={
                "along_m": pick.along_m,
                "across_m": pick.across_m,
                "height_m": pick.height_m,
                "place": origin,
            },
            place={
                "along_m": place.along_m,
                "across_m": place.across_m,
                "height_m": place.height_m,
                "place": destination,
            },
        )

    # -- what the cranes report ---------------------------------------------------------

    def receive(self, crane: str, name: str, payload: dict[str, Any], now: datetime) -> bool:
        """Apply a checked message from a crane; True when the plan must be redone."""
        status = self.status.get(crane)
        if status is None or payload.get("crane") != crane:
            self.rejected += 1
            raise EquipmentMessageRejected(f"message from unknown crane {crane!r}")
        key = f"equipment:{crane}:{payload['messageId']}"
        at = now  # the platform's clock: the log's times never run backwards
        status.last_report = payload["timestamp"]
        if name == "state":
            status.mode = payload["mode"]
            status.position_m = float(payload["position"]["gantry_m"])
            status.load = payload.get("load")
            return self._reconcile(crane, payload, now)
        if name == "connection":
            online = payload["connectionState"] == "ONLINE"
            changed = online != status.online
            status.online = online
            if not online:
                self._fail_open(crane, "lost connection: " + payload["connectionState"], key)
            else:
                self._resend(crane, now)
            return bool(changed)
        if name != "events":
            return False
        kind, order = payload["type"], payload.get("orderId")
        if kind in ("picking", "picked", "placing", "placed") and order:
            state = {
                "picking": "picking",
                "picked": "lifted",
                "placing": "placing",
                "placed": "done",
            }[kind]
            outcome = self.bus.handle(
                jobs.ReportCraneJob(order, crane, state, at, idempotency_key=key)
            )
            if outcome.result.get("alarm"):
                status.alarms.append(outcome.result["refused"])
            return bool(kind == "placed")
        if kind == "fault":
            status.mode = "fault"
            self._fail_open(crane, payload.get("detail", "fault"), key)
            return True
        if kind == "cleared":
            status.mode = "automatic"
            with self.bus.uow_factory() as uow:
                mine = [
                    j
                    for j in uow.crane_jobs.open_jobs(crane)
                    if j.state is JobState.FAILED and j.box_aboard
                ]
            for job in mine:
                self.bus.handle(
                    jobs.ClearCraneJob(job.id, crane, idempotency_key=f"{key}:{job.id}")
                )
            return True
        return False

    def _reconcile(self, crane: str, payload: dict[str, Any], now: datetime) -> bool:
        """Catch up from a state message with events that were lost on the way: orders the
        crane lists as completed, and the box it says hangs from its spreader."""
        with self.bus.uow_factory() as uow:
            mine = {j.id: j for j in uow.crane_jobs.open_jobs(crane)}
        caught_up = False
        for order in payload.get("completed") or []:
            job = mine.get(order)
            if job is not None and job.state in (JobState.SENT, JobState.PICKING, *ABOARD):
                key = f"equipment:{crane}:completed:{order}"
                self.bus.handle(jobs.ReportCraneJob(order, crane, "done", now, idempotency_key=key))
                caught_up = True
        current = mine.get(payload.get("orderId") or "")
        if (
            current is not None
            and payload.get("load") == current.number
            and current.state in (JobState.SENT, JobState.PICKING)
        ):
            key = f"equipment:{crane}:aboard:{current.id}"
            self.bus.handle(
                jobs.ReportCraneJob(current.id, crane, "lifted", now, idempotency_key=key)
            )
        return caught_up

    def _resend(self, crane: str, now: datetime) -> None:
        """A crane back on the bus gets its sent orders again (it drops ones it knows)."""
        with self.bus.uow_factory() as uow:
            sent = [j for j in uow.crane_jobs.open_jobs(crane) if j.state is JobState.SENT]
        for job in sent:
            self.link.send(
                crane,
                "order",
                self._order(job.id, crane, job.number, job.origin, job.destination, now),
            )

    def _fail_open(self, crane: str, reason: str, key: str) -> None:
        """Fail the crane's started jobs; those it had not lifted go back to dispatch."""
        with self.bus.uow_factory() as uow:
            mine = [
                j
                for j in uow.crane_jobs.open_jobs(crane)
                if j.state in (JobState.SENT, JobState.PICKING) or j.state in ABOARD
            ]
        for job in mine:
            self.bus.handle(
                jobs.FailCraneJob(job.id, crane, reason, idempotency_key=f"{key}:{job.id}")
            )
            if job.state not in ABOARD:
                # it goes to another crane: this one must not resume it when cleared
                cancel = self._message(
                    crane,
                    datetime.fromisoformat(
                        self.status[crane].last_report or "2000-01-01T00:00:00+00:00"
                    ),
                    action="cancelOrder",
                    orderId=job.id,
                )
                self.link.send(crane, "instantActions", cancel)


__all__ = ["CraneControl", "CraneStatus", "EquipmentLink"]
