"""The API's writes for the actors of the world beside the railway (``railway.py``): the
gate portal (a truck at the in- or out-gate) and a haulier's pre-advice of a box (the
river port's are in ``river.py``); and what they share. Each is one bus
command under a key made from what it is about, so the same request again answers the
same and changes nothing; a different request about the same thing is a 409 that says
what differs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from hubport.bootstrap import Hub
from hubport.domain.access import User
from hubport.domain.container import Container, ContainerNumber, LegMode, NextLeg, SizeType
from hubport.domain.gate import GateRefused
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubMoment
from hubport.entrypoints.api.security import allow, authored
from hubport.services import commands
from hubport.services import gate_commands as gate
from hubport.services.messagebus import IdempotencyConflict

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

GATE = ("gate", "operator", "admin")

Identifier = Annotated[str, Field(min_length=1, max_length=40, pattern="^[A-Za-z0-9_.-]+$")]


class NextLegRequest(BaseModel):
    mode: Literal["rail", "river", "road"]
    reference: str = Field(
        min_length=1, max_length=40, description="the train, vessel call or appointment"
    )
    due: HubMoment | None = None
    destination: str | None = Field(default=None, max_length=5, examples=["THLCH"])


class BoxFacts(BaseModel):
    operator: str = Field(default="", max_length=35, description="the line (a shipper's party)")
    seal: str | None = Field(default=None, max_length=35)
    full: bool = True
    next_leg: NextLegRequest | None = None


class BoxAdvice(BoxFacts):
    box: str = Field(min_length=11, max_length=11, examples=["CSQU3054383"])
    size_type: str = Field(min_length=4, max_length=4, examples=["22G1"])
    mass_kg: int = Field(gt=0, le=50_000)


class GateTransaction(BaseModel):
    direction: Literal["in", "out"]
    visit: Identifier
    lane: str = Field(default="1", min_length=1, max_length=16)
    plate: str = Field(default="", max_length=20)
    appointment: str | None = Field(default=None, max_length=60)
    read: str | None = Field(default=None, max_length=20, description="the camera's read")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    seal: str | None = Field(default=None, max_length=35)
    damage: str = Field(default="", max_length=200)
    spot: Literal["A", "B", "AB"] | None = Field(
        default=None, description="where on the chassis; default AB for a 40', A for a 20'"
    )


def hub_of(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def send(request: Request, command: commands.Command) -> dict[str, Any]:
    result: dict[str, Any] = hub_of(request).bus.handle(authored(request, command)).result
    return result


# -- box facts ---------------------------------------------------------------------------


def container_of(number: str, size_type: str, mass_kg: int, facts: BoxFacts) -> Container:
    leg = facts.next_leg
    return Container(
        ContainerNumber(number),
        SizeType.of(size_type),
        mass_kg,
        full=facts.full,
        operator=facts.operator,
        seal=facts.seal,
        next_leg=None
        if leg is None
        else NextLeg(
            LegMode(leg.mode),
            leg.reference,
            leg.due,
            leg.destination,
        ),
    )


# -- pre-advice -------------------------------------------------------------------------


@router.post("/containers", tags=["gate"], status_code=201)
def announce_box(
    request: Request,
    body: BoxAdvice,
    user: Annotated[User, Depends(allow("operator", "shipper", "admin"))],
) -> dict[str, Any]:
    """Pre-advise a box a truck will bring (a shipper: only its own line's boxes), with
    its onward leg. The same advice again answers the same."""
    if user.role == "shipper" and body.operator != user.party:
        raise ApiError(403, "forbidden", f"a shipper advises only boxes of {user.party}")
    container = container_of(body.box, body.size_type, body.mass_kg, body)
    command = commands.AnnounceContainer(
        container, idempotency_key=f"api:advice:{container.number.value}"
    )
    try:
        return send(request, command)
    except IdempotencyConflict:
        raise ApiError(
            409, "advice_conflict", f"box {container.number} was advised already, otherwise"
        ) from None


# -- the gate portal --------------------------------------------------------------------


@router.post("/gate/transactions", tags=["gate"])
def gate_transaction(
    request: Request,
    body: GateTransaction,
    user: Annotated[User, Depends(allow(*GATE))],
) -> JSONResponse:
    """A truck at the in-gate (its appointment, the camera's read, seal, damage) or the
    out-gate: answered with the lane it goes to, ``in``/``out`` or ``exception`` with the
    reasons. At the in-gate its crane work is planned at once."""
    if body.direction == "in":
        if not body.appointment or not body.read or not body.plate:
            raise ApiError(
                422, "incomplete", "an in-gate transaction needs plate, appointment and read"
            )
        command: commands.Command = gate.TruckAtGate(
            body.visit,
            body.plate,
            body.appointment,
            body.read,
            body.confidence,
            seal=body.seal,
            damage=body.damage,
            spot=body.spot,
            idempotency_key=f"api:gate-in:{body.visit}",
        )
    else:
        command = gate.TruckLeaves(body.visit, idempotency_key=f"api:gate-out:{body.visit}")
    try:
        result = send(request, command)
    except GateRefused as error:
        result = {"visit": body.visit, "lane": "exception", "reasons": [str(error)]}
    except IdempotencyConflict:
        raise ApiError(
            409, "gate_conflict", f"truck {body.visit} passed the {body.direction}-gate already"
        ) from None
    answer = {
        "visit": body.visit,
        "gate_lane": body.lane,
        "lane": result.get("lane"),
        "reasons": result.get("reasons", []),
        "crane_jobs": result.get("crane_jobs", []),
    }
    return JSONResponse(answer)


__all__ = ["router"]
