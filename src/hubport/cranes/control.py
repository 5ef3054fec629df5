"""Crane control: the platform's side of the equipment bus.

It dispatches the open crane jobs over the cranes that are in service, sends each crane its
next order when the plan has it start, and turns what the cranes report into bus commands:
a lift puts the box on the spreader, a set-down puts it in place, a fault or a lost
connection fails the crane's job and re-dispatches the jobs it had not lifted to the cranes
that can reach them. A job whose box is on a faulted crane's spreader stays with that crane.

It writes only through the bus and keeps the open jobs as the commands' results describe
them (``load`` fills that view when the platform starts; ``refresh`` takes the store's
open jobs again, so that jobs other writers planned join it). Its keys are made from each
job's stored version, so given the same reports it issues the same commands under the
same keys: a runtime, or a simulated day, killed half-way carries on without conflict.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hubport.cranes import window as crane_window
from hubport.cranes.backlog import Backlog
from hubport.cranes.jobs import IN_HAND, WAITING, OpenJob
from hubport.cranes.points import job_points
from hubport.cranes.reports import CraneReports, CraneStatus, EquipmentLink
from hubport.cranes.view import FinishedJob, JobView
from hubport.domain.crane_jobs import TO_CHOOSE, JobState
from hubport.domain.crane_motion import Point
from hubport.domain.errors import HubportError
from hubport.domain.site import Site
from hubport.planning.dispatch import CraneAvailability, CraneWork, Rail, dispatch
from hubport.planning.stacking import NoFreeSlot
from hubport.services import crane_commands as jobs
from hubport.services.commands import Command
from hubport.services.messagebus import HubBus

log = logging.getLogger(__name__)

#: An order goes out when the plan has it start within this many seconds.
START_SLACK_S = 20.0
#: Schedules the dispatcher tries per plan (a budget, not a time: plans reproduce).
DISPATCH_EVALUATIONS = 60
#: How far from the planned place an open destination is chosen (else anywhere in reach).
PLACE_NEAR_M = 30.0
#: Jobs each crane's plan looks ahead at: the most urgent in its reach.
WINDOW_PER_CRANE = 4

TrackOf = Callable[[str], str | None]


class CraneControl(JobView, CraneReports):
    """Dispatches and follows the crane jobs of one site."""

    def __init__(
        self,
        bus: HubBus,
        site: Site,
        link: EquipmentLink,
        message: Callable[..., dict[str, Any]],
        track_of: TrackOf,
        evaluations: int = DISPATCH_EVALUATIONS,
    ):
        self.bus, self.site, self.link = bus, site, link
        self._message = message
        self.track_of = track_of
        self.evaluations = evaluations
        self.status = {
            crane.id: CraneStatus(crane.id, position_m=crane.home_m)
            for crane in site.cranes_along_rail
        }
        #: The open jobs, as the last command about each answered.
        self.jobs: dict[str, OpenJob] = {}
        self._sent_at: dict[str, datetime] = {}
        self.finished: list[FinishedJob] = []
        self.replans = 0
        #: Keys that came back with other content, reconciled with the hub's state.
        self.reconciled = 0
        self._caught_up: set[tuple[str, str, str]] = set()
        self._missing: dict[tuple[str, str], datetime] = {}
        self._alarmed: set[tuple[str, tuple[str, ...]]] = set()
        self.done_count = 0
        #: Jobs whose set-down found no room in reach, with ``done_count`` then: each
        #: waits, out of the plan, until a move has ended since (it may have made room).
        self._no_room: dict[str, int] = {}
        #: The waiting jobs as the dispatcher sees them, kept from plan to plan.
        self.backlog = Backlog(site, track_of, self._points)

    # -- the view of the open jobs (cranes/view.py) --------------------------------------

    def resend(self, now: datetime) -> int:
        """Send every crane its orders in hand again, under their own ids (a runtime that
        starts after another stopped: a crane drops an order it knows). How many."""
        sent = 0
        for crane, status in self.status.items():
            if status.online:
                for job in self.mine(crane, JobState.SENT):
                    self.link.send(crane, "order", self._order(job, crane, now))
                    sent += 1
        return sent

    def plan(self, command: Command, now: datetime) -> dict[str, Any]:
        """Plan a job (and the relocations before it), or a train's work (``DischargeTrain``,
        ``LoadTrain``): the command's result, whose ``jobs`` the view now holds."""
        return self._handle(command, now)

    # -- where things are ---------------------------------------------------------------

    def _points(self, job: OpenJob) -> tuple[Point, Point]:
        return job_points(self.site, job, self.track_of, self._quietest_home)

    def _quietest_home(self) -> float:
        """The home of the crane with least work waiting: where a truck with a box for the
        yard is sent to queue."""
        load = {c: len(self.mine(c, *IN_HAND, *WAITING)) for c in self.status}
        crane = min(self.site.cranes_along_rail, key=lambda c: (load[c.id], c.id))
        return crane.home_m

    # -- dispatch -----------------------------------------------------------------------

    def replan(self, now: datetime) -> dict[str, list[str]]:
        """Dispatch the waiting jobs and send every free crane its next order."""
        self.replans += 1
        busy = {j.crane for j in self.jobs.values() if j.in_hand and j.crane is not None}
        busy |= {
            j.crane
            for j in self.jobs.values()
            if j.state is JobState.FAILED and j.box_aboard and j.crane is not None
        }
        waiting = [
            j
            for j in self.jobs.values()
            if (j.waiting or (j.state is JobState.FAILED and not j.box_aboard))
            and not self._waits_for_room(j.id)
        ]
        stopped = self._stopped()
        cranes = [
            CraneAvailability(
                s.crane,
                s.position_m,
                0.0,
                s.in_service,
                crane_window.stretch(self.site, self._in_service(), s.crane, stopped),
            )
            for s in self.status.values()
        ]
        candidates = []
        blockers = crane_window.Blockers(self.jobs)
        for job in self.jobs.values():
            if job.in_hand and job.crane is not None and self.status[job.crane].in_service:
                # sent already: first on its crane, and its stretch kept clear until done
                candidates.append(((float("-inf"), 0), self._under_way(job, now)))
        in_service = self._in_service()
        self.backlog.keep_only(self.jobs.keys())
        for order, job in enumerate(waiting):
            if blockers.hold(job):
                continue
            pick, place, haul = self.backlog.item(job, cranes, in_service, stopped, now)
            if not self._reachable(job, pick, place, stopped, now):
                continue  # it waits for the crane back, an alarm raised
            urgency = (haul.due_s if haul.due_s is not None else float("inf"), order)
            candidates.append((urgency, haul))
        candidates.sort(key=lambda pair: pair[0])
        # the window: each crane in service its most urgent jobs within reach; a job no
        # crane in service can reach waits for a crane to come back
        chosen: set[str] = set()
        for available in cranes:
            if not available.in_service:
                continue
            low, high = available.reach
            mine = [
                item.job
                for _, item in candidates
                if low <= min(item.pick_m, item.place_m) and max(item.pick_m, item.place_m) <= high
            ]
            chosen.update(mine[:WINDOW_PER_CRANE])
        chosen.update(item.job for _, item in candidates if item.pinned is not None)
        work = [item for _, item in candidates if item.job in chosen]
        if not work:
            return {}
        kind = self.site.cranes_along_rail[0].kind
        rail = Rail(
            self.site.safety_gap_m,
            kind.gantry.speed_empty_mps,
            kind.gantry.speed_empty_mps / kind.gantry.acceleration_mps2,
        )
        try:
            plan = dispatch(work, cranes, rail, evaluations=self.evaluations)
        except HubportError as error:
            log.warning("dispatch failed: %s", error)
            return {}
        queues: dict[str, list[str]] = {}
        later: list[tuple[str, str]] = []
        # what the cranes at work, or stopped, cross or block until they are done
        sweeps = {
            c: self._sweep(c) for c, s in self.status.items() if c in busy or not s.in_service
        }
        for item in work:
            if item.under_way and item.pinned is not None:
                sweeps[item.pinned] = self._sweep(item.pinned, item.pick_m, item.place_m)
        job_x = {w.job: w.pick_m for w in work}
        place_x = {w.job: w.place_m for w in work}
        for crane, queue in plan.queues.items():
            queues[crane] = [p.job for p in queue]
            for rank, planned in enumerate(queue):
                found = self.jobs.get(planned.job)
                if found is None:
                    continue  # gone from the view since the plan (the hub's state taken again)
                job = found
                if job.in_hand:
                    continue
                if job.crane != crane or job.state is not JobState.ASSIGNED:
                    self._handle(
                        jobs.AssignCraneJob(
                            job.id,
                            crane,
                            note="dispatch",
                            idempotency_key=self._key(job.id, "assign"),
                        ),
                        now,
                    )
                    if planned.job not in self.jobs:
                        continue  # the hub had it otherwise (cancelled meanwhile): forgotten
                if rank or crane in busy or not self.status[crane].in_service:
                    continue
                position = self.status[crane].position_m
                approach = abs(job_x[planned.job] - position) / rail.gantry_speed_mps
                sweep = self._sweep(crane, job_x[planned.job], place_x[planned.job])
                if not crane_window.fits_room(self.site, crane, sweep, sweeps):
                    continue  # a crane at work holds part of its way: it waits for that one
                if planned.start_s - approach <= START_SLACK_S:
                    if self._send(planned.job, crane, now, place_x[planned.job], sweeps):
                        busy.add(crane)
                        sweeps[crane] = self._sweep(
                            crane, job_x[planned.job], self._set_down(planned.job)
                        )
                else:
                    later.append((crane, planned.job))
        # a crane whose job waits only for idle cranes to move off its way goes now: they
        # give way as it comes (else they would stand there, and it would wait, for ever)
        for crane, job_id in later:
            sweep = self._sweep(crane, job_x[job_id], place_x[job_id])
            if crane_window.fits_room(self.site, crane, sweep, sweeps) and self._send(
                job_id, crane, now, place_x[job_id], sweeps
            ):
                busy.add(crane)
                sweeps[crane] = self._sweep(crane, job_x[job_id], self._set_down(job_id))
        return queues

    def _waits_for_room(self, job_id: str) -> bool:
        """The job's set-down found no room in reach, and no move has ended since."""
        refused = self._no_room.get(job_id)
        if refused is None:
            return False
        if refused == self.done_count and job_id in self.jobs:
            return True
        del self._no_room[job_id]
        return False

    def _stopped(self) -> dict[str, float]:
        """Where the cranes out of service stand on the rail: no other passes them."""
        return {c: s.position_m for c, s in self.status.items() if not s.in_service}

    def _reachable(
        self, job: OpenJob, pick: Point, place: Point, stopped: dict[str, float], now: datetime
    ) -> bool:
        """Whether a crane in service can reach the job; if not, an alarm, once per job
        and set of stopped cranes (a person must decide: wait for the crane, or not)."""
        ends = (pick.along_m,) if job.destination is None else (pick.along_m, place.along_m)
        if not stopped or crane_window.reachable(self.site, self._in_service(), stopped, *ends):
            return True
        seen = (job.id, tuple(sorted(stopped)))
        if seen not in self._alarmed:
            self._alarmed.add(seen)
            problem = (
                f"no crane in service can reach {job.box.value} ({job.reason}, "
                f"{job.origin} at {pick.along_m:.0f} m): {', '.join(sorted(stopped))} "
                "stopped on the rail"
            )
            crane = job.crane if job.crane is not None else min(stopped)
            key = f"{job.id}:unreachable:{'+'.join(sorted(stopped))}:v{job.version}"
            self._handle(jobs.RaiseCraneAlarm(crane, job.id, problem, idempotency_key=key), now)
        return False

    def _set_down(self, job_id: str) -> float:
        """Where a sent job sets its box down (its destination is fixed once sent)."""
        return self._points(self.jobs[job_id])[1].along_m

    def _in_service(self) -> dict[str, bool]:
        return {crane: status.in_service for crane, status in self.status.items()}

    def _sweep(self, crane: str, *xs: float) -> tuple[float, float]:
        """The stretch of rail a crane crosses from where it stands through ``xs``."""
        position = self.status[crane].position_m
        return (min((position, *xs)), max((position, *xs)))

    def _under_way(self, job: OpenJob, now: datetime) -> CraneWork:
        """A job in hand as the dispatcher sees it: pinned to its crane, and from where the
        crane is once the box is aboard."""
        pick, place = self._points(job)
        item = crane_window.work_of(self.site, job, pick, place, now)
        crane = job.crane or ""
        if job.box_aboard:
            at = self.status[crane].position_m
            item = dataclasses.replace(item, pick_m=at, handling_s=item.handling_s / 2)
        return dataclasses.replace(item, pinned=crane, under_way=True)

    def _send(
        self,
        job_id: str,
        crane: str,
        now: datetime,
        around: float,
        sweeps: dict[str, tuple[float, float]],
    ) -> bool:
        """Send a job; a destination still open is chosen near where the plan put it
        (``around``), so that the move keeps to the stretch the plan kept free, and off
        the stretches the other cranes are working. False when the hub had the job
        otherwise (cancelled, or sent by another decision): nothing went to the crane."""
        if job_id not in self.jobs:
            return False  # forgotten since the plan: the hub had it otherwise
        stopped = self._stopped()
        low, high = crane_window.stretch(self.site, self._in_service(), crane, stopped)
        # a long haul or a relay may end beyond the crane's stretch, as far as its rail
        whole = crane_window.free_reach(self.site, crane, stopped)
        room = crane_window.room(self.site, crane, sweeps)
        low = max(whole[0], room[0], min(low, around - PLACE_NEAR_M))
        high = min(whole[1], room[1], max(high, around + PLACE_NEAR_M))
        reach = (max(low, around - PLACE_NEAR_M), min(high, around + PLACE_NEAR_M))
        send = jobs.SendCraneJob(
            job_id, crane, reach, (low, high), idempotency_key=self._key(job_id, "send")
        )
        try:
            self._handle(send, now)
        except NoFreeSlot as full:
            self._wait_for_room(self.jobs[job_id], crane, full, now)
            return False
        sent = self.jobs.get(job_id)
        if sent is None or sent.crane != crane or sent.state is not JobState.SENT:
            return False  # reconciled: the hub has the job otherwise
        self._sent_at[job_id] = now
        self.link.send(crane, "order", self._order(sent, crane, now))
        return True

    def _wait_for_room(self, job: OpenJob, crane: str, full: NoFreeSlot, now: datetime) -> None:
        """A set-down with no free legal slot in reach: the job waits out of the plan
        until a move has ended (one may have made room), so the other cranes go on with
        their work; the first time, an alarm tells the operator the yard there is full."""
        self._no_room[job.id] = self.done_count
        seen = (job.id, ("no room",))
        if seen in self._alarmed:
            return
        self._alarmed.add(seen)
        log.warning("%s waits for room: %s", job.id, full)
        problem = f"{job.box.value} ({job.reason}) waits for room to set it down: {full}"
        key = f"{job.id}:no-room:v{job.version}"
        self._handle(jobs.RaiseCraneAlarm(crane, job.id, problem, idempotency_key=key), now)

    def _order(self, job: OpenJob, crane: str, now: datetime) -> dict[str, Any]:
        """The order message of a job: the box, and where the spreader picks and places."""
        pick, place = self._points(job)
        return self._message(
            crane,
            now,
            orderId=job.id,
            container=job.box.value,
            pick={
                "along_m": pick.along_m,
                "across_m": pick.across_m,
                "height_m": pick.height_m,
                "place": str(job.origin),
            },
            place={
                "along_m": place.along_m,
                "across_m": place.across_m,
                "height_m": place.height_m,
                "place": str(job.destination) if job.destination is not None else TO_CHOOSE,
            },
        )


__all__ = ["CraneControl", "CraneStatus", "EquipmentLink", "FinishedJob"]
