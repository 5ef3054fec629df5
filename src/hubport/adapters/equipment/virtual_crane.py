"""A virtual crane controller: takes job orders, moves with the crane's kinematics, reports.

It speaks the equipment protocol (``adapters/equipment/protocol``) and nothing else, so the
same logic runs in process (the demo, the tests) and on a real broker (``hubport
crane-sim``). It is driven by ``advance(now)``: time is the caller's, scaled or simulated.

A move runs: travel empty and lower (``picking``), lock (``picked``: the box hangs from the
spreader), lift, travel and lower (``placing``), unlock (``placed``), raise. Faults can be
injected by instant action: ``breakdown`` stops the crane where it is, ``spreaderFailure``
makes the next lock fail, ``loseConnection`` asks the runner to drop off the bus without
a goodbye (the broker then publishes the crane's last will). ``clear`` resumes.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hubport.adapters.equipment import protocol
from hubport.domain.crane_motion import CraneType, Point, move_times

log = logging.getLogger(__name__)

Outgoing = tuple[str, dict[str, Any]]
COMPLETED_KEPT = 20


@dataclass
class _Run:
    """The order being worked and its timeline, in seconds from its start."""

    order: dict[str, Any]
    started: datetime
    origin: Point
    lifted_after: float
    placed_after: float
    done_after: float
    picked: bool = False
    placed: bool = False


def _point(data: dict[str, Any]) -> Point:
    return Point(float(data["along_m"]), float(data["across_m"]), float(data["height_m"]))


class CraneController:
    """One crane's controller."""

    def __init__(
        self,
        crane: str,
        kind: CraneType,
        position: Point,
        travel_height_m: float,
        state_every_s: float = 5.0,
        make_id: Callable[[], str] | None = None,
    ):
        self.crane = crane
        self.kind = kind
        self.position = position
        self.travel_height_m = travel_height_m
        self.state_every_s = state_every_s
        self.make_id = make_id
        self.mode = "automatic"
        self.load: str | None = None
        self.queue: deque[dict[str, Any]] = deque()
        self.current: _Run | None = None
        self.known_orders: set[str] = set()
        self.seen_messages: set[str] = set()
        self.spreader_fails_next = False
        self.wants_disconnect = False
        self.outbox: list[Outgoing] = []
        self._last_state: datetime | None = None
        self._last_advance: datetime | None = None
        self.moves_done = 0
        #: The last orders finished, reported with every state message: a platform that
        #: missed a ``placed`` event (a broker restart) learns it from the next state.
        self.completed: deque[str] = deque(maxlen=COMPLETED_KEPT)
        #: The anti-collision interlock: may the gantry go from one position to another?
        self.clear_to_move: Callable[[float, float], bool] = lambda _from, _to: True
        #: Where the gantry wants to go when a neighbour holds it up (None: not held).
        self.held_towards: float | None = None
        #: Idle, where a neighbour's work pushes it (its state says so, for the next one).
        self.wanted_m: float | None = None
        #: Seconds the interlock has held this crane up, in all.
        self.held_s = 0.0

    # -- input --------------------------------------------------------------------------

    def receive(self, name: str, payload: dict[str, Any], now: datetime) -> None:
        """Take a checked order or instant action; repeats of a message id are dropped."""
        if payload["messageId"] in self.seen_messages:
            log.info("%s: duplicate message %s dropped", self.crane, payload["messageId"])
            return
        self.seen_messages.add(payload["messageId"])
        if name == protocol.ORDER:
            order_id = payload["orderId"]
            if order_id in self.known_orders:
                log.info("%s: order %s known already", self.crane, order_id)
                return
            self.known_orders.add(order_id)
            self.queue.append(payload)
            self._event(now, "accepted", order_id)
        elif name == protocol.INSTANT_ACTIONS:
            self._act(payload, now)

    def _act(self, payload: dict[str, Any], now: datetime) -> None:
        action = payload["action"]
        if action == "breakdown":
            self._fault(now, "breakdown")
        elif action == "spreaderFailure":
            self.spreader_fails_next = True
        elif action == "loseConnection":
            self.wants_disconnect = True
        elif action == "clear":
            if self.mode == "fault":
                self.mode = "automatic"
                if self.current is not None:
                    self._restart(self.current, now)
                self._event(now, "cleared", self._order_id())
        elif action == "cancelOrder":
            wanted = payload.get("orderId")
            self.queue = deque(o for o in self.queue if o["orderId"] != wanted)
            run = self.current
            if run is not None and run.order["orderId"] == wanted and not run.picked:
                self.current = None

    # -- time ---------------------------------------------------------------------------

    def advance(self, now: datetime) -> list[Outgoing]:
        """Move on to ``now``; returns the messages to publish."""
        step = (now - self._last_advance).total_seconds() if self._last_advance else 0.0
        self._last_advance = now
        self.held_towards = None
        if self.mode == "automatic":
            if self.current is None and self.queue:
                self._start(self.queue.popleft(), now)
            if self.current is not None:
                before = self.position
                self._follow(self.current, now)
                if self.position.along_m != before.along_m and not self.clear_to_move(
                    before.along_m, self.position.along_m
                ):
                    # held by the anti-collision interlock: the move waits where it is
                    self.held_towards = self.position.along_m
                    self.held_s += step
                    self.position = before
                    if self.current is not None:
                        self.current.started += timedelta(seconds=step)
        if self._last_state is None or (now - self._last_state).total_seconds() >= (
            self.state_every_s
        ):
            self._state(now)
        out, self.outbox = self.outbox, []
        return out

    def _start(self, order: dict[str, Any], now: datetime) -> None:
        times = move_times(
            self.kind,
            self.position,
            _point(order["pick"]),
            _point(order["place"]),
            self.travel_height_m,
        )
        self.current = _Run(
            order,
            now,
            self.position,
            times.lifted,
            times.lifted + times.to_place + times.unlock,
            times.total,
        )
        self._event(now, "picking", order["orderId"])

    def _restart(self, run: _Run, now: datetime) -> None:
        """Carry on from where the crane stopped: re-time the rest of the move from here."""
        pick, place = _point(run.order["pick"]), _point(run.order["place"])
        if run.picked:
            times = move_times(self.kind, self.position, self.position, place, self.travel_height_m)
            run.lifted_after = 0.0
            run.placed_after = times.to_place + times.unlock
            run.done_after = times.total - times.to_pick - times.lock
        else:
            times = move_times(self.kind, self.position, pick, place, self.travel_height_m)
            run.lifted_after = times.lifted
            run.placed_after = times.lifted + times.to_place + times.unlock
            run.done_after = times.total
        run.started, run.origin = now, self.position

    def _follow(self, run: _Run, now: datetime) -> None:
        elapsed = (now - run.started).total_seconds()
        pick, place = _point(run.order["pick"]), _point(run.order["place"])
        if not run.picked:
            self.position = self._towards(run.origin, pick, elapsed, run.lifted_after, False)
            if elapsed >= run.lifted_after:
                if self.spreader_fails_next:
                    self.spreader_fails_next = False
                    self._fault(now, "spreader failed to lock")
                    return
                run.picked = True
                self.load = run.order["container"]
                self._event(now, "picked", run.order["orderId"])
                self._event(now, "placing", run.order["orderId"])
        if run.picked and not run.placed:
            start = pick if run.lifted_after else run.origin
            span = run.placed_after - run.lifted_after
            self.position = self._towards(start, place, elapsed - run.lifted_after, span, True)
            if elapsed >= run.placed_after:
                run.placed = True
                self.load = None
                self.moves_done += 1
                self.completed.append(run.order["orderId"])
                self._event(now, "placed", run.order["orderId"])
        if run.placed and elapsed >= run.done_after:
            self.position = Point(place.along_m, place.across_m, self.travel_height_m)
            self.current = None
            self._state(now)

    def _towards(
        self, start: Point, end: Point, elapsed: float, phase_s: float, laden: bool
    ) -> Point:
        """Where the spreader is ``elapsed`` seconds into a phase from start to end: the
        gantry runs its own profile, the trolley and hoist share the phase."""
        distance = end.along_m - start.along_m
        along = start.along_m + self.kind.gantry.position(distance, laden, max(0.0, elapsed))
        share = max(0.0, min(elapsed / phase_s, 1.0)) if phase_s > 0 else 1.0
        rest = _between(start, end, share)
        return Point(along, rest.across_m, rest.height_m)

    # -- output -------------------------------------------------------------------------

    def back_off(self, away_from: float, step_s: float, now: datetime) -> None:
        """Working, but locked with a neighbour that waits for this crane as it waits for
        the neighbour: give way by a step, then carry on from there."""
        run = self.current
        if run is None or self.mode != "automatic":
            return
        direction = 1.0 if self.position.along_m >= away_from else -1.0
        target = self.position.along_m + direction * self.kind.gantry.speed_empty_mps * step_s
        if self.clear_to_move(self.position.along_m, target):
            self.position = Point(target, self.position.across_m, self.position.height_m)
            self._restart(run, now)

    def make_way(self, away_from: float, gap: float, step_s: float) -> None:
        """An idle crane yields: it backs off from a neighbour that wants its stretch."""
        if self.current is not None or self.mode != "automatic":
            return
        distance = abs(self.position.along_m - away_from)
        if distance >= gap:
            return
        shift = min(gap - distance, self.kind.gantry.speed_empty_mps * step_s)
        direction = 1.0 if self.position.along_m >= away_from else -1.0
        target = self.position.along_m + direction * shift
        if self.clear_to_move(self.position.along_m, target):
            self.position = Point(target, self.position.across_m, self.position.height_m)
        else:
            self.held_towards = target  # its own neighbour must make way in turn

    @property
    def target_m(self) -> float:
        """Where along the rail the gantry is heading (where it stands when idle)."""
        run = self.current
        if run is None and self.mode == "automatic" and self.wanted_m is not None:
            return self.wanted_m
        if run is None or self.mode != "automatic":
            return self.position.along_m
        end = run.order["place"] if run.picked else run.order["pick"]
        return float(end["along_m"])

    def _order_id(self) -> str | None:
        return self.current.order["orderId"] if self.current is not None else None

    def _fault(self, now: datetime, reason: str) -> None:
        self.mode = "fault"
        self._event(now, "fault", self._order_id(), detail=reason, boxAboard=self.load is not None)
        self._state(now)

    def _event(self, now: datetime, kind: str, order_id: str | None, **extra: Any) -> None:
        self.outbox.append(
            (
                protocol.EVENTS,
                protocol.message(
                    self.crane, now, self.make_id, type=kind, orderId=order_id, **extra
                ),
            )
        )

    def _state(self, now: datetime) -> None:
        self._last_state = now
        self.outbox.append((protocol.STATE, self.state_message(now)))

    def state_message(self, now: datetime) -> dict[str, Any]:
        return protocol.message(
            self.crane,
            now,
            self.make_id,
            mode=self.mode,
            position={
                "gantry_m": round(self.position.along_m, 3),
                "trolley_m": round(self.position.across_m, 3),
                "hoist_m": round(self.position.height_m, 3),
            },
            load=self.load,
            target_m=round(self.target_m, 3),
            orderId=self._order_id(),
            queue=[o["orderId"] for o in self.queue],
            movesDone=self.moves_done,
            completed=list(self.completed),
        )


def _between(a: Point, b: Point, share: float) -> Point:
    return Point(
        a.along_m + (b.along_m - a.along_m) * share,
        a.across_m + (b.across_m - a.across_m) * share,
        a.height_m + (b.height_m - a.height_m) * share,
    )


__all__ = ["CraneController", "Outgoing"]
