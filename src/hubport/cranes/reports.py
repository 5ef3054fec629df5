"""Crane control's ear: what the cranes report over the equipment bus, turned into bus
commands. A lift puts the box on the spreader, a set-down puts it in place, a state
message catches up on reports lost on the way, a fault or a lost connection fails the
crane's started jobs (those it had not lifted go back to dispatch), a crane back on the
bus gets its orders again. Keys are made from the crane's message ids, so a report
received twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from hubport.cranes.jobs import IN_HAND, OpenJob
from hubport.domain.crane_jobs import JobState
from hubport.domain.errors import EquipmentMessageRejected
from hubport.services import crane_commands as jobs
from hubport.services.commands import Command

#: A job the crane's state messages leave out for this many hub seconds is forgotten.
FORGOTTEN_AFTER_S = 300.0


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


class CraneReports:
    """The report side of ``CraneControl`` (which holds the state named here)."""

    status: dict[str, CraneStatus]
    jobs: dict[str, OpenJob]
    link: EquipmentLink
    _message: Callable[..., dict[str, Any]]
    _caught_up: set[tuple[str, str, str]]
    _missing: dict[tuple[str, str], datetime]

    def _handle(self, command: Command, now: datetime) -> dict[str, Any]:
        raise NotImplementedError

    def mine(self, crane: str, *states: JobState) -> list[OpenJob]:
        raise NotImplementedError

    def _order(self, job: OpenJob, crane: str, now: datetime) -> dict[str, Any]:
        raise NotImplementedError

    def receive(self, crane: str, name: str, payload: dict[str, Any], now: datetime) -> bool:
        """Apply a checked message from a crane; True when the plan must be redone."""
        status = self.status.get(crane)
        if status is None or payload.get("crane") != crane:
            raise EquipmentMessageRejected(f"message from unknown crane {crane!r}")
        key = f"equipment:{crane}:{payload['messageId']}"
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
                self._fail_open(crane, "lost connection: " + payload["connectionState"], key, now)
            elif changed:
                # back on the bus (a retained notice read again on our own reconnection
                # is no news: its orders went out already)
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
            result = self._handle(
                jobs.ReportCraneJob(order, crane, state, now, idempotency_key=key), now
            )
            if result.get("alarm"):
                status.alarms.append(result["refused"])
            return bool(kind == "placed")
        if kind == "fault":
            status.mode = "fault"
            self._fail_open(crane, payload.get("detail", "fault"), key, now)
            return True
        if kind == "cleared":
            status.mode = "automatic"
            for job in self.mine(crane, JobState.FAILED):
                if job.box_aboard:
                    self._handle(
                        jobs.ClearCraneJob(job.id, crane, idempotency_key=f"{key}:{job.id}"), now
                    )
            return True
        return False

    def _reconcile(self, crane: str, payload: dict[str, Any], now: datetime) -> bool:
        """Catch up from a state message with events that were lost on the way: orders the
        crane lists as completed, and the box it says hangs from its spreader. Each is
        tried once (a refusal is an alarm, not a retry every few seconds)."""
        caught_up = False
        for order in payload.get("completed") or []:
            job = self.jobs.get(order)
            attempt = (crane, order, "done")
            if job is None or job.crane != crane or not job.in_hand:
                continue
            if attempt in self._caught_up:
                continue
            self._caught_up.add(attempt)
            key = f"equipment:{crane}:{payload['messageId']}:completed:{order}"
            self._handle(jobs.ReportCraneJob(order, crane, "done", now, idempotency_key=key), now)
            caught_up = True
        current = self.jobs.get(payload.get("orderId") or "")
        if (
            current is not None
            and current.crane == crane
            and payload.get("load") == current.box.value
            and current.state in (JobState.SENT, JobState.PICKING)
            and (crane, current.id, "lifted") not in self._caught_up
        ):
            self._caught_up.add((crane, current.id, "lifted"))
            key = f"equipment:{crane}:{payload['messageId']}:aboard:{current.id}"
            self._handle(
                jobs.ReportCraneJob(current.id, crane, "lifted", now, idempotency_key=key), now
            )
        return self._forgotten(crane, payload, now) or caught_up

    def _forgotten(self, crane: str, payload: dict[str, Any], now: datetime) -> bool:
        """Jobs the hub has in this crane's hand that the crane does not know (its
        controller started again, empty): one not lifted yet is sent again; one whose box
        the hub has on the spreader while the crane reports it empty fails, with an alarm
        for a person. Each once."""
        if not self.status[crane].in_service:
            return False
        known = {payload.get("orderId"), *(payload.get("queue") or ())}
        known |= set(payload.get("completed") or ())
        changed = False
        in_hand = self.mine(crane, *IN_HAND)
        ids = {job.id for job in in_hand}
        for gone in [key for key in self._missing if key[0] == crane and key[1] not in ids]:
            del self._missing[gone]  # done, or taken from this crane
        for job in in_hand:
            attempt = (crane, job.id, "forgotten aboard" if job.box_aboard else "forgotten")
            if job.id in known:
                self._missing.pop((crane, job.id), None)
                continue
            if attempt in self._caught_up:
                continue
            # a state sent before the order reached the crane does not list it yet: only a
            # job left out of every state for a while is taken as forgotten
            since = self._missing.setdefault((crane, job.id), now)
            if (now - since).total_seconds() < FORGOTTEN_AFTER_S:
                continue
            self._caught_up.add(attempt)
            if not job.box_aboard:
                self.link.send(crane, "order", self._order(job, crane, now))
                continue
            if payload.get("load") == job.box.value:
                continue
            reason = f"{crane} reports an empty spreader; the hub has {job.box.value} on it"
            key = f"equipment:{crane}:{payload['messageId']}:forgotten:{job.id}"
            self._handle(jobs.FailCraneJob(job.id, crane, reason, idempotency_key=key), now)
            alarm = f"{reason}: a person must find the box and set it down by hand"
            self._handle(
                jobs.RaiseCraneAlarm(crane, job.id, alarm, idempotency_key=f"{key}:alarm"), now
            )
            changed = True
        return changed

    def _resend(self, crane: str, now: datetime) -> None:
        """A crane back on the bus gets its sent orders again (it drops ones it knows)."""
        for job in self.mine(crane, JobState.SENT):
            self.link.send(crane, "order", self._order(job, crane, now))

    def _fail_open(self, crane: str, reason: str, key: str, now: datetime) -> None:
        """Fail the crane's started jobs; those it had not lifted go back to dispatch, a
        box on its spreader is an alarm for a person."""
        for job in self.mine(crane, *IN_HAND):
            self._handle(
                jobs.FailCraneJob(job.id, crane, reason, idempotency_key=f"{key}:{job.id}"), now
            )
            if job.box_aboard:
                problem = (
                    f"{job.box.value} hangs on {crane}'s spreader ({reason}): a person must "
                    "clear the crane or set the box down by hand"
                )
                alarm = jobs.RaiseCraneAlarm(
                    crane, job.id, problem, idempotency_key=f"{key}:{job.id}:alarm"
                )
                self._handle(alarm, now)
            else:
                # it goes to another crane: this one must not resume it when cleared
                cancel = self._message(crane, now, action="cancelOrder", orderId=job.id)
                self.link.send(crane, "instantActions", cancel)


__all__ = ["CraneReports", "CraneStatus", "EquipmentLink"]
