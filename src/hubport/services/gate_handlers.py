"""The truck gate: appointments within window capacity, the automated gate's checks at
the in-gate, the linkage to crane work, and the out-gate's refusals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.gate import (
    Appointment,
    AppointmentChanged,
    AppointmentState,
    GateException,
    GateRefused,
    NumberRead,
    read_number,
)
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import Spot, TruckSlot
from hubport.domain.records import ContainerState
from hubport.domain.visits import TruckVisit
from hubport.services import commands
from hubport.services import gate_commands as gate
from hubport.services.clock import Clock
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.crane_handlers import plan_crane_job
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork

#: A truck may pass the in-gate this early before its window or this late after it.
EARLY, LATE = timedelta(minutes=30), timedelta(minutes=60)
#: Below this the camera's read is not trusted, however valid the number.
MIN_CONFIDENCE = 0.90
#: A truck let in should be served under the crane within this (the drive to the lane and
#: the hub's target of 15 minutes there; assumed): its crane job's due time.
SERVED_WITHIN = timedelta(minutes=20)
#: How far ahead of the hub clock a truck may be booked.
BOOK_AHEAD = timedelta(days=30)
#: How far ahead a full window's answer looks for a free one.
_LOOK_AHEAD_WINDOWS = 48


def summary(appointment: Appointment) -> dict[str, Any]:
    return {
        "appointment": appointment.id,
        "plate": appointment.plate,
        "kind": appointment.kind,
        "box": appointment.number,
        "window": [
            appointment.window_start.astimezone(HUB_TIME).isoformat(),
            appointment.window_end.astimezone(HUB_TIME).isoformat(),
        ],
        "state": appointment.state.value,
        "changes": appointment.changes,
    }


def _window(uow: UnitOfWork, at: datetime, but: str | None = None) -> tuple[datetime, datetime]:
    """The window that holds ``at``, refused when full, naming the next free one."""
    rule = uow.site.gate
    start, end = rule.window_of(at)
    booked = [a for a in uow.appointments.booked_in(start, end) if a.id != but]
    if len(booked) < rule.trucks:
        return start, end
    horizon = end + timedelta(minutes=rule.minutes * _LOOK_AHEAD_WINDOWS)
    for window in rule.windows(end, horizon, uow.appointments.booked_counts(end, horizon)):
        if window.free:
            raise GateRefused(
                f"window {start:%H:%M}-{end:%H:%M}",
                f"is full ({rule.trucks} trucks); the next free window starts {window.start:%H:%M}",
            )
    raise GateRefused(f"window {start:%H:%M}-{end:%H:%M}", f"is full ({rule.trucks} trucks)")


def _bookable(
    uow: UnitOfWork, now: datetime, appointment: str, at: datetime
) -> tuple[datetime, datetime]:
    """The window for ``at``: not over by the hub clock, not beyond the booking horizon,
    and not full."""
    if at > now + BOOK_AHEAD:
        raise GateRefused(
            f"appointment {appointment}",
            f"the gate books at most {BOOK_AHEAD.days} days ahead of the hub clock "
            f"(until {now + BOOK_AHEAD:%Y-%m-%d %H:%M})",
        )
    start, end = _window(uow, at, but=appointment)
    if end <= now:
        raise GateRefused(f"appointment {appointment}", f"its window ended at {end:%H:%M}")
    return start, end


def book_appointment(
    command: gate.BookAppointment, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    book, number = uow.appointments, command.number.value
    if book.find(command.appointment) is not None:
        raise GateRefused(f"appointment {command.appointment}", "is booked already")
    if command.kind == "collect":
        record = uow.inventory.find(number)
        if record is None or record.state is ContainerState.DEPARTED:
            raise GateRefused(
                f"box {number}", "is not at the hub nor announced: nothing to collect"
            )
        taken = [a.id for a in book.open_for(number) if a.kind == "collect"]
        if taken:
            raise GateRefused(
                f"box {number}", f"has an open collection already ({taken[0]}): change it"
            )
    start, end = _bookable(uow, clock.now(), command.appointment, command.at)
    appointment = Appointment(command.appointment, command.plate, command.kind, number, start, end)
    book.put(appointment)
    uow.inventory.note(AppointmentChanged(clock.now(), appointment.id, "booked", start))
    return summary(appointment)


def change_appointment(
    command: gate.ChangeAppointment, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    appointment = uow.appointments.get(command.appointment)
    start, end = _bookable(uow, clock.now(), appointment.id, command.at)
    changed = appointment.moved(start, end)
    uow.appointments.put(changed)
    uow.inventory.note(AppointmentChanged(clock.now(), changed.id, "changed", start))
    return summary(changed)


def cancel_appointment(
    command: gate.CancelAppointment, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    appointment = uow.appointments.get(command.appointment)
    cancelled = appointment.to(AppointmentState.CANCELLED)
    uow.appointments.put(cancelled)
    uow.inventory.note(
        AppointmentChanged(
            clock.now(), cancelled.id, "cancelled", cancelled.window_start, command.reason
        )
    )
    return summary(cancelled)


def truck_at_gate(command: gate.TruckAtGate, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    now, inventory = clock.now(), uow.inventory
    appointment = uow.appointments.find(command.appointment)
    expected = frozenset({appointment.number}) if appointment else frozenset()
    read = read_number(command.read, command.confidence, expected)
    reasons = _appointment_checks(command, appointment, now) + _read_checks(command, read)
    spot: Spot = command.spot or "A"
    if appointment is not None:
        if read.number is not None and read.number != appointment.number:
            reasons.append(f"read {read.number}, the appointment is for {appointment.number}")
        reasons += _box_checks(uow, command, appointment)
        found = inventory.find(appointment.number)
        if found is not None:
            size = found.container.size_type
            spot = command.spot or ("AB" if size.is_forty else "A")
            try:
                TruckSlot(command.visit, spot).check_fits(size)
            except HubportError as error:
                reasons.append(str(error))
    if reasons or appointment is None:  # no appointment is always among the reasons
        inventory.note(GateException(now, command.plate, command.appointment, "; ".join(reasons)))
        return {
            "visit": command.visit,
            "lane": "exception",
            "reasons": reasons,
            "suggestion": read.suggestion,
        }
    number = appointment.number
    collects = (number,) if appointment.kind == "collect" else ()
    truck = TruckVisit(command.visit, command.plate, appointment.id, collects)
    inventory.truck_arrives(truck, now)
    if appointment.kind == "deliver":
        slot = TruckSlot(command.visit, spot)
        inventory.arrive(ContainerNumber(number), slot, now, visit=command.visit)
    uow.appointments.put(appointment.to(AppointmentState.USED))
    note = f"damage: {command.damage}" if command.damage else ""
    inventory.note(AppointmentChanged(now, appointment.id, "used", appointment.window_start, note))
    # the linkage: the box's crane work is planned as the truck comes in
    due = now + SERVED_WITHIN
    if appointment.kind == "deliver":
        job = PlanCraneJob(f"{command.visit}:receipt", ContainerNumber(number), "receipt", due=due)
    else:
        destination = TruckSlot(command.visit, spot)
        job = PlanCraneJob(
            f"{command.visit}:delivery", ContainerNumber(number), "delivery", destination, due
        )
    planned = plan_crane_job(job, uow, clock)
    return {
        "visit": command.visit,
        "lane": "in",
        "box": number,
        "damage": command.damage,
        "crane_jobs": [each["job"] for each in planned["jobs"]],
        # as a train's work answers: the job summaries and the box's own job
        "jobs": planned["jobs"],
        "work": [{"job": planned["job"], "box": number, "to": planned["to"]}],
    }


def _appointment_checks(
    command: gate.TruckAtGate, appointment: Appointment | None, now: datetime
) -> list[str]:
    if appointment is None:
        return [f"no appointment {command.appointment}"]
    reasons = []
    if appointment.state is not AppointmentState.BOOKED:
        reasons.append(f"appointment {appointment.id} is {appointment.state.value}")
    if appointment.plate != command.plate:
        reasons.append(f"plate {command.plate} is not the booked {appointment.plate}")
    start, end = appointment.window_start, appointment.window_end
    if not start - EARLY <= now <= end + LATE:
        start, end = start.astimezone(HUB_TIME), end.astimezone(HUB_TIME)
        reasons.append(f"outside its window {start:%H:%M}-{end:%H:%M}")
    return reasons


def _read_checks(command: gate.TruckAtGate, read: NumberRead) -> list[str]:
    if read.number is None:
        return [f"container number {command.read!r} misread: {read.problem}"]
    if command.confidence < MIN_CONFIDENCE:
        return [f"camera confidence {command.confidence:.2f} below {MIN_CONFIDENCE:.2f}"]
    return []


def _box_checks(uow: UnitOfWork, command: gate.TruckAtGate, appointment: Appointment) -> list[str]:
    number = appointment.number
    record = uow.inventory.find(number)
    if appointment.kind == "deliver":
        if record is None or record.state is not ContainerState.ANNOUNCED:
            return [f"box {number} is not announced for delivery"]
        announced = record.container.seal
        if announced and command.seal != announced:
            return [f"seal {command.seal or 'none'} is not the announced {announced}"]
        return []
    if record is None or record.state is not ContainerState.IN_HUB:
        return [f"box {number} is not in the hub to collect"]
    status = record.container.customs_status
    if not status.may_leave:
        return [f"box {number} may not leave: customs {status.value}"]
    return []


def truck_leaves(command: gate.TruckLeaves, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    inventory, now = uow.inventory, clock.now()
    record = inventory.truck(command.visit)
    if record.state != "on_site":
        raise GateRefused(f"truck {command.visit}", "has left already")
    for number in inventory.boxes_on_truck(command.visit):
        status = inventory.get(number).container.customs_status
        if not status.may_leave:
            raise GateRefused(
                f"truck {command.visit}", f"box {number} is under customs {status.value}"
            )
    boxes = inventory.boxes_on_truck(command.visit)
    for number in boxes:
        refusal = uow.payment_refusal(number, now)
        if refusal is not None:
            raise GateRefused(f"truck {command.visit}", refusal)
    inventory.truck_departs(command.visit, now)
    return {"visit": command.visit, "boxes": boxes, "lane": "out"}


GATE_HANDLERS: Mapping[type[commands.Command], CommandHandler] = {
    gate.BookAppointment: book_appointment,
    gate.ChangeAppointment: change_appointment,
    gate.CancelAppointment: cancel_appointment,
    gate.TruckAtGate: truck_at_gate,
    gate.TruckLeaves: truck_leaves,
}

__all__ = ["EARLY", "GATE_HANDLERS", "LATE", "MIN_CONFIDENCE"]
