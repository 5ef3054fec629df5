"""The log-futures delivery site on the API (``/api/futures``): the exchange posts its
matches and payments, the seller books a slot, the site records the arrival, the
inspector the tally (the measuring station's CSV as the body), the members sign the
handover; everyone concerned reads the deliveries, the slots, the alarms and the daily
report. A member sees and acts on its own deliveries only.

Every write is one command on the futures desk under the caller's name and role; the
writes that come from outside systems carry a key, so the same request again answers
the same and changes nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field

from hubport.domain.access import User
from hubport.entrypoints.api.actors import Identifier
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubDay, HubMoment
from hubport.entrypoints.api.security import allow, authored
from hubport.futures.bootstrap import FuturesDesk
from hubport.futures.domain.delivery import Delivery
from hubport.futures.domain.slots import WagonLoad
from hubport.futures.services import commands as futures

router = APIRouter(prefix="/api/futures", responses=ERROR_RESPONSES, tags=["futures"])

#: Who reads the deliveries (a member: its own), who takes each kind of step.
READERS = ("exchange", "member", "inspector", "operator", "viewer", "admin")
EXCHANGE = ("exchange", "admin")
SITE = ("operator", "admin")
BOOKERS = ("operator", "member", "admin")
INSPECTORS = ("inspector", "admin")
SIGNERS = ("member", "admin")
DISPUTERS = ("member", "exchange", "admin")
#: A tally is a few thousand rows; a body beyond this is not one.
MAX_TALLY_BYTES = 2_000_000

Money = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
Volume = Annotated[Decimal, Field(gt=0, max_digits=8, decimal_places=3)]


class MatchRequest(BaseModel):
    delivery: Identifier
    contract: str = Field(pattern=r"^LG\d{4}$", examples=["LG2509"])
    lots: int = Field(ge=1, le=10_000)
    buyer: str = Field(min_length=1, max_length=20, pattern="^[A-Za-z0-9]+$")
    seller: str = Field(min_length=1, max_length=20, pattern="^[A-Za-z0-9]+$")
    matched_on: HubDay
    settlement_day: HubDay
    price_cny_per_m3: Money


class WagonLoadRequest(BaseModel):
    wagon_type: str = Field(min_length=1, max_length=12, examples=["C70"])
    volume_m3: Volume


class SlotRequest(BaseModel):
    track: str = Field(min_length=1, max_length=16)
    spot: str = Field(min_length=1, max_length=16)
    start: HubMoment
    end: HubMoment
    loads: list[WagonLoadRequest] = Field(min_length=1, max_length=40)


class ArrivalRequest(BaseModel):
    carriers: list[str] = Field(min_length=1, max_length=60)


class DisputeRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class PaymentRequest(BaseModel):
    milestone: str = Field(min_length=1, max_length=30, examples=["first payment"])


class SignatureRequest(BaseModel):
    party: str | None = Field(
        default=None,
        max_length=20,
        description="the signing member (an admin recording a signature given on paper); "
        "a member signs as itself",
    )


class DefaultRequest(BaseModel):
    party: str = Field(min_length=1, max_length=20)
    reason: str = Field(min_length=1, max_length=500)


def desk_of(request: Request) -> FuturesDesk:
    desk: FuturesDesk = request.app.state.futures
    return desk


def _send(request: Request, command: futures.FuturesCommand) -> dict[str, Any]:
    result: dict[str, Any] = desk_of(request).bus.handle(authored(request, command)).result
    return result


def visible_delivery(request: Request, user: User, delivery_id: str) -> Delivery:
    """The delivery, or a 404 for a member that is not one of its parties."""
    delivery = desk_of(request).queries.delivery(delivery_id)
    if user.role == "member" and user.party not in (delivery.match.buyer, delivery.match.seller):
        raise ApiError(404, "not_found", f"no delivery {delivery_id!r}")
    return delivery


def member_of(user: User) -> str | None:
    return user.party if user.role == "member" else None


# -- the exchange ------------------------------------------------------------------------


@router.post("/deliveries", status_code=201)
def match(
    request: Request, body: MatchRequest, user: Annotated[User, Depends(allow(*EXCHANGE))]
) -> dict[str, Any]:
    """The exchange's match: a seller's delivery intention with a buyer, lots of 90 m³."""
    command = futures.MatchDelivery(
        body.delivery,
        role=user.role,
        contract=body.contract,
        lots=body.lots,
        buyer=body.buyer,
        seller=body.seller,
        matched_on=body.matched_on,
        settlement_day=body.settlement_day,
        price_cny_per_m3=body.price_cny_per_m3,
        idempotency_key=f"api:futures:match:{body.delivery}",
    )
    return _send(request, command)


@router.post("/deliveries/{delivery_id}/payments")
def pay(
    request: Request,
    delivery_id: str,
    body: PaymentRequest,
    user: Annotated[User, Depends(allow(*EXCHANGE))],
) -> dict[str, Any]:
    """The exchange paid the seller a milestone's share."""
    command = futures.RecordPayment(
        delivery_id,
        role=user.role,
        milestone=body.milestone,
        idempotency_key=f"api:futures:pay:{delivery_id}:{body.milestone}",
    )
    return _send(request, command)


