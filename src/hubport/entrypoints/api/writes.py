"""The API's writes: each is one bus command, with the caller's role in it where the
service layer checks it (customs), and an idempotency key when the caller sends one
(``Idempotency-Key``: the same request again changes nothing)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Request
from pydantic import BaseModel, Field

from hubport.bootstrap import Hub
from hubport.domain.access import User
from hubport.domain.container import ContainerNumber
from hubport.domain.customs import Leg
from hubport.domain.errors import ContainerNotFound, shown
from hubport.domain.places import parse_place
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubMoment
from hubport.entrypoints.api.security import CUSTOMS, EVERYONE, OPERATORS, allow, authored
from hubport.services import access_commands as access
from hubport.services import crane_commands as crane_jobs
from hubport.services import customs_commands as customs
from hubport.services import gate_commands as gate
from hubport.services.commands import Command
from hubport.services.edi_speakers import Speaker
from hubport.services.messagebus import IdempotencyConflict

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
IdempotencyKey = Annotated[str | None, Header(max_length=120)]
#: The largest EDI upload taken (a day's COPRAR of several trains is well under this).
MAX_EDI_BYTES = 2_000_000


class HoldRequest(BaseModel):
    box: str = Field(min_length=11, max_length=11, examples=["CSQU3054383"])
    hold: str = Field(min_length=1, max_length=60, pattern="^[A-Za-z0-9_.:-]+$")
    reason: str = Field(default="customs hold", max_length=500)


class Reason(BaseModel):
    reason: str = Field(default="", max_length=500)


def _send(request: Request, command: Command) -> dict[str, Any]:
    hub: Hub = request.app.state.hub
    result: dict[str, Any] = hub.bus.handle(authored(request, command)).result
    return result


def _key(user: User, key: str | None) -> str | None:
    return None if key is None else f"api:{user.name}:{key}"


class LanguageChoice(BaseModel):
    language: str = Field(pattern="^(en|zh)$", examples=["zh"])


@router.put("/me/language", tags=["hub"])
def choose_language(
    request: Request,
    body: LanguageChoice,
    user: Annotated[User, Depends(allow(*EVERYONE))],
) -> dict[str, Any]:
    """The language the console speaks to the caller from now on (en or zh)."""
    return _send(request, access.ChooseLanguage(user.name, body.language))


class LegRequest(BaseModel):
    mode: Literal["rail", "road", "river"]
    origin: str = Field(alias="from", min_length=5, max_length=5, examples=["CNQZH"])
    destination: str = Field(alias="to", min_length=5, max_length=5, examples=["CNJGJ"])


class DeclarationRequest(BaseModel):
    declaration: str = Field(min_length=1, max_length=40, pattern="^[A-Za-z0-9_.-]+$")
    kind: Literal["import", "export", "transit"]
    boxes: list[str] = Field(min_length=1, max_length=400)
    legs: list[LegRequest] = Field(min_length=1, max_length=4)
    office: str = Field(default=customs.DEFAULT_OFFICE, min_length=1, max_length=10)


@router.post("/customs/declarations", tags=["customs"], status_code=201)
def lodge_declaration(
    request: Request,
    body: DeclarationRequest,
    user: Annotated[User, Depends(allow(*OPERATORS))],
) -> dict[str, Any]:
    """Lodge a declaration for boxes, before or after they arrive, with the legs it covers
    (a broker's desk at the hub). The same declaration again answers the same."""
    command = customs.LodgeDeclaration(
        body.declaration,
        body.kind,
        tuple(ContainerNumber(number) for number in body.boxes),
        tuple(Leg(leg.mode, leg.origin, leg.destination) for leg in body.legs),
        office=body.office,
        role=user.role,
        idempotency_key=f"api:declaration:{body.declaration}",
    )
    try:
        return _send(request, command)
    except IdempotencyConflict:
        raise ApiError(
            409,
            "declaration_conflict",
            f"declaration {body.declaration} is lodged already, otherwise",
        ) from None


@router.post("/customs/holds", tags=["customs"], status_code=201)
def place_hold(
    request: Request,
    body: HoldRequest,
    user: Annotated[User, Depends(allow(*CUSTOMS))],
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Hold a box: it may not be loaded on any train, barge or truck until lifted."""
    command = customs.PlaceHold(
        ContainerNumber(body.box),
        body.hold,
        body.reason,
        role=user.role,
        idempotency_key=_key(user, idempotency_key),
    )
    return _send(request, command)


@router.post("/customs/holds/{hold_id}/lift", tags=["customs"])
def lift_hold(
    request: Request,
    hold_id: str,
    user: Annotated[User, Depends(allow(*CUSTOMS))],
    body: Reason | None = None,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Lift a hold or close an inspection order."""
    reason = body.reason if body is not None and body.reason else "lifted"
    command = customs.LiftHold(
        hold_id, reason, role=user.role, idempotency_key=_key(user, idempotency_key)
    )
    return _send(request, command)


@router.post("/customs/declarations/{declaration_id}/release", tags=["customs"])
def release(
    request: Request,
    declaration_id: str,
    user: Annotated[User, Depends(allow(*CUSTOMS))],
    body: Reason | None = None,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Release a declaration: its boxes may leave (those under an open hold stay held)."""
    reason = body.reason if body is not None and body.reason else "released"
    command = customs.ReleaseDeclaration(
        declaration_id, reason, role=user.role, idempotency_key=_key(user, idempotency_key)
    )
    return _send(request, command)


class AppointmentRequest(BaseModel):
    appointment: str = Field(min_length=1, max_length=60, pattern="^[A-Za-z0-9_.-]+$")
    plate: str = Field(min_length=2, max_length=20)
    kind: str = Field(pattern="^(deliver|collect)$")
    box: str = Field(min_length=11, max_length=11)
    at: HubMoment


def _sees_box(request: Request, user: User, number: str) -> bool:
    hub: Hub = request.app.state.hub
    return user.sees(hub.queries.container(number).container)


def _own_box(request: Request, user: User, number: str) -> None:
    """A shipper books and cancels only for its own boxes (another's: not found)."""
    if user.role != "shipper":
        return
    hub: Hub = request.app.state.hub
    if not user.sees(hub.queries.container(number).container):
        raise ContainerNotFound(ContainerNumber(number).value)


@router.post("/appointments", tags=["gate"], status_code=201)
def book_appointment(
    request: Request,
    body: AppointmentRequest,
    user: Annotated[User, Depends(allow("operator", "shipper", "admin"))],
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Book a truck into the window that holds ``at``; a full window names the next free one."""
    _own_box(request, user, body.box)
    command = gate.BookAppointment(
        body.appointment,
        body.plate,
        body.kind,
        ContainerNumber(body.box),
        body.at,
        idempotency_key=_key(user, idempotency_key),
    )
    return _send(request, command)


@router.post("/appointments/{appointment_id}/cancel", tags=["gate"])
def cancel_appointment(
    request: Request,
    appointment_id: str,
    user: Annotated[User, Depends(allow("operator", "shipper", "admin"))],
    body: Reason | None = None,
) -> dict[str, Any]:
    """Cancel an appointment (its place in the window frees up)."""
    _own_appointment(request, user, appointment_id)
    reason = body.reason if body is not None else ""
    return _send(request, gate.CancelAppointment(appointment_id, reason))


class AppointmentMove(BaseModel):
    at: HubMoment


@router.post("/appointments/{appointment_id}/change", tags=["gate"])
def change_appointment(
    request: Request,
    appointment_id: str,
    body: AppointmentMove,
    user: Annotated[User, Depends(allow("operator", "shipper", "admin"))],
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Move an appointment to the window that holds ``at`` (a truck that cannot make its
    window); a full window names the next free one."""
    _own_appointment(request, user, appointment_id)
    command = gate.ChangeAppointment(
        appointment_id, body.at, idempotency_key=_key(user, idempotency_key)
    )
    return _send(request, command)


def _own_appointment(request: Request, user: User, appointment_id: str) -> None:
    """A shipper changes only the appointments of its own boxes: another party's is not
    found, as if it did not exist (the answer names only what the shipper sent)."""
    if user.role != "shipper":
        return
    hub: Hub = request.app.state.hub
    booked = hub.queries.appointment(appointment_id)
    if booked is None or not _sees_box(request, user, booked["box"]):
        raise ApiError(404, "not_found", f"no appointment {shown(appointment_id)}")


class SetDown(BaseModel):
    place: str | None = Field(
        default=None,
        max_length=40,
        description="where the box was put (default: the job's own destination)",
        examples=["yard:A-05-01-1"],
    )


@router.post("/crane-jobs/{job_id}/set-down", tags=["cranes"])
def set_down_by_hand(
    request: Request,
    job_id: Annotated[str, Path(max_length=80)],
    user: Annotated[User, Depends(allow(*OPERATORS))],
    body: SetDown | None = None,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """A person set down by hand the box of a crane lost with it on the spreader: the job
    is done, the box where they put it."""
    place = parse_place(body.place) if body is not None and body.place else None
    command = crane_jobs.SetDownByHand(
        job_id, place, user.name, idempotency_key=_key(user, idempotency_key)
    )
    return _send(request, command)


#: Who may upload interchanges: staff relaying a partner's file, and the partners' machine
#: accounts (the railway's, the customs office's), each for the partner it is bound to.
EDI_SPEAKERS = ("operator", "admin", "railway", "customs")


@router.post("/edi/messages", tags=["edi"])
def upload_edi(
    request: Request,
    user: Annotated[User, Depends(allow(*EDI_SPEAKERS))],
    text: Annotated[str, Body(media_type="text/plain", max_length=MAX_EDI_BYTES)],
    dry_run: bool = False,
) -> dict[str, Any]:
    """Upload an EDIFACT interchange: validated whole, applied once or quarantined with
    its report, as through the partner folders (the same interchange again: a repeat).
    The caller must be allowed to speak for the UNB sender: an account bound to the
    partner, or an operator relaying a trading partner's file; a customs response comes
    only from the customs role or the customs office's own account."""
    if not text.strip():
        raise ApiError(400, "empty_message", "the body holds no interchange")
    hub: Hub = request.app.state.hub
    speaker = Speaker("api", user.name, user.role)
    receipt = hub.edi_gateway().receive(text, speaker.label, speaker=speaker, dry_run=dry_run)
    return receipt.as_json()


__all__ = ["router"]
