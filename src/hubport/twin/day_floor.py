"""The crane floor as a simulated day drives it: crane jobs and a train's work handed to
it, the cranes stepped every ``CRANE_STEP_S`` while there is work (asleep otherwise), and
an event per job, set when the cranes have done it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import simpy

from hubport.cranes.floor import CraneFloor
from hubport.domain.container import ContainerNumber
from hubport.domain.places import Place
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.crane_commands import PlanCraneJob
from hubport.twin.day_log import DayLog, MoveRecord

#: Seconds between two steps of the crane floor while cranes work.
CRANE_STEP_S = 2.0


class FloorDriver:
    def __init__(
        self,
        env: simpy.Environment,
        floor: CraneFloor,
        clock: ManualClock,
        start: datetime,
        log: DayLog,
        pace: float | None = None,
    ):
        self.env, self.floor, self.clock, self.start = env, floor, clock, start
        self.log, self.pace = log, pace
        self.job_done: dict[str, simpy.Event] = {}
        self.work_arrived = env.event()

    def _now(self) -> datetime:
        return self.start + timedelta(seconds=self.env.now)

    def job(
        self,
        job: str,
        number: ContainerNumber,
        reason: str,
        destination: Place | None = None,
        train_id: str | None = None,
        due_s: float | None = None,
    ) -> Any:
        """Plan the job (with a relocation for each box standing on this one) and wait
        until the cranes have done it; ``due_s`` is when it should be done."""
        done = self.env.event()
        self.job_done[job] = done
        due = None if due_s is None else self.start + timedelta(seconds=due_s)
        self._hand_over(
            PlanCraneJob(
                job, number, reason, destination, due=due, train_id=train_id, idempotency_key=job
            )
        )
        yield done

    def work(self, command: commands.Command) -> tuple[dict[str, Any], dict[str, simpy.Event]]:
        """Hand a train's work to the floor: the command's result, and an event per box of
        the work, set when the box is where it should be."""
        result = self._hand_over(command)
        done = {}
        for item in result.get("work", ()):  # none for a truck sent to the exception lane
            done[item["box"]] = self.job_done[item["job"]] = self.env.event()
        return result, done

    @staticmethod
    def waited(event: simpy.Event) -> Any:
        yield event

    def _hand_over(self, command: commands.Command) -> dict[str, Any]:
        self.clock.set(max(self.clock.now(), self._now()))
        result = self.floor.control.plan(command, self._now())
        self.log.commands += 1
        self.floor.since_plan = float("inf")  # plan again at the next step
        if not self.work_arrived.triggered:
            self.work_arrived.succeed()
        return result

    def run(self) -> Any:
        """The cranes at work: a step every CRANE_STEP_S while there is work, else asleep."""
        floor = self.floor
        while True:
            if not floor.busy:
                if self.work_arrived.triggered:
                    self.work_arrived = self.env.event()
                yield self.work_arrived
            yield self.env.timeout(CRANE_STEP_S)
            if self.pace is not None:
                time.sleep(CRANE_STEP_S / self.pace)
            now = self._now()
            self.clock.set(max(self.clock.now(), now))
            floor.tick(now)
            finished, floor.control.finished = floor.control.finished, []
            for job in finished:
                started = (job.sent_at - self.start).total_seconds()
                seconds = (job.done_at - job.sent_at).total_seconds()
                self.log.moves.append(
                    MoveRecord(job.box.value, job.crane, job.reason, started, seconds, job.train)
                )
                event = self.job_done.pop(job.job, None)
                if event is not None:
                    event.succeed()


__all__ = ["CRANE_STEP_S", "FloorDriver"]
