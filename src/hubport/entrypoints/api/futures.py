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
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hubport.domain.access import User
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api.actors import Identifier
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubDay, HubMoment
from hubport.entrypoints.api.security import allow, authored
from hubport.futures.adapters.report_files import report_csv, report_json
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


def _desk(request: Request) -> FuturesDesk:
    desk: FuturesDesk = request.app.state.futures
    return desk


def _send(request: Request, command: futures.FuturesCommand) -> dict[str, Any]:
    result: dict[str, Any] = _desk(request).bus.handle(authored(request, command)).result
    return result


def _visible(request: Request, user: User, delivery_id: str) -> Delivery:
    """The delivery, or a 404 for a member that is not one of its parties."""
    delivery = _desk(request).queries.delivery(delivery_id)
    if user.role == "member" and user.party not in (delivery.match.buyer, delivery.match.seller):
        raise ApiError(404, "not_found", f"no delivery {delivery_id!r}")
    return delivery


def _party(user: User) -> str | None:
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
    _visible(request, user, delivery_id)
    command = futures.BookSlot(
        delivery_id,
        role=user.role,
        party=_party(user),
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
    _visible(request, user, delivery_id)
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
    _visible(request, user, delivery_id)
    command = futures.RaiseDispute(
        delivery_id, role=user.role, party=_party(user), reason=body.reason
    )
    return _send(request, command)


# -- reads -------------------------------------------------------------------------------


@router.get("/deliveries")
def deliveries(
    request: Request,
    user: Annotated[User, Depends(allow(*READERS))],
    state: Annotated[str | None, Query(pattern="^[a-z_]{1,12}$")] = None,
) -> list[dict[str, Any]]:
    """The deliveries with their state and the deadline each waits on."""
    rows = _desk(request).queries.deliveries(state, party=_party(user))
    return [
        {
            "delivery": row.id,
            "contract": row.contract,
            "lots": row.lots,
            "volume_m3": str(row.volume_m3),
            "buyer": row.buyer,
            "seller": row.seller,
            "matched_on": row.matched_on.isoformat(),
            "settlement_day": row.settlement_day.isoformat(),
            "state": row.state,
            "deadline": row.deadline,
            "deadline_at": None
            if row.deadline_at is None
            else row.deadline_at.astimezone(HUB_TIME).isoformat(),
        }
        for row in rows
    ]


@router.get("/deliveries/{delivery_id}")
def delivery(
    request: Request, delivery_id: str, user: Annotated[User, Depends(allow(*READERS))]
) -> dict[str, Any]:
    """A delivery: its match, deadlines, slot, inspection, and every step with its author."""
    found = _visible(request, user, delivery_id)
    match = found.match
    slot, inspection = found.booking, found.inspection
    return {
        "delivery": found.id,
        "state": found.state.value,
        "contract": match.contract,
        "lots": match.lots,
        "volume_m3": str(match.volume_m3),
        "buyer": match.buyer,
        "seller": match.seller,
        "settlement_day": match.settlement_day.isoformat(),
        "deadlines": {name: at.isoformat() for name, at in found.deadlines().items()},
        "slot": None
        if slot is None
        else {
            "track": slot.track,
            "spot": slot.spot,
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
            "volume_m3": str(slot.volume_m3),
        },
        "inspection": None
        if inspection is None
        else {
            "passed": inspection.passed,
            "pieces": inspection.pieces,
            "accepted_m3": str(inspection.tallied_m3),
            "reasons": list(inspection.reasons),
            "tally_sha256": inspection.tally_sha256,
        },
        "steps": [
            {
                "seq": step.seq,
                "event": step.kind,
                "at": step.at.astimezone(HUB_TIME).isoformat(),
                "author": step.author,
                "role": step.role,
                "channel": step.channel,
                "data": step.payload,
            }
            for step in _desk(request).queries.steps(delivery_id)
        ],
    }


@router.get("/slots")
def slots(
    request: Request, day: HubDay, _user: Annotated[User, Depends(allow(*READERS))]
) -> list[dict[str, Any]]:
    """The day's bookings on the site's spots (a timeline)."""
    return [
        {
            "delivery": slot.delivery,
            "track": slot.track,
            "spot": slot.spot,
            "start": slot.start.astimezone(HUB_TIME).isoformat(),
            "end": slot.end.astimezone(HUB_TIME).isoformat(),
            "volume_m3": str(slot.volume_m3),
            "active": slot.active,
        }
        for slot in _desk(request).queries.slots(day)
    ]


@router.get("/alarms")
def alarms(
    request: Request, _user: Annotated[User, Depends(allow(*READERS))]
) -> list[dict[str, Any]]:
    """Deadlines within a day, or past, and their deliveries."""
    now = request.app.state.hub.bus.clock.now()
    return [
        {
            "delivery": a.delivery,
            "deadline": a.deadline,
            "due": a.due.astimezone(HUB_TIME).isoformat(),
            "overdue": a.overdue,
        }
        for a in _desk(request).queries.alarms(now)
    ]


@router.get(
    "/report",
    response_model=None,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}},
            "description": "the report: JSON, or CSV with ?format=csv",
        }
    },
)
def report(
    request: Request,
    day: HubDay,
    _user: Annotated[User, Depends(allow("exchange", "operator", "viewer", "admin"))],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> dict[str, Any] | Response:
    """The daily report to the exchange: deliveries, volumes, disputes (JSON or CSV)."""
    daily = _desk(request).queries.daily_report(day)
    if format == "json":
        return report_json(daily)
    name = f"futures-{daily.site}-{day.isoformat()}.csv"
    return Response(
        report_csv(daily),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


__all__ = ["router"]
