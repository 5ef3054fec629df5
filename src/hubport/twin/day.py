"""A day at the hub: the seeded traffic of ``traffic.py`` run through the real services.

SimPy plays time, the cranes and the carriers; every change goes through the message bus
as a command with an idempotency key. The simulation learns the yard only from command
results, and a repeated key returns the first result, so a day killed half-way and run
again replays what was done and carries on from where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import simpy

from hubport.domain.container import Container, ContainerNumber, CustomsStatus
from hubport.domain.errors import HubportError
from hubport.domain.places import Spot, TruckSlot, WagonSlot, YardSlot, parse_place
from hubport.domain.site import Area, Crane, Site
from hubport.planning import cranes
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.messagebus import MessageBus
from hubport.twin.traffic import DayTraffic, TruckCall

Progress = Callable[[float, str], None]

#: In-gate check and the drive to the crane's transfer lane (automated gate, OCR).
GATE_TO_LANE_S = 240.0
#: The drive back and the out-gate check.
LANE_TO_GATE_S = 180.0


@dataclass
class MoveRecord:
    """One crane move as the twin saw it, with its simulated duration."""

    number: str
    crane: str
    reason: str
    start_s: float
    seconds: float


@dataclass
class DayLog:
    """What happened in the simulated day, for the KPIs."""

    moves: list[MoveRecord] = field(default_factory=list)
    truck_turns_s: list[float] = field(default_factory=list)
    train_dwell_s: dict[str, float] = field(default_factory=dict)
    commands: int = 0
    repeats: int = 0
    end_s: float = 0.0


class HubDay:
    """Runs one day of traffic against a message bus whose clock it owns."""

    def __init__(
        self,
        bus: MessageBus,
        clock: ManualClock,
        site: Site,
        traffic: DayTraffic,
        key_prefix: str,
        *,
        inbound_announced: bool = False,
    ):
        """``inbound_announced``: the inbound train's boxes are already known (the railway's
        discharge order came in by EDI); only their advance declarations remain to send."""
        self.bus, self.clock, self.site, self.traffic = bus, clock, site, traffic
        self.prefix = key_prefix
        self.inbound_announced = inbound_announced
        self.env = simpy.Environment()
        self.cranes = {crane_id: simpy.Resource(self.env, 1) for crane_id in site.cranes}
        self.crane_x = {
            crane.id: (crane.zone_start_m + crane.zone_end_m) / 2 for crane in site.cranes.values()
        }
        self.places: dict[str, str] = {}
        self.in_yard: dict[str, simpy.Event] = {}
        self.log = DayLog()
        self.tracks: dict[str, str] = {}
        self.containers = {
            container.number.value: container for container, _ in traffic.inbound_consist
        }

    # -- running ------------------------------------------------------------------------

    def run(self, progress: Progress | None = None) -> DayLog:
        traffic = self.traffic
        for container, _slot in traffic.inbound_consist:
            self.in_yard[container.number.value] = self.env.event()
        for call in traffic.trucks:
            if call.delivers is not None:
                self.in_yard[call.delivers.number.value] = self.env.event()
        self._pre_advice()
        processes = [
            self.env.process(self._inbound_train()),
            self.env.process(self._outbound_train()),
        ]
        processes += [self.env.process(self._truck(call)) for call in traffic.trucks]
        finished = simpy.AllOf(self.env, processes)
        horizon = traffic.outbound_departure_s + 3600
        while not finished.processed:
            if self.env.peek() == float("inf"):
                raise HubportError(
                    f"day {traffic.day} is stuck at {self._clock_text()}: "
                    "some carrier waits for a box that never comes"
                )
            self.env.run(until=min(self.env.now + 300, self.env.peek() + 300))
            if progress is not None:
                progress(min(self.env.now / horizon, 1.0), self._clock_text())
        self.log.end_s = self.env.now
        if progress is not None:
            progress(1.0, self._clock_text())
        return self.log

    def _clock_text(self) -> str:
        return (self.traffic.start + timedelta(seconds=self.env.now)).strftime("%H:%M")

    def send(self, command: commands.Command) -> dict[str, Any]:
        """Hand one command to the bus at the current simulated time."""
        self.clock.set(max(self.clock.now(), self.traffic.start + timedelta(seconds=self.env.now)))
        outcome = self.bus.handle(command)
        self.log.commands += 1
        self.log.repeats += outcome.repeat
        return outcome.result

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # -- processes ----------------------------------------------------------------------

    def _pre_advice(self) -> None:
        traffic = self.traffic
        self.send(
            commands.RegisterTrain(
                traffic.inbound, idempotency_key=self.key("register", traffic.inbound.id)
            )
        )
        self.send(
            commands.RegisterTrain(
                traffic.outbound, idempotency_key=self.key("register", traffic.outbound.id)
            )
        )
        inbound = [container for container, _ in traffic.inbound_consist]
        boxes = [] if self.inbound_announced else list(inbound)
        boxes += [call.delivers for call in traffic.trucks if call.delivers is not None]
        for container in boxes:
            self.send(
                commands.AnnounceContainer(
                    container, idempotency_key=self.key("coprar", container.number.value)
                )
            )
        if not self.inbound_announced:
            return
        for container in inbound:
            if container.customs_status is CustomsStatus.DECLARED:
                self.send(
                    commands.SetCustomsStatus(
                        container.number,
                        CustomsStatus.DECLARED,
                        "advance declaration",
                        idempotency_key=self.key("declare", container.number.value),
                    )
                )

    def _inbound_train(self) -> Any:
        traffic = self.traffic
        train = traffic.inbound.id
        yield self.env.timeout(traffic.inbound_arrival_s)
        consist = tuple((container.number, slot) for container, slot in traffic.inbound_consist)
        self.send(
            commands.ArriveTrain(train, "T1", consist, idempotency_key=self.key("arrive", train))
        )
        self.tracks[train] = "T1"
        for container, slot in traffic.inbound_consist:
            self.places[container.number.value] = str(slot)
        jobs = [
            self.env.process(self._discharge(container)) for container, _ in traffic.inbound_consist
        ]
        yield simpy.AllOf(self.env, jobs)
        self.send(commands.DepartTrain(train, idempotency_key=self.key("depart", train)))
        self.log.train_dwell_s[train] = self.env.now - traffic.inbound_arrival_s

    def _discharge(self, container: Container) -> Any:
        number = container.number.value
        crane = self._crane_for(container, self._x(self.places[number]))
        yield from self._crane_job(
            crane,
            commands.MoveContainer(
                container.number,
                None,
                crane=crane.id,
                reason="discharge",
                idempotency_key=self.key("discharge", number),
            ),
        )
        self.in_yard[number].succeed()
        if (
            container.customs_status is CustomsStatus.DECLARED
            and container.next_leg is not None
            and container.next_leg.mode.value != "river"
        ):
            self.env.process(self._customs_release(container))

    def _customs_release(self, container: Container) -> Any:
        yield self.env.timeout(1800)
        self.send(
            commands.SetCustomsStatus(
                container.number,
                CustomsStatus.RELEASED,
                "released on advance declaration",
                idempotency_key=self.key("cusres", container.number.value),
            )
        )

    def _truck(self, call: TruckCall) -> Any:
        yield self.env.timeout(call.arrival_s)
        arrived = self.env.now
        visit = call.truck.id
        boxes: tuple[tuple[ContainerNumber, Spot], ...] = ()
        if call.delivers is not None:
            spot = _spot(call.delivers)
            boxes = ((call.delivers.number, spot),)
            self.places[call.delivers.number.value] = str(TruckSlot(visit, spot))
        self.send(commands.GateIn(call.truck, boxes, idempotency_key=self.key("gate-in", visit)))
        yield self.env.timeout(GATE_TO_LANE_S)
        if call.delivers is not None:
            container = call.delivers
            crane = self._crane_for(container, None)
            yield from self._crane_job(
                crane,
                commands.MoveContainer(
                    container.number,
                    None,
                    crane=crane.id,
                    reason="receipt",
                    idempotency_key=self.key("receipt", container.number.value),
                ),
            )
            self.in_yard[container.number.value].succeed()
        if call.collects is not None:
            yield self.in_yard[call.collects]
            crane = cranes.crane_at(self.site, self._x(self.places[call.collects]) or 0.0)
            box = self.containers[call.collects]
            yield from self._crane_job(
                crane,
                commands.RetrieveContainer(
                    box.number,
                    TruckSlot(visit, _spot(box)),
                    reason="delivery",
                    idempotency_key=self.key("delivery", call.collects),
                ),
            )
        yield self.env.timeout(LANE_TO_GATE_S)
        self.send(commands.GateOut(visit, idempotency_key=self.key("gate-out", visit)))
        self.log.truck_turns_s.append(self.env.now - arrived)

    def _outbound_train(self) -> Any:
        traffic = self.traffic
        train = traffic.outbound.id
        yield self.env.timeout(traffic.outbound_arrival_s)
        self.send(commands.ArriveTrain(train, "T2", (), idempotency_key=self.key("arrive", train)))
        self.tracks[train] = "T2"
        jobs = [self.env.process(self._load(number, train)) for number in traffic.outbound_boxes]
        yield simpy.AllOf(self.env, jobs)
        wait = traffic.outbound_departure_s - self.env.now
        if wait > 0:
            yield self.env.timeout(wait)
        self.send(commands.DepartTrain(train, idempotency_key=self.key("depart", train)))
        self.log.train_dwell_s[train] = self.env.now - traffic.outbound_arrival_s

    def _load(self, number: str, train: str) -> Any:
        yield self.in_yard[number]
        yield self.env.timeout(3600)  # customs release and load planning lead time
        crane = cranes.crane_at(self.site, self._x(self.places[number]) or 0.0)
        yield from self._crane_job(
            crane,
            commands.RetrieveContainer(
                ContainerNumber(number),
                None,
                train_id=train,
                reason="load",
                idempotency_key=self.key("load", number),
            ),
        )

    # -- the virtual crane -------------------------------------------------------------------

    def _crane_job(self, crane: Crane, command: commands.Command) -> Any:
        """Wait for the crane, hand it the command and spend the time of its moves."""
        with self.cranes[crane.id].request() as turn:
            yield turn
            result = self.send(command)
            yield from self._work(result["moves"])

    def _work(self, moves: list[dict[str, Any]]) -> Any:
        """Spend the crane time of ``moves`` and learn where each box went."""
        for move in moves:
            crane = self.site.crane(move["crane"])
            origin, destination = self._x(move["from"]), self._x(move["to"])
            origin = origin if origin is not None else destination
            destination = destination if destination is not None else origin
            start = self.crane_x[crane.id]
            travel = abs(start - (origin or start)) + abs(
                (origin or start) - (destination or start)
            )
            seconds = crane.cycle_seconds + travel / crane.gantry_speed_mps
            self.log.moves.append(
                MoveRecord(move["number"], crane.id, move["reason"], self.env.now, seconds)
            )
            yield self.env.timeout(seconds)
            self.crane_x[crane.id] = destination or start
            self.places[move["number"]] = move["to"]

    def _x(self, place_text: str) -> float | None:
        place = parse_place(place_text)
        if isinstance(place, YardSlot):
            return self.site.slot_x(place)
        if isinstance(place, WagonSlot) and place.train in self.tracks:
            return self.site.tracks[self.tracks[place.train]].x_of(place.wagon)
        return None

    def _crane_for(self, container: Container, x: float | None) -> Crane:
        """The crane to take a box in: the reefer or dangerous-goods zone's, or the nearest."""
        areas: tuple[Area, ...] = ()
        if container.needs_power:
            areas = self.site.reefer_areas
        elif container.is_dangerous:
            areas = self.site.dangerous_goods_areas
        if areas:
            area = areas[0]
            x = self.site.block(area.block).x_of(area.first_bay)
        if x is None:
            return min(
                self.site.cranes.values(),
                key=lambda crane: (
                    len(self.cranes[crane.id].queue) + self.cranes[crane.id].count,
                    crane.id,
                ),
            )
        return cranes.crane_at(self.site, x)


def _spot(container: Container) -> Spot:
    return "AB" if container.size_type.is_forty else "A"


def day_start(day: int, first: datetime) -> datetime:
    return first + timedelta(days=day - 1)
