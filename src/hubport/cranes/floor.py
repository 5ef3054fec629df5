"""The crane floor: the platform's crane control and the cranes' controllers, driven by a
simulated clock. By default one virtual controller per crane runs in process on the
in-process equipment bus; given another equipment link (MQTT), the controllers are
elsewhere and the clock is paced against the wall clock at ``speed``."""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from hubport.adapters.equipment import protocol
from hubport.adapters.equipment.in_process import InProcessEquipment
from hubport.adapters.equipment.virtual_crane import CraneController
from hubport.cranes.control import CraneControl
from hubport.domain.crane_motion import Point
from hubport.domain.site import Site
from hubport.services.clock import ManualClock
from hubport.services.messagebus import HubBus


def controllers_for(
    site: Site, make_id: Callable[[], str] | None = None
) -> dict[str, CraneController]:
    """A controller per crane, parked at its home position at travel height."""
    return {
        crane.id: CraneController(
            crane.id,
            crane.kind,
            Point(crane.home_m, 0.0, site.travel_height_m),
            site.travel_height_m,
            make_id=make_id,
        )
        for crane in site.cranes_along_rail
    }


def _store_tracks(bus: HubBus) -> Callable[[str], str | None]:
    def track_of(train_id: str) -> str | None:
        with bus.uow_factory() as uow:
            train = uow.inventory.find_train(train_id)
            return train.track if train is not None else None

    return track_of


class Equipment(Protocol):
    def send(self, crane: str, name: str, payload: dict[str, Any]) -> None: ...
    def step(self, now: datetime) -> list[tuple[str, str, dict[str, Any]]]: ...


class CraneFloor:
    """Runs crane jobs to completion on simulated time."""

    def __init__(
        self,
        bus: HubBus,
        site: Site,
        clock: ManualClock,
        step_s: float = 1.0,
        equipment: Equipment | None = None,
        speed: float | None = None,
        track_of: Callable[[str], str | None] | None = None,
        message_ids: str | None = None,
    ):
        """``track_of`` says where a train stands (default: the store); ``message_ids``
        prefixes counted message ids, so that a replayed day sends the same messages."""
        self.clock, self.step_s, self.speed = clock, step_s, speed
        make_id = None
        if message_ids is not None:
            counter = itertools.count(1)

            def make_id() -> str:
                return f"{message_ids}:{next(counter)}"

        self.controllers = controllers_for(site, make_id) if equipment is None else {}
        self.gap = site.safety_gap_m
        order = list(self.controllers.values())
        for index, controller in enumerate(order):
            left = order[index - 1] if index > 0 else None
            right = order[index + 1] if index + 1 < len(order) else None
            controller.clear_to_move = self._interlock(left, right)
        self.equipment: Equipment = (
            InProcessEquipment(self.controllers, clock.now()) if equipment is None else equipment
        )
        if track_of is None:
            track_of = _store_tracks(bus)
        message = protocol.message
        if make_id is not None:
            message = functools.partial(protocol.message, make_id=make_id)
        self.control = CraneControl(bus, site, self.equipment, message, track_of)
        self.since_plan = 0.0

    def _interlock(
        self, left: CraneController | None, right: CraneController | None
    ) -> Callable[[float, float], bool]:
        gap = self.gap

        def clear(origin: float, target: float) -> bool:
            if target < origin and left is not None:
                return bool(target >= left.position.along_m + gap)
            if target > origin and right is not None:
                return bool(target <= right.position.along_m - gap)
            return True

        return clear

    def _yield(self, now: datetime) -> None:
        """Idle cranes back off from neighbours their interlock holds up; of two working
        neighbours that hold each other up, the one on the right gives way."""
        order = list(self.controllers.values())
        for left, right in itertools.pairwise(order):
            if left.held_towards is not None and right.held_towards is not None:
                right.back_off(left.position.along_m, self.step_s, now)
        for _ in order:  # a crane that makes way may need its own neighbour to make way
            for index, controller in enumerate(order):
                wanted = controller.held_towards
                if wanted is None:
                    continue
                for other in (
                    order[index - 1] if index else None,
                    order[index + 1] if index + 1 < len(order) else None,
                ):
                    if other is not None:
                        other.make_way(wanted, self.gap * 1.5, self.step_s)

    @property
    def busy(self) -> bool:
        """Jobs are open, or a crane is still at work."""
        return bool(self.control.jobs) or any(
            c.current is not None or c.queue for c in self.controllers.values()
        )

    def tick(self, now: datetime, replan_every_s: float = 30.0) -> None:
        """One step: the cranes move on to ``now``, the platform reads their reports and
        plans again when a job ended or failed, or every ``replan_every_s``."""
        replan = False
        for crane, name, payload in self.equipment.step(now):
            replan = self.control.receive(crane, name, payload, now) or replan
        self._yield(now)
        self.since_plan += self.step_s
        if replan or (self.since_plan >= replan_every_s and self.control.waiting):
            self.control.replan(now)
            self.since_plan = 0.0

    def run(self, max_s: float, until: Callable[[], bool], replan_every_s: float = 15.0) -> float:
        """Take the store's open jobs and advance until ``until()`` holds or ``max_s``
        pass; the seconds it took."""
        start = self.clock.now()
        self.control.load()
        self.control.replan(start)
        wall = time.monotonic()
        while (self.clock.now() - start).total_seconds() < max_s:
            if self.speed is not None:
                simulated = (self.clock.now() - start).total_seconds() + self.step_s
                time.sleep(max(0.0, wall + simulated / self.speed - time.monotonic()))
            now = self.clock.now() + timedelta(seconds=self.step_s)
            self.clock.set(now)
            self.tick(now, replan_every_s)
            if until():
                break
        return (self.clock.now() - start).total_seconds()