@router.post("/deliveries/{delivery_id}/default")
def default(
    request: Request,
    delivery_id: str,
    body: DefaultRequest,
    user: Annotated[User, Depends(allow(*EXCHANGE))],
) -> dict[str, Any]:
    """The exchange's decision: a party in default."""
    command = futures.DeclareDefault(
        delivery_id, role=user.role, defaulter=body.party, reason=body.reason
    )
    return _send(request, command)


# -- the site and its inspector ----------------------------------------------------------


@router.post("/deliveries/{delivery_id}/slot")
def book(
    request: Request,
    delivery_id: str,
    body: SlotRequest,
    user: Annotated[User, Depends(allow(*BOOKERS))],
) -> dict[str, Any]:
    """Book a loading spot and window (a member: the seller of the delivery)."""
    visible_delivery(request, user, delivery_id)
    command = futures.BookSlot(
        delivery_id,
        role=user.role,
        party=member_of(user),
        track=body.track,
        spot=body.spot,
        start=body.start,
        end=body.end,
        loads=tuple(WagonLoad(load.wagon_type, load.volume_m3) for load in body.loads),
    )
    return _send(request, command)


@router.post("/deliveries/{delivery_id}/arrival")
def arrival(
    request: Request,
    delivery_id: str,
    body: ArrivalRequest,
    user: Annotated[User, Depends(allow(*SITE))],
) -> dict[str, Any]:
    """The seller's goods stand at the site, on these wagons or trucks."""
    command = futures.RecordArrival(
        delivery_id,
        role=user.role,
        carriers=tuple(body.carriers),
        idempotency_key=f"api:futures:arrival:{delivery_id}",
    )
    return _send(request, command)


@router.post("/deliveries/{delivery_id}/tally")
def tally(
    request: Request,
    delivery_id: str,
    user: Annotated[User, Depends(allow(*INSPECTORS))],
    text: Annotated[str, Body(media_type="text/csv", max_length=MAX_TALLY_BYTES)],
    inspector: Annotated[str, Query(min_length=1, max_length=60)],
) -> dict[str, Any]:
    """The measuring station's tally (CSV: species,length_m,diameter_cm[,piece,defects,
    inspector,photo]) and the inspection's verdict; a failure opens a dispute. The same
    document again answers the same."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    command = futures.RecordTally(
        delivery_id,
        role=user.role,
        document=text,
        inspector=inspector,
        idempotency_key=f"api:futures:tally:{delivery_id}:{digest}",
    )
    return _send(request, command)


# -- the members -------------------------------------------------------------------------


@router.post("/deliveries/{delivery_id}/signature")
def sign(
    request: Request,
    delivery_id: str,
    user: Annotated[User, Depends(allow(*SIGNERS))],
    body: SignatureRequest | None = None,
) -> dict[str, Any]:
    """The caller's member signs the handover (an admin names the member whose signature
    it records); the second signature makes it final."""
    visible_delivery(request, user, delivery_id)
    named = body.party if body is not None else None
    if user.role == "member" and named not in (None, user.party):
        raise ApiError(403, "forbidden", f"member {user.party} cannot sign for {named}")
    party = user.party if user.role == "member" else named
    if party is None:
        raise ApiError(400, "invalid_request", 'name the signing member: {"party": CODE}')
    command = futures.SignHandover(
        delivery_id,
        role=user.role,
        party=party,
        idempotency_key=f"api:futures:sign:{delivery_id}:{party}",
    )
    return _send(request, command)


@router.post("/deliveries/{delivery_id}/dispute")
def dispute(
    request: Request,
    delivery_id: str,
    body: DisputeRequest,
    user: Annotated[User, Depends(allow(*DISPUTERS))],
) -> dict[str, Any]:
    """Contest the delivery: its inspection, its volume."""
    visible_delivery(request, user, delivery_id)
    command = futures.RaiseDispute(
        delivery_id, role=user.role, party=member_of(user), reason=body.reason
    )
    return _send(request, command)


__all__ = ["desk_of", "member_of", "router", "visible_delivery"]
