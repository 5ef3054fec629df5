"""Customs at the supervised site: declarations, the automatic arrival report, holds,
inspections, releases and transit carried over, each box's customs status kept in step.

A box's status follows its customs record: an open hold or inspection order holds it;
otherwise its declaration in force says it (lodged: declared; arrival reported or
selected: arrived; released: released). The load planner, the crane work and every
departure read that status, so a held box never leaves on any carrier.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from hubport.domain.container import ContainerNumber, CustomsStatus
from hubport.domain.customs import (
    CustomsRefused,
    Declaration,
    DeclarationState,
    Hold,
    HoldChanged,
    UndeclaredArrival,
)
from hubport.domain.errors import HubportError
from hubport.domain.events import ContainerAnnounced, ContainerArrived, ContainerMoved, Event
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import Spreader, TruckSlot, VesselCell, WagonSlot
from hubport.domain.records import ContainerState
from hubport.services import customs_commands as customs
from hubport.services import inspection_moves
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.messagebus import CommandHandler, EventHandler
from hubport.services.unit_of_work import UnitOfWork

_STATUS = {
    DeclarationState.LODGED: CustomsStatus.DECLARED,
    DeclarationState.ARRIVED: CustomsStatus.ARRIVED,
    DeclarationState.SELECTED: CustomsStatus.ARRIVED,
    DeclarationState.RELEASED: CustomsStatus.RELEASED,
}


class RoleRefused(HubportError):
    """A role asked for a step that it may not take."""


def _may(role: str, allowed: Iterable[str], what: str) -> None:
    if role not in customs.ROLES:
        raise RoleRefused(f"role {role!r} is not one of {', '.join(customs.ROLES)}")
    if role not in allowed:
        raise RoleRefused(f"only {' or '.join(allowed)} may {what}; {role} may not")


def _declarant(role: str, what: str) -> None:
    _may(role, ("operator", "shipper", "admin", "customs"), what)


def summary(declaration: Declaration) -> dict[str, Any]:
    return {
        "declaration": declaration.id,
        "kind": declaration.kind,
        "state": declaration.state.value,
        "boxes": list(declaration.boxes),
        "legs": [str(leg) for leg in declaration.legs],
        "office": declaration.office,
        "continues": declaration.continues,
        "lodged_at": hub_time_text(declaration.lodged_at),
        "arrived_at": hub_time_text(declaration.arrived_at),
        "released_at": hub_time_text(declaration.released_at),
    }


def hub_time_text(moment: datetime | None) -> str | None:
    """A time as ISO 8601 text in hub time (China Standard Time), as people read it."""
    return moment.astimezone(HUB_TIME).isoformat() if moment is not None else None


def sync_status(uow: UnitOfWork, numbers: Iterable[str], at: datetime, reason: str) -> None:
    """Set each known box's customs status from its customs record."""
    inventory, book = uow.inventory, uow.customs
    for number in numbers:
        record = inventory.find(number)
        if record is None or record.state is ContainerState.DEPARTED:
            continue
        if any(hold.open for hold in book.holds_on(number)):
            status = CustomsStatus.HELD
        else:
            declaration = book.current(number)
            if declaration is None or declaration.state not in _STATUS:
                continue
            status = _STATUS[declaration.state]
        inventory.set_customs_status(record.container.number, status, reason, at)


def _change(
    uow: UnitOfWork, declaration: Declaration, to: DeclarationState, at: datetime, note: str
) -> Declaration:
    changed, event = declaration.advance(to, at, note)
    uow.customs.put(changed)
    uow.inventory.note(event)
    sync_status(uow, changed.boxes, at, note or f"declaration {changed.id} {to.value}")
    return changed


def _in_supervised_area(uow: UnitOfWork, numbers: Iterable[str]) -> list[str]:
    """The boxes already set down in the hub (in the yard or on a truck at the gate)."""
    found = []
    for number in numbers:
        record = uow.inventory.find(number)
        if (
            record is not None
            and record.state is ContainerState.IN_HUB
            and record.place is not None
            and record.place.kind in ("yard", "truck")
        ):
            found.append(number)
    return found


