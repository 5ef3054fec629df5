"""One virtual crane on the MQTT equipment bus, on its own time scale (``hubport crane-sim``).

Its clock runs ``speed`` times faster than the wall clock from the moment it starts. It
publishes what its controller reports; on ``loseConnection`` it drops off the broker
without a goodbye, so the platform sees the last will.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime, timedelta

from hubport.adapters.equipment import protocol
from hubport.adapters.equipment.mqtt import controller_endpoint
from hubport.adapters.equipment.virtual_crane import CraneController
from hubport.domain.crane_motion import Point
from hubport.domain.site import Site

TICK_S = 0.05  # wall-clock seconds between steps
#: Positions this close count as equal (reported positions are rounded).
EPSILON_M = 1e-3
#: A crane that makes way goes this much beyond the gap (so that rounding never holds).
MAKE_WAY_MARGIN_M = 0.5


class CraneSim:
    """A controller joined to the broker."""

    def __init__(self, url: str, site: Site, crane_id: str, speed: float = 10.0):
        crane = site.crane(crane_id)
        self.site, self.speed = site, speed
        self.started_wall = time.monotonic()
        self.started_at = datetime.now(UTC)
        self.controller = CraneController(
            crane.id,
            crane.kind,
            Point(crane.home_m, 0.0, site.travel_height_m),
            site.travel_height_m,
        )
        self.endpoint = controller_endpoint(url, site.code, crane.id, self.now())
        self.stopping = threading.Event()
        self.dropped = False
        self.controller.state_every_s = 1.0
        along = [c.id for c in site.cranes_along_rail]
        index = along.index(crane.id)
        self.left = along[index - 1] if index > 0 else None
        self.right = along[index + 1] if index + 1 < len(along) else None
        #: Each neighbour's stretch: from where it is to where it is heading (its state).
        self.neighbours: dict[str, tuple[float, float]] = {
            c.id: (c.home_m, c.home_m)
            for c in site.cranes_along_rail
            if c.id in (self.left, self.right)
        }
        gap = self.gap = site.safety_gap_m

        def clear(origin: float, target: float) -> bool:
            if target < origin and self.left is not None:
                return target >= max(self.neighbours[self.left]) + gap - EPSILON_M
            if target > origin and self.right is not None:
                return target <= min(self.neighbours[self.right]) - gap + EPSILON_M
            return True

        self.controller.clear_to_move = clear

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self.started_wall) * self.speed
        return self.started_at + timedelta(seconds=elapsed)

    def step(self) -> None:
        now = self.now()
        for crane, name, payload in self.endpoint.poll():
            if name == protocol.STATE:
                if crane in self.neighbours:
                    at = float(payload["position"]["gantry_m"])
                    self.neighbours[crane] = (at, float(payload.get("target_m", at)))
                continue
            if name == protocol.CONNECTION:
                if crane in self.neighbours and payload["connectionState"] != "ONLINE":
                    # a crane off the bus goes nowhere: it stands where it last was
                    at = self.neighbours[crane][0]
                    self.neighbours[crane] = (at, at)
                continue
            self.controller.receive(name, payload, now)
        self._give_way(TICK_S * self.speed)
        for name, payload in self.controller.advance(now):
            self.endpoint.publish(
                protocol.topic(self.site.code, self.controller.crane, name),
                protocol.encode(payload),
            )
        self._back_off(TICK_S * self.speed, now)
        if self.controller.wants_disconnect:
            self.endpoint.drop()
            self.dropped = True
            self.stopping.set()

    def _give_way(self, step_s: float) -> None:
        """Idle, keep off the stretches the neighbours are working or heading to: step
        away, and say where to in the state, so that the next crane makes way in turn."""
        controller = self.controller
        controller.wanted_m = None
        if controller.current is not None or controller.mode != "automatic":
            return
        x = controller.position.along_m
        low = max(self.neighbours[self.left]) + self.gap if self.left else -math.inf
        high = min(self.neighbours[self.right]) - self.gap if self.right else math.inf
        if low <= x <= high:
            return  # in nobody's way
        # pushed: say where to, so that the next crane makes way too (a crane squeezed
        # from both sides goes the left one's way: the dispatcher never sends both)
        wanted = low + MAKE_WAY_MARGIN_M if x < low else high - MAKE_WAY_MARGIN_M
        controller.wanted_m = wanted
        shift = min(abs(wanted - x), controller.kind.gantry.speed_empty_mps * step_s)
        target = x + math.copysign(shift, wanted - x)
        if controller.clear_to_move(x, target):
            place = controller.position
            controller.position = Point(target, place.across_m, place.height_m)

    def _back_off(self, step_s: float, now: datetime) -> None:
        """Working and held, heading left, by a left neighbour that is working towards this
        crane: of the two, the one on the right gives way (as on the in-process floor)."""
        controller = self.controller
        if controller.held_towards is None or controller.current is None or self.left is None:
            return
        at, target = self.neighbours[self.left]
        x = controller.position.along_m
        if controller.target_m < x and target > at and target >= x - self.gap:
            controller.back_off(at, step_s, now)

    def run(self, seconds: float | None = None) -> None:
        """Work until stopped (or for ``seconds`` of wall-clock time)."""
        self.endpoint.start()
        deadline = None if seconds is None else time.monotonic() + seconds
        try:
            while not self.stopping.is_set():
                self.step()
                if deadline is not None and time.monotonic() >= deadline:
                    break
                time.sleep(TICK_S)
        finally:
            if not self.dropped:
                goodbye = protocol.message(
                    self.controller.crane, self.now(), connectionState="OFFLINE"
                )
                connection = protocol.topic(
                    self.site.code, self.controller.crane, protocol.CONNECTION
                )
                self.endpoint.stop((connection, protocol.encode(goodbye)))


__all__ = ["CraneSim"]
