"""A day at the hub: the seeded traffic of ``traffic.py`` run through the real services.

SimPy plays time, the cranes and the carriers; every change goes through the message bus
as a command with an idempotency key. A crane job is a pick (the box is lifted when the
crane has reached it and locked on) then a set-down (when it lands), each a command at
its own moment, so the event log holds the true times. The simulation learns the yard
only from command results, and a repeated key returns the first result, so a day killed
half-way and run again replays what was done, identically, and carries on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import simpy

from hubport.cranes.floor import CraneFloor, Equipment
from hubport.domain.container import Container, ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.places import Place, Spot, TruckSlot, WagonSlot
from hubport.domain.site import Site
from hubport.planning import cranes
from hubport.planning.load_plan_rules import HELD
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.messagebus import MessageBus
from hubport.services.train_commands import DischargeTrain, LoadTrain
from hubport.twin import customs_office
from hubport.twin.day_floor import CRANE_STEP_S, FloorDriver
from hubport.twin.day_gate import GATE_TO_LANE_S, LANE_TO_GATE_S, GateTrucks
from hubport.twin.day_log import DayLog
from hubport.twin.day_river import RiverShuttles
from hubport.twin.day_zones import ZoneCranes
from hubport.twin.traffic import DayTraffic, InboundTrain, OutboundTrain, TruckCall

Progress = Callable[[float, str], None]

#: Loading tracks under the cranes.
TRACKS = ("T1", "T2")
#: How soon a truck under the crane should be served (its job's due time).
TRUCK_SERVICE_S = 900.0
#: A day whose crane jobs are still open this long after it began is stuck.
STUCK_AFTER_S = 36 * 3600.0


class HubDay:
    """Runs one day of traffic against a message bus whose clock it owns.

    ``yard_at_start`` gives, for boxes that came on earlier days and leave today, the
    yard slot each stood in when the day began (the read side answers it from the event
    log, so a resumed day sees the same as the first run).

    By default each crane works its own zone, a job at a time (the fixed-zone model). With
    ``dispatch``, the crane floor runs the day instead: crane jobs, the dispatcher and a
    virtual controller per crane (in process, or on ``equipment``: the MQTT bus, paced at
    ``pace`` simulated seconds per second); each day's cranes start at their homes.
    """

    def __init__(
        self,
        bus: MessageBus,
        clock: ManualClock,
        site: Site,
        traffic: DayTraffic,
        key_prefix: str,
        yard_at_start: Mapping[str, Place | None],
        dispatch: bool = False,
        equipment: Equipment | None = None,
        pace: float | None = None,
        held: Callable[[str], bool] = lambda _number: False,
    ):
        self.bus, self.clock, self.site, self.traffic = bus, clock, site, traffic
        #: Whether a box is under a customs hold now (one placed from outside the day,
        #: such as an officer's at the console, is not in the twin's own model).
        self.held = held
        self.prefix = key_prefix
        self.env = simpy.Environment()
        self.tracks = simpy.Store(self.env, capacity=len(TRACKS))
        self.tracks.items.extend(TRACKS)
        self.track_of: dict[str, str] = {}
        self.floor: CraneFloor | None = None
        if dispatch:
            self.floor = CraneFloor(
                bus,
                site,
                clock,
                step_s=CRANE_STEP_S,
                equipment=equipment,
                track_of=self.track_of.get,
                message_ids=self.key("equipment"),
            )
        self.ready: dict[str, simpy.Event] = {}
        self.containers: dict[str, Container] = {}
        #: Each declaration's release by customs, once its arrival report is out.
        self.log = DayLog()
        self.zones = ZoneCranes(self, yard_at_start)
        self.gate = GateTrucks(self)
        self.customs = customs_office.CustomsOffice(self)
        self.river = RiverShuttles(self)
        self.failure: HubportError | None = None
        self.driver: FloorDriver | None = None
        if self.floor is not None:
            self.driver = FloorDriver(self.env, self.floor, clock, traffic.start, self.log, pace)

    # -- running ------------------------------------------------------------------------

    def run(self, progress: Progress | None = None) -> DayLog:
        traffic = self.traffic
        for number in traffic.arriving:
            self.ready[number] = self.env.event()
        self._pre_advice()
        steps = [self._inbound_train(train) for train in traffic.inbound]
        steps += [self._outbound_train(train) for train in traffic.outbound]
        steps += [self._truck(call) for call in traffic.trucks]
        if traffic.barge is not None:
            steps += self.river.steps(traffic.barge)
        processes = [self.env.process(self.guarded(step)) for step in steps]
        finished = simpy.AllOf(self.env, processes)
        if self.floor is not None:
            self.env.process(self.guarded(self.floor_driver().run()))
        horizon = 24 * 3600.0
        while not finished.processed:
            if self.failure is not None:
                raise self.failure
            if self.floor is not None and self.env.now > STUCK_AFTER_S and self.floor.busy:
                waiting = next(iter(self.floor.control.jobs), "?")
                raise HubportError(
                    f"day {traffic.day} is stuck at {self._clock_text()}: crane job "
                    f"{waiting} has waited since the day began (no crane can do it)"
                )
            if self.env.peek() == float("inf"):
                raise HubportError(
                    f"day {traffic.day} is stuck at {self._clock_text()}: "
                    "some carrier waits for a box that never comes"
                )
            self.env.run(until=min(self.env.now + 300, self.env.peek() + 300))
            if progress is not None:
                progress(min(self.env.now / horizon, 1.0), self._clock_text())
        if self.failure is not None:
            raise self.failure
        self.log.end_s = self.env.now
        if progress is not None:
            progress(1.0, self._clock_text())
        return self.log

    def guarded(self, step: Any) -> Any:
        """Run a process; a refused command stops the day with the hub's own error."""
        try:
            yield from step
        except HubportError as error:
            if self.failure is None:
                self.failure = error

    def _clock_text(self) -> str:
        return (self.traffic.start + timedelta(seconds=self.env.now)).strftime("%H:%M")

    def now(self) -> datetime:
        return self.traffic.start + timedelta(seconds=self.env.now)

    def send(self, command: commands.Command) -> dict[str, Any]:
        """Hand one command to the bus at the current simulated time."""
        self.clock.set(max(self.clock.now(), self.now()))
        outcome = self.bus.handle(command)
        self.log.commands += 1
        self.log.repeats += outcome.repeat
        return outcome.result

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # -- pre-advice ---------------------------------------------------------------------

    def _pre_advice(self) -> None:
        """Register the day's trains, announce the boxes trucks will bring, and lodge the
        advance declarations of the inbound trains' boxes (announced by their COPRAR)."""
        traffic = self.traffic
        for inbound in traffic.inbound:
            self.send(
                commands.RegisterTrain(
                    inbound.visit, idempotency_key=self.key("register", inbound.visit.id)
                )
            )
        for outbound in traffic.outbound:
            self.send(
                commands.RegisterTrain(
                    outbound.visit, idempotency_key=self.key("register", outbound.visit.id)
                )
            )
        for call in traffic.trucks:
            if self.floor is not None:
                self.gate.book(call)
            if call.delivers is not None:
                self.containers[call.delivers.number.value] = call.delivers
                self.send(
                    commands.AnnounceContainer(
                        call.delivers,
                        idempotency_key=self.key("appointment", call.delivers.number.value),
                    )
                )
        if traffic.barge is not None:
            self.river.pre_advice(traffic.barge)
        for train in traffic.inbound:
            for container, _slot in train.consist:
                self.containers[container.number.value] = container
            # the declarants lodge in advance: the arrival reports follow by themselves
            for declaration in customs_office.declarations(train):
                key = self.key("declare", declaration.declaration)
                self.send(dataclasses.replace(declaration, idempotency_key=key))
                for number in declaration.numbers:
                    self.customs.declaration_of[number.value] = declaration.declaration

    # -- trains -------------------------------------------------------------------------

    def _inbound_train(self, train: InboundTrain) -> Any:
        train_id = train.visit.id
        yield self.env.timeout(train.arrival_s)
        track = yield self.tracks.get()
        arrived = self.env.now
        consist = tuple((container.number, slot) for container, slot in train.consist)
        self.send(
            commands.ArriveTrain(
                train_id, track, consist, idempotency_key=self.key("arrive", train_id)
            )
        )
        self.track_of[train_id] = track
        if self.floor is not None:
            self.customs.select_on_arrival(train)
            # the discharge list becomes crane work by itself, in working order
            _result, done = self.floor_driver().work(
                DischargeTrain(
                    train_id,
                    job_prefix=self.key("discharge"),
                    idempotency_key=self.key("discharge-list", train_id),
                )
            )
            jobs = [
                self.env.process(self.guarded(self._released_after(done[c.number.value], c)))
                for c, _slot in train.consist
            ]
        else:
            jobs = [
                self.env.process(self.guarded(self._discharge(container, slot)))
                for container, slot in train.consist
            ]
        yield simpy.AllOf(self.env, jobs)
        self.send(commands.DepartTrain(train_id, idempotency_key=self.key("depart", train_id)))
        yield self.tracks.put(track)
        self.log.train_dwell_s[train_id] = self.env.now - arrived

    def _released_after(self, discharged: simpy.Event, container: Container) -> Any:
        yield discharged
        yield from self.customs.cleared(container)

    def _discharge(self, container: Container, slot: WagonSlot) -> Any:
        crane = cranes.crane_for_receipt(self.site, container, self.x_of(slot), self.zones.queued())
        yield from self.zones.job(crane, container.number, "discharge")
        yield from self.customs.cleared(container)

    def _outbound_train(self, train: OutboundTrain) -> Any:
        train_id = train.visit.id
        yield self.env.timeout(train.arrival_s)
        track = yield self.tracks.get()
        arrived = self.env.now
        self.send(
            commands.ArriveTrain(train_id, track, (), idempotency_key=self.key("arrive", train_id))
        )
        self.track_of[train_id] = track
        spots: dict[str, WagonSlot] = {}
        done: dict[str, simpy.Event] = {}
        if self.floor is not None:
            # the load plan (CP-SAT) gives every booked box in the yard its wagon slot,
            # and the boxes cleared to leave their crane jobs, in working order
            load = LoadTrain(
                train_id,
                tuple(ContainerNumber(n) for n in train.boxes),
                job_prefix=self.key("load"),
                idempotency_key=self.key("loadplan", train_id),
            )
            plan, done = self.floor_driver().work(load)
            spots = {
                a["box"]: WagonSlot(train_id, int(a["wagon"]), a["position"])
                for a in plan["assignments"]
            }
            self.log.load_plans[train_id] = plan
            for box in plan["left_behind"]:
                if box["reason"] == HELD:  # held by customs: it stays in the yard
                    self.log.held_back[box["box"]] = train_id
        jobs = [
            self.env.process(
                self.guarded(
                    FloorDriver.waited(done[number])
                    if number in done
                    else self._load(number, train_id, spots.get(number))
                )
            )
            for number in train.boxes
            if number not in self.log.held_back
        ]
        yield simpy.AllOf(self.env, jobs)
        wait = train.departure_s - self.env.now
        if wait > 0:
            yield self.env.timeout(wait)
        self.send(commands.DepartTrain(train_id, idempotency_key=self.key("depart", train_id)))
        yield self.tracks.put(track)
        self.log.train_dwell_s[train_id] = self.env.now - arrived

    def _load(self, number: str, train_id: str, spot: WagonSlot | None = None) -> Any:
        if number in self.ready:
            yield self.ready[number]
        if self.floor is not None:
            train = next(t for t in self.traffic.outbound if t.visit.id == train_id)
            yield from self._floor_job(
                ContainerNumber(number),
                "load",
                destination=spot,
                train_id=train_id,
                due_s=train.departure_s,
            )
            return
        crane = self.site.crane(self.zones.crane_of(number))
        yield from self.zones.job(crane, ContainerNumber(number), "load", train_id=train_id)

    # -- trucks -------------------------------------------------------------------------

    def _truck(self, call: TruckCall) -> Any:
        yield self.env.timeout(call.arrival_s)
        if self.floor is not None:
            yield from self.gate.through(call)
            return
        arrived = self.env.now
        visit = call.truck.id
        boxes: tuple[tuple[ContainerNumber, Spot], ...] = ()
        if call.delivers is not None:
            boxes = ((call.delivers.number, call.spot),)
        self.send(commands.GateIn(call.truck, boxes, idempotency_key=self.key("gate-in", visit)))
        yield self.env.timeout(GATE_TO_LANE_S)
        if call.delivers is not None:
            container = call.delivers
            if self.floor is not None:
                due = self.env.now + TRUCK_SERVICE_S
                yield from self._floor_job(container.number, "receipt", due_s=due)
            else:
                crane = cranes.crane_for_receipt(self.site, container, None, self.zones.queued())
                yield from self.zones.job(crane, container.number, "receipt")
            self.ready[container.number.value].succeed()
        if call.collects is not None:
            if call.collects in self.ready:
                yield self.ready[call.collects]
            if self.floor is not None:
                yield from self._floor_job(
                    ContainerNumber(call.collects),
                    "delivery",
                    destination=TruckSlot(visit, call.spot),
                    due_s=self.env.now + TRUCK_SERVICE_S,
                )
            else:
                crane = self.site.crane(self.zones.crane_of(call.collects))
                yield from self.zones.job(
                    crane,
                    ContainerNumber(call.collects),
                    "delivery",
                    destination=TruckSlot(visit, call.spot),
                )
        yield self.env.timeout(LANE_TO_GATE_S)
        self.send(commands.GateOut(visit, idempotency_key=self.key("gate-out", visit)))
        self.log.truck_turns_s.append(self.env.now - arrived)

    def _floor_job(
        self,
        number: ContainerNumber,
        reason: str,
        destination: Place | None = None,
        train_id: str | None = None,
        due_s: float | None = None,
    ) -> Any:
        job = self.key(reason, number.value)
        yield from self.floor_driver().job(job, number, reason, destination, train_id, due_s)

    def floor_driver(self) -> FloorDriver:
        if self.driver is None:
            raise HubportError("this day runs its cranes by fixed zones")
        return self.driver

    def x_of(self, place: Place) -> float | None:
        return cranes.place_x(self.site, place, self.track_of.get)
