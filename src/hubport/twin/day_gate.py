"""The trucks of a simulated day at the automated gate: each books its appointment in the
window of its arrival (a full window: the next one, and it comes then), passes the
in-gate (the transaction plans its crane work), and leaves by the out-gate."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.gate import GateRefused
from hubport.services.gate_commands import (
    BookAppointment,
    ChangeAppointment,
    TruckAtGate,
    TruckLeaves,
)
from hubport.services.gate_handlers import EARLY, LATE
from hubport.twin.traffic import TruckCall

if TYPE_CHECKING:
    from hubport.twin.day import HubDay

#: How sure the gate's camera is of a box number it reads (the day's reads are right).
CAMERA_CONFIDENCE = 0.98
#: The camera, the checks and the drive to the crane's lane.
GATE_TO_LANE_S = 240.0
#: The drive back and the out-gate check.
LANE_TO_GATE_S = 180.0


class GateTrucks:
    def __init__(self, day: HubDay):
        self.day = day
        #: The start of each truck's booked window.
        self.window_of: dict[str, datetime] = {}

    def book(self, call: TruckCall) -> None:
        """The haulier books the truck's appointment in the window of its arrival."""
        number = call.delivers.number if call.delivers else ContainerNumber(call.collects or "")
        kind = "deliver" if call.delivers else "collect"
        at = self.day.traffic.start + timedelta(seconds=call.arrival_s)
        for attempt in range(48):  # a full window: the haulier takes the next one
            booking = BookAppointment(
                call.truck.id,
                call.truck.plate,
                kind,
                number,
                at,
                idempotency_key=self.day.key("appointment-booking", call.truck.id, str(attempt)),
            )
            try:
                booked = self.day.send(booking)
            except GateRefused:
                at += timedelta(minutes=self.day.site.gate.minutes)
                continue
            self.window_of[call.truck.id] = datetime.fromisoformat(booked["window"][0])
            return
        raise HubportError(f"no gate window for truck {call.truck.id} in a day")

    def through(self, call: TruckCall) -> Any:
        """The truck at the automated gate on its appointment: the camera reads its box,
        the gate lets it in and plans the crane work, and lets it out when the box is on
        (or off) it. A truck come to collect waits outside until customs has released."""
        visit = call.truck.id
        number = call.delivers.number.value if call.delivers else call.collects
        if number is None:
            raise HubportError(f"truck call {visit} neither delivers nor collects a box")
        opens = self.window_of[visit]
        early = (opens - EARLY - self.day.now()).total_seconds()
        if early > 0:  # its booked window is a later one: it comes then
            yield self.day.env.timeout(early)
        if call.collects is not None and call.collects in self.day.ready:
            yield self.day.ready[call.collects]
        if self.day.now() > opens + timedelta(minutes=self.day.site.gate.minutes) + LATE:
            # waited past its window for customs: the haulier moves the appointment
            moved = self.day.send(
                ChangeAppointment(
                    visit, self.day.now(), idempotency_key=self.day.key("rebook", visit)
                )
            )
            self.window_of[visit] = datetime.fromisoformat(moved["window"][0])
        arrived = self.day.env.now
        # the camera, the checks and the drive to the crane's lane take GATE_TO_LANE_S;
        # the transaction (and the crane work it plans) is recorded as the truck is there
        yield self.day.env.timeout(GATE_TO_LANE_S)
        seal = call.delivers.seal if call.delivers else None
        at_gate = TruckAtGate(
            visit,
            call.truck.plate,
            visit,
            number,
            CAMERA_CONFIDENCE,
            seal=seal,
            spot=call.spot,
            idempotency_key=self.day.key("gate-in", visit),
        )
        self.day.clock.set(max(self.day.clock.now(), self.day.now()))
        result, done = self.day.floor_driver().work(at_gate)
        if result["lane"] != "in" and call.collects is not None:
            # a hold the twin's customs office did not place (an officer at the console):
            # the haulier is told at the gate, and the truck leaves without the box
            self.day.log.turned_away[visit] = str(result["reasons"])
            return
        if result["lane"] != "in":
            raise HubportError(f"truck {visit} sent to the exception lane: {result['reasons']}")
        yield done[number]
        if call.delivers is not None:
            self.day.ready[number].succeed()
        yield self.day.env.timeout(LANE_TO_GATE_S)
        self.day.send(TruckLeaves(visit, idempotency_key=self.day.key("gate-out", visit)))
        self.day.log.truck_turns_s.append(self.day.env.now - arrived)


__all__ = ["CAMERA_CONFIDENCE", "GATE_TO_LANE_S", "LANE_TO_GATE_S", "GateTrucks"]