def lodge_declaration(
    command: customs.LodgeDeclaration, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    _declarant(command.role, "lodge a declaration")
    now = clock.now()
    numbers = tuple(number.value for number in command.numbers)
    book = uow.customs
    for number in numbers:
        open_ = [d for d in book.of_boxes([number]) if d.open and d.id != command.declaration]
        if open_:
            raise CustomsRefused(
                f"box {number}", f"is declared already under {open_[0].id} ({open_[0].state.value})"
            )
    declaration = Declaration(
        command.declaration,
        command.kind,
        numbers,
        command.legs,
        command.office,
        now,
        continues=command.continues,
    )
    uow.inventory.note(book.lodge(declaration))
    sync_status(uow, numbers, now, f"declaration {declaration.id} lodged")
    here = _in_supervised_area(uow, numbers)
    if here:  # lodged after arrival: the report follows at once, the boxes being here
        declaration = _change(
            uow, declaration, DeclarationState.ARRIVED, now, f"arrival report: {here[0]} is here"
        )
    return summary(declaration)


def continue_transit(
    command: customs.ContinueTransit, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    _declarant(command.role, "carry a transit on")
    previous = uow.customs.get(command.previous)
    if previous.kind != "transit":
        raise CustomsRefused(f"declaration {previous.id}", f"is {previous.kind}, not transit")
    if previous.state is not DeclarationState.RELEASED:
        raise CustomsRefused(
            f"declaration {previous.id}", f"is {previous.state.value}: release it first"
        )
    lodged = lodge_declaration(
        customs.LodgeDeclaration(
            command.declaration,
            "transit",
            tuple(ContainerNumber(n) for n in previous.boxes),
            command.legs,
            previous.office,
            continues=previous.id,
            role=command.role,
        ),
        uow,
        clock,
    )
    return {**lodged, "derived_from": previous.id}


def report_arrival_manually(
    command: customs.ReportArrival, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    _declarant(command.role, "report an arrival")
    declaration = uow.customs.get(command.declaration)
    if declaration.state is not DeclarationState.LODGED:
        raise CustomsRefused(
            f"declaration {declaration.id}", f"is {declaration.state.value}: arrival reported"
        )
    changed = _change(
        uow, declaration, DeclarationState.ARRIVED, clock.now(), "arrival report (manual)"
    )
    return summary(changed)


def select_for_inspection(
    command: customs.SelectForInspection, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    _may(command.role, ("customs",), "select a box for inspection")
    declaration = uow.customs.get(command.declaration)
    number = command.number.value
    if number not in declaration.boxes:
        raise CustomsRefused(f"box {number}", f"is not covered by {declaration.id}")
    now = clock.now()
    _place(uow, command.hold_id, number, "inspection", command.reason, now)
    if declaration.state is not DeclarationState.SELECTED:
        declaration = _change(uow, declaration, DeclarationState.SELECTED, now, command.reason)
    moves = inspection_moves.to_inspection(uow, clock, command.hold_id, number)
    return {**summary(declaration), "hold": command.hold_id, **moves}


def place_hold(command: customs.PlaceHold, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    _may(command.role, ("customs",), "place a hold")
    number = command.number.value
    if uow.inventory.get(number).state is ContainerState.DEPARTED:
        raise CustomsRefused(f"box {number}", "has left the hub")
    _place(uow, command.hold_id, number, "hold", command.reason, clock.now())
    return {"hold": command.hold_id, "number": number, "status": uow.customs.status_of(number)}


def _place(
    uow: UnitOfWork, hold_id: str, number: str, kind: str, reason: str, at: datetime
) -> None:
    book = uow.customs
    book.holds_on(number)
    if hold_id in book.holds:
        raise CustomsRefused(f"hold {hold_id}", "exists already")
    book.put_hold(Hold(hold_id, number, kind, reason, at))
    uow.inventory.note(HoldChanged(at, hold_id, number, kind, True, reason))
    sync_status(uow, [number], at, f"customs {kind}: {reason}")


def lift_hold(command: customs.LiftHold, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    _may(command.role, ("customs",), "lift a hold")
    book, now = uow.customs, clock.now()
    hold = _find_hold(uow, command.hold_id)
    if not hold.open:
        raise CustomsRefused(f"hold {hold.id}", f"was lifted at {hold.lifted_at}")
    book.put_hold(dataclasses.replace(hold, lifted_at=now))
    uow.inventory.note(HoldChanged(now, hold.id, hold.number, hold.kind, False, command.reason))
    declaration = book.current(hold.number)
    if (
        hold.kind == "inspection"
        and declaration is not None
        and declaration.state is DeclarationState.SELECTED
        and not any(
            h.open and h.kind == "inspection" for n in declaration.boxes for h in book.holds_on(n)
        )
    ):
        _change(uow, declaration, DeclarationState.ARRIVED, now, f"inspected: {command.reason}")
    sync_status(uow, [hold.number], now, f"customs lifted {hold.kind}: {command.reason}")
    moves = (
        inspection_moves.from_inspection(uow, clock, hold.id, hold.number)
        if hold.kind == "inspection"
        else {}
    )
    return {
        "hold": hold.id,
        "number": hold.number,
        "status": book.status_of(hold.number),
        **moves,
    }


def _find_hold(uow: UnitOfWork, hold_id: str) -> Hold:
    found = uow.customs.hold(hold_id)
    if found is None:
        raise CustomsRefused(f"hold {hold_id}", "is not known")
    uow.customs.holds_on(found.number)  # the box's other holds, for its status
    return found


def release_declaration(
    command: customs.ReleaseDeclaration, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    _may(command.role, ("customs",), "release a declaration")
    declaration = uow.customs.get(command.declaration)
    changed = _change(
        uow, declaration, DeclarationState.RELEASED, clock.now(), command.note or "released"
    )
    held = [n for n in changed.boxes if uow.customs.status_of(n) == "held"]
    return {**summary(changed), "still_held": held}


def cancel_declaration(
    command: customs.CancelDeclaration, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    _declarant(command.role, "cancel a declaration")
    declaration = uow.customs.get(command.declaration)
    return summary(
        _change(uow, declaration, DeclarationState.CANCELLED, clock.now(), command.reason)
    )


def issue_arrival_report(event: Event, uow: UnitOfWork, clock: Clock) -> None:
    """The first set-down of a declared box in the supervised area (off a train or barge
    into the yard or onto a truck, or in through the gate) issues its declaration's
    arrival report; nobody triggers it. A box that comes on an international train with
    no declaration is flagged as it arrives."""
    if isinstance(event, ContainerArrived):
        if isinstance(event.place, TruckSlot):
            _report(uow, event.number.value, str(event.place), event.at)
        else:
            _flag_undeclared(uow, event)
    elif isinstance(event, ContainerMoved) and not isinstance(event.destination, Spreader):
        _report(uow, event.number.value, str(event.destination), event.at)


def _report(uow: UnitOfWork, number: str, place: str, at: datetime) -> None:
    record = uow.inventory.get(number)
    status = record.container.customs_status
    if status in (CustomsStatus.NOT_REQUIRED, CustomsStatus.RELEASED, CustomsStatus.ARRIVED):
        return
    declaration = uow.customs.current(number)
    note = f"arrival report: {number} set down at {place}"
    if declaration is None:
        if status is CustomsStatus.DECLARED:  # declared outside hubport (a CUSRES, say)
            number_ = record.container.number
            uow.inventory.set_customs_status(number_, CustomsStatus.ARRIVED, note, at)
        return
    if declaration.state is DeclarationState.LODGED:
        _change(uow, declaration, DeclarationState.ARRIVED, at, note)


def _flag_undeclared(uow: UnitOfWork, event: ContainerArrived) -> None:
    if event.visit is None or not _from_abroad(uow, event):
        return  # a domestic train or vessel: its boxes need no declaration here
    number = event.number.value
    status = uow.inventory.get(number).container.customs_status
    if status is CustomsStatus.NOT_REQUIRED and uow.customs.current(number) is None:
        uow.inventory.note(UndeclaredArrival(event.at, number, str(event.place)))


def _from_abroad(uow: UnitOfWork, event: ContainerArrived) -> bool:
    """True when the box came on an international train or a vessel from abroad."""
    country = uow.site.locode[:2]
    if isinstance(event.place, WagonSlot) and event.visit is not None:
        train = uow.inventory.find_train(event.visit)
        service = uow.site.train_services.get(train.train.service) if train else None
        return service is not None and service.origin[:2] != country
    if isinstance(event.place, VesselCell) and event.visit is not None:
        call = uow.inventory.find_vessel(event.visit)
        origin = call.call.origin if call is not None else None
        return origin is not None and origin[:2] != country
    return False


CUSTOMS_HANDLERS: Mapping[type[Command], CommandHandler] = {
    customs.LodgeDeclaration: lodge_declaration,
    customs.ContinueTransit: continue_transit,
    customs.ReportArrival: report_arrival_manually,
    customs.SelectForInspection: select_for_inspection,
    customs.PlaceHold: place_hold,
    customs.LiftHold: lift_hold,
    customs.ReleaseDeclaration: release_declaration,
    customs.CancelDeclaration: cancel_declaration,
}


def take_declaration_on(event: Event, uow: UnitOfWork, clock: Clock) -> None:
    """A box declared before its pre-advice takes its declaration's status as it is
    announced (an advance declaration may come first)."""
    if isinstance(event, ContainerAnnounced):
        number = event.container.number.value
        sync_status(uow, [number], event.at, "declared before its pre-advice")


CUSTOMS_EVENT_HANDLERS: Mapping[type[Event], Sequence[EventHandler]] = {
    ContainerAnnounced: [take_declaration_on],
    ContainerMoved: [issue_arrival_report],
    ContainerArrived: [issue_arrival_report],
}

__all__ = [
    "CUSTOMS_EVENT_HANDLERS",
    "CUSTOMS_HANDLERS",
    "RoleRefused",
    "hub_time_text",
    "summary",
    "sync_status",
]
