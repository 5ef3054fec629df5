"""One handler per futures command: check who asks, load the delivery, take the step.

The step's rules are the domain's (``Delivery``, ``check_slot``, ``inspect``); a handler
adds what needs the store: the day's other bookings, the trains on a shared track, the
tally document kept with its hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.delivery import STEPS, Delivery
from hubport.futures.domain.errors import DeliveryRefused
from hubport.futures.domain.events import SlotBooked
from hubport.futures.domain.inspection import inspect
from hubport.futures.domain.slots import SlotRequest, check_slot
from hubport.futures.domain.tally_document import parse_tally
from hubport.futures.services import commands
from hubport.futures.services.unit_of_work import FuturesUnitOfWork, TallyReceived
from hubport.services.clock import Clock


class RoleRefused(DeliveryRefused):
    """The caller's role (or member code) may not take this step."""


def _may(command: commands.FuturesCommand, step: str, delivery: Delivery | None = None) -> None:
    if command.author is not None and command.author.role not in (command.role, "runtime"):
        raise RoleRefused(
            f"{command.author.account} is {command.author.role}: it cannot act as {command.role}"
        )
    allowed = STEPS[step].roles
    if command.role not in allowed:
        raise RoleRefused(f"only {', '.join(sorted(allowed))} may {step}; {command.role} may not")
    if command.role == "member":
        if not command.party:
            raise RoleRefused("a member acts under its member code (party)")
        if delivery is not None:
            delivery.side_of(command.party)  # refused when neither buyer nor seller


def _summary(delivery: Delivery) -> dict[str, Any]:
    waiting = delivery.open_deadline()
    return {
        "delivery": delivery.id,
        "state": delivery.state.value,
        "deadline": None if waiting is None else {"name": waiting[0], "at": waiting[1].isoformat()},
    }


def match_delivery(
    command: commands.MatchDelivery, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    _may(command, "match")
    if command.matched_on is None or command.settlement_day is None:
        raise DeliveryRefused("a match names its matching day D and settlement day S")
    delivery = Delivery.matched(
        command.delivery,
        uow.site.rules,
        contract=command.contract,
        lots=command.lots,
        buyer=command.buyer,
        seller=command.seller,
        matched_on=command.matched_on,
        settlement_day=command.settlement_day,
        price_cny_per_m3=command.price_cny_per_m3,
        at=clock.now(),
    )
    uow.add(delivery)
    return {**_summary(delivery), "volume_m3": str(delivery.match.volume_m3)}


def book_slot(command: commands.BookSlot, uow: FuturesUnitOfWork, clock: Clock) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "book", delivery)
    if command.role == "member" and command.party != delivery.match.seller:
        raise RoleRefused("only the seller, who brings the goods, books the slot")
    if command.start is None or command.end is None:
        raise DeliveryRefused("a slot names its start and end")
    request = SlotRequest(
        delivery.id, command.track, command.spot, command.start, command.end, command.loads
    )
    day = command.start.astimezone(HUB_TIME).date()
    trains = uow.trains_on(command.track, command.start, command.end)
    check_slot(uow.site, request, uow.booked_on(day), trains)
    delivery.book(
        SlotBooked(
            delivery.id,
            clock.now(),
            command.track,
            command.spot,
            command.start,
            command.end,
            tuple(load.wagon_type for load in command.loads),
            request.volume_m3,
        )
    )
    return {
        **_summary(delivery),
        "slot": f"{command.track}/{command.spot}",
        "volume_m3": str(request.volume_m3),
    }


def record_arrival(
    command: commands.RecordArrival, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "arrive", delivery)
    delivery.arrive(command.carriers, clock.now())
    return _summary(delivery)


def record_tally(
    command: commands.RecordTally, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "inspect", delivery)
    if not command.inspector.strip():
        raise DeliveryRefused("an inspection names its inspector")
    document = parse_tally(command.document.encode(), f"tally of {delivery.id}")
    verdict = inspect(document.tally, delivery.match.volume_m3, uow.site.quality)
    delivery.inspect(
        verdict, len(document.tally.pieces), document.sha256, command.inspector, clock.now()
    )
    uow.tallies.append(TallyReceived(delivery.id, document.sha256, document.tally, document.text))
    return {
        **_summary(delivery),
        "pieces": len(document.tally.pieces),
        "tallied_m3": str(document.tally.volume_m3),
        "accepted_m3": str(verdict.tallied_m3),
        "target_m3": str(verdict.target_m3),
        "passed": verdict.passed,
        "reasons": list(verdict.reasons),
        "sha256": document.sha256,
    }


def raise_dispute(
    command: commands.RaiseDispute, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "dispute", delivery)
    delivery.dispute(command.party or command.role, command.reason, clock.now())
    return _summary(delivery)


def sign_handover(
    command: commands.SignHandover, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "sign", delivery)
    if command.party is None:
        raise RoleRefused("a handover is signed by a member under its member code")
    record = delivery.sign(command.party, clock.now())
    result = _summary(delivery)
    if record is not None:
        result["handover"] = {
            "record": record.record,
            "volume_m3": str(record.volume_m3),
            "tally_sha256": record.tally_sha256,
            "buyer_signed_at": record.buyer_signed_at.isoformat(),
            "seller_signed_at": record.seller_signed_at.isoformat(),
        }
    return result


def record_payment(
    command: commands.RecordPayment, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "pay", delivery)
    amount = delivery.pay(command.milestone, clock.now())
    return {**_summary(delivery), "milestone": command.milestone, "amount_cny": str(amount)}


def declare_default(
    command: commands.DeclareDefault, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    delivery = uow.get(command.delivery)
    _may(command, "default", delivery)
    if not command.reason.strip():
        raise DeliveryRefused("a default names its reason")
    delivery.default(command.defaulter, command.reason, clock.now())
    return {**_summary(delivery), "defaulter": command.defaulter}


def watch_deadlines(
    command: commands.WatchDeadlines, uow: FuturesUnitOfWork, clock: Clock
) -> dict[str, Any]:
    """Alarms for deadlines within the alarm time; the seller's default after a missed
    arrival deadline. Level-triggered: run again, it finds nothing new."""
    if command.role not in ("runtime", "admin"):
        raise RoleRefused(f"only the runtime watches the deadlines; {command.role} may not")
    now = clock.now()
    alarms, defaults = [], []
    for delivery_id in uow.open_deliveries(now + uow.site.rules.alarm_before):
        delivery = uow.get(delivery_id)
        if (default := delivery.overdue(now)) is not None:
            defaults.append(
                {"delivery": delivery.id, "party": default.party, "reason": default.reason}
            )
        elif (alarm := delivery.warn(now)) is not None:
            alarms.append(
                {"delivery": delivery.id, "deadline": alarm.deadline, "due": alarm.due.isoformat()}
            )
    return {"alarms": alarms, "defaults": defaults}


Handler = Callable[[Any, FuturesUnitOfWork, Clock], dict[str, Any]]
FUTURES_HANDLERS: Mapping[type, Handler] = {
    commands.MatchDelivery: match_delivery,
    commands.BookSlot: book_slot,
    commands.RecordArrival: record_arrival,
    commands.RecordTally: record_tally,
    commands.RaiseDispute: raise_dispute,
    commands.SignHandover: sign_handover,
    commands.RecordPayment: record_payment,
    commands.DeclareDefault: declare_default,
    commands.WatchDeadlines: watch_deadlines,
}

__all__ = ["FUTURES_HANDLERS", "RoleRefused"]
