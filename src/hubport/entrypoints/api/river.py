"""The river port's writes: vessel calls, their berthing and departure (the port's
planners), and what the port's crane and the hub's shuttle drivers report (a box off a
vessel onto a shuttle, a box into a vessel's cell, a shuttle at the end of its road).
The runtime sends the shuttles and plans the station's crane work (``runtime/river.py``);
the shuttles on their trips are readable here for those who drive and lift them.

Each write is one bus command under a key made from what it is about: the same report
again answers the same."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from hubport.domain.access import User
from hubport.domain.container import ContainerNumber
from hubport.domain.places import VesselCell, parse_place
from hubport.domain.river import VesselCall
from hubport.entrypoints.api.actors import Identifier, hub_of, send
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubMoment
from hubport.entrypoints.api.security import allow
from hubport.services import river_commands as river
from hubport.services.messagebus import IdempotencyConflict

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

#: Who plans the port's calls; who reports the port's crane moves and the shuttles' trips.
RIVER = ("operator", "admin")
PORT_EQUIPMENT = ("equipment", "operator", "admin")
WATCHERS = ("equipment", "operator", "viewer", "admin")


class VesselCallRequest(BaseModel):
    call: Identifier
    vessel: str = Field(min_length=1, max_length=60)
    kind: Literal["barge", "ship"] = "barge"
    voyage: str = Field(min_length=1, max_length=20)
    berth: str = Field(min_length=1, max_length=16)
    eta: HubMoment
    etd: HubMoment
    length_m: float = Field(default=90.0, gt=0, le=400)
    operator: str = Field(default="", max_length=35)
    load_list: list[str] = Field(default_factory=list, max_length=2000)


# -- vessel calls ------------------------------------------------------------------------


@router.post("/vessel-calls", tags=["river"], status_code=201)
def vessel_call(
    request: Request,
    body: VesselCallRequest,
    user: Annotated[User, Depends(allow(*RIVER))],
) -> dict[str, Any]:
    """Plan a barge or ship call in its berth window, with the boxes it is to take."""
    call = VesselCall(
        body.call,
        body.vessel,
        body.kind,
        body.voyage,
        body.berth,
        body.eta,
        body.etd,
        body.length_m,
        operator=body.operator,
    )
    load_list = tuple(ContainerNumber(number) for number in body.load_list)
    command = river.RegisterVesselCall(call, load_list, idempotency_key=f"api:call:{call.id}")
    try:
        return send(request, command)
    except IdempotencyConflict:
        raise ApiError(
            409, "call_conflict", f"vessel call {call.id} is registered already, otherwise"
        ) from None


@router.post("/vessel-calls/{call_id}/berthing", tags=["river"])
def vessel_berthing(
    request: Request, call_id: str, user: Annotated[User, Depends(allow(*RIVER))]
) -> dict[str, Any]:
    """The vessel is alongside: the boxes of its bay plan are aboard at their cells."""
    return send(request, river.BerthVessel(call_id, idempotency_key=f"api:berth:{call_id}"))


@router.post("/vessel-calls/{call_id}/departure", tags=["river"])
def vessel_departure(
    request: Request, call_id: str, user: Annotated[User, Depends(allow(*RIVER))]
) -> dict[str, Any]:
    """The vessel leaves its berth."""
    return send(request, river.DepartVessel(call_id, idempotency_key=f"api:unberth:{call_id}"))


# -- what the port's crane and the shuttles report ----------------------------------------


class VesselDischarge(BaseModel):
    box: str = Field(min_length=11, max_length=11, examples=["CSQU3054383"])
    shuttle: Identifier
    spot: Literal["A", "B", "AB"] | None = Field(
        default=None, description="where on the shuttle; default AB for a 40', A for a 20'"
    )


class VesselLoad(BaseModel):
    box: str = Field(min_length=11, max_length=11, examples=["CSQU3054383"])
    cell: str = Field(
        min_length=1,
        max_length=60,
        description="the cell it was stowed in, vessel:CALL:BBBRRTT",
        examples=["vessel:BARGE1201:0180182"],
    )


@router.get("/shuttles", tags=["river"])
def shuttles(
    request: Request, _user: Annotated[User, Depends(allow(*WATCHERS))]
) -> list[dict[str, Any]]:
    """The shuttle trucks on their trips: where each started and is (null: on the road,
    ``bound_for`` the other end) and the boxes on it."""
    return hub_of(request).queries.shuttles()


@router.post("/shuttles/{visit}/arrival", tags=["river"])
def shuttle_arrival(
    request: Request, visit: str, user: Annotated[User, Depends(allow(*PORT_EQUIPMENT))]
) -> dict[str, Any]:
    """A shuttle reached the end of its road. At the station its boxes get their crane
    work at once."""
    return send(request, river.ShuttleArrives(visit, idempotency_key=f"api:shuttle-at:{visit}"))


@router.post("/vessel-calls/{call_id}/discharges", tags=["river"])
def vessel_discharge(
    request: Request,
    call_id: str,
    body: VesselDischarge,
    user: Annotated[User, Depends(allow(*PORT_EQUIPMENT))],
) -> dict[str, Any]:
    """The port's crane put a box off the vessel onto a shuttle waiting at the quay."""
    number = ContainerNumber(body.box)
    queries = hub_of(request).queries
    key = f"api:off-vessel:{call_id}:{number.value}"
    record = queries.container(number.value)
    place = record.place
    repeat = queries.stored_result(key) is not None  # the same report again: its answer
    if not repeat and (not isinstance(place, VesselCell) or place.call != call_id):
        raise ApiError(409, "not_aboard", f"box {number} is not aboard vessel call {call_id}")
    spot = body.spot or ("AB" if record.container.size_type.is_forty else "A")
    command = river.DischargeVessel(number, body.shuttle, spot, idempotency_key=key)
    try:
        return send(request, command)
    except IdempotencyConflict:
        raise ApiError(
            409, "discharge_conflict", f"box {number} came off call {call_id} already, otherwise"
        ) from None


@router.post("/vessel-calls/{call_id}/loads", tags=["river"])
def vessel_load(
    request: Request,
    call_id: str,
    body: VesselLoad,
    user: Annotated[User, Depends(allow(*PORT_EQUIPMENT))],
) -> dict[str, Any]:
    """The port's crane stowed a box off a shuttle into a cell of the vessel."""
    cell = parse_place(body.cell)
    if not isinstance(cell, VesselCell) or cell.call != call_id:
        raise ApiError(422, "bad_cell", f"{body.cell!r} is not a cell of vessel call {call_id}")
    number = ContainerNumber(body.box)
    command = river.LoadVessel(
        number, cell, idempotency_key=f"api:onto-vessel:{call_id}:{number.value}"
    )
    try:
        return send(request, command)
    except IdempotencyConflict:
        raise ApiError(
            409, "load_conflict", f"box {number} was loaded into call {call_id} already, otherwise"
        ) from None


__all__ = ["router"]
