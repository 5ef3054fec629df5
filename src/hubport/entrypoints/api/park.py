"""The industrial park on the API (``/api/park``): an enterprise files its requests (诉求)
and rates their outcome; the park's service office assigns, verifies and closes them and
imports a spreadsheet's history; a department works what is assigned to it. An
enterprise sees its own requests, a department those assigned to it: another's is a 404.

Every write is one command on the park desk under the caller's name and role."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from hubport.domain.access import User
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api.actors import Identifier
from hubport.entrypoints.api.errors import ERROR_RESPONSES
from hubport.entrypoints.api.horizon import HubMoment
from hubport.entrypoints.api.security import allow, authored
from hubport.park.adapters.import_file import parse_import
from hubport.park.adapters.report_files import report_data
from hubport.park.bootstrap import ParkDesk
from hubport.park.domain.history import rebuild_all
from hubport.park.domain.requests import Request as ParkRequest
from hubport.park.services import commands as park

router = APIRouter(prefix="/api/park", responses=ERROR_RESPONSES, tags=["park"])

OFFICE = ("park-admin", "admin")
READERS = ("park-admin", "department", "enterprise", "viewer", "admin")
FILERS = ("enterprise", "park-admin", "admin")
WORKERS = ("department", "enterprise", "park-admin", "admin")

Channel = Literal["hotline", "online", "joint_meeting", "dispatch_meeting", "onsite_office"]


class RequestIntake(BaseModel):
    request: Identifier
    enterprise: str = Field(min_length=1, max_length=35)
    channel: Channel = "online"
    category: str = Field(default="", max_length=40)
    urgency: Literal["normal", "urgent", "critical"] = "normal"
    project: str | None = Field(default=None, max_length=40)
    summary: str = Field(default="", max_length=2000)
    deadline: HubMoment | None = None


class Assignment(BaseModel):
    lead: str = Field(min_length=1, max_length=35)
    supporting: list[str] = Field(default_factory=list, max_length=10)


class StepRequest(BaseModel):
    state: Literal["assigned", "claimed", "in_progress", "answered", "reopened", "returned"]
    note: str = Field(default="", max_length=2000)


class Closing(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    evidence: str = Field(min_length=1, max_length=2000)


class Rating(BaseModel):
    score: int = Field(ge=1, le=5)


class ImportBody(BaseModel):
    requests: list[dict[str, Any]] = Field(max_length=20_000)


def desk_of(request: Request) -> ParkDesk:
    desk: ParkDesk = request.app.state.park
    return desk


def party_of(user: User) -> str | None:
    return user.party if user.role in ("department", "enterprise") else None


def send_park(request: Request, command: park.ParkCommand) -> dict[str, Any]:
    result: dict[str, Any] = desk_of(request).bus.handle(authored(request, command)).result
    return result


def _shown(request: ParkRequest) -> dict[str, Any]:
    return {
        "request": request.id,
        "enterprise": request.enterprise,
        "channel": request.channel,
        "category": request.category,
        "urgency": request.urgency,
        "project": request.project,
        "summary": request.summary,
        "state": request.state.value,
        "lead": request.lead,
        "supporting": list(request.supporting),
        "received": _hub(request.received),
        "deadline": _hub(request.deadline),
        "rating": request.rating,
        "escalated": [{"state": s.value, "since": _hub(at)} for s, at in request.escalated],
    }


def _hub(moment: datetime) -> str:
    return moment.astimezone(HUB_TIME).isoformat()


@router.post("/requests", status_code=201)
def submit(
    request: Request, body: RequestIntake, user: Annotated[User, Depends(allow(*FILERS))]
) -> dict[str, Any]:
    """File a request: an enterprise for itself, the office from a call or a meeting."""
    command = park.SubmitRequest(
        role=user.role,
        party=party_of(user),
        request=body.request,
        enterprise=body.enterprise,
        channel=body.channel,
        category=body.category,
        urgency=body.urgency,
        project=body.project,
        summary=body.summary,
        deadline=body.deadline,
        idempotency_key=f"api:park:request:{body.request}",
    )
    return send_park(request, command)


@router.post("/requests/{request_id}/assignment")
def assign(
    request: Request,
    request_id: str,
    body: Assignment,
    user: Annotated[User, Depends(allow(*OFFICE))],
) -> dict[str, Any]:
    """Dispatch to a lead department, with supporting ones."""
    command = park.AssignRequest(
        role=user.role, request=request_id, lead=body.lead, supporting=tuple(body.supporting)
    )
    return send_park(request, command)


@router.post("/requests/{request_id}/steps")
def step(
    request: Request,
    request_id: str,
    body: StepRequest,
    user: Annotated[User, Depends(allow(*WORKERS))],
) -> dict[str, Any]:
    """Claim, report progress, answer, return (with its reason) or reopen, as the state
    table lets the caller's role."""
    command = park.MoveRequest(
        role=user.role, party=party_of(user), request=request_id, target=body.state, note=body.note
    )
    return send_park(request, command)


@router.post("/requests/{request_id}/closing")
def close(
    request: Request,
    request_id: str,
    body: Closing,
    user: Annotated[User, Depends(allow(*OFFICE))],
) -> dict[str, Any]:
    """Verified and closed (验收销号), with its reason and evidence."""
    command = park.CloseRequest(
        role=user.role, request=request_id, reason=body.reason, evidence=body.evidence
    )
    return send_park(request, command)


@router.post("/requests/{request_id}/rating")
def rate(
    request: Request,
    request_id: str,
    body: Rating,
    user: Annotated[User, Depends(allow(*FILERS))],
) -> dict[str, Any]:
    """The requester's rating of the outcome, 1 to 5 (the office records one from a call)."""
    command = park.RateRequest(
        role=user.role, party=party_of(user), request=request_id, score=body.score
    )
    return send_park(request, command)


@router.post("/import")
def import_requests(
    request: Request, body: ImportBody, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """Requests with their histories (the format of ``hubport park import``), all or none."""
    import json

    desk = desk_of(request)
    kept = parse_import(json.dumps({"requests": body.requests}), "the request body")
    requests = rebuild_all(desk.table, kept, "the request body")
    fresh, same = desk.queries.split_known(requests)
    command = park.ImportRequests(role=user.role, requests=tuple(fresh), source="api import")
    return {**send_park(request, command), "already_there": same}


@router.get("/requests")
def requests(
    request: Request,
    user: Annotated[User, Depends(allow(*READERS))],
    state: Annotated[str | None, Query(pattern="^[a-z_]{1,12}$")] = None,
) -> list[dict[str, Any]]:
    """The requests the caller may see, newest first."""
    rows = desk_of(request).queries.requests(user.role, party_of(user), state)
    return [
        {
            "request": row.id,
            "enterprise": row.enterprise,
            "state": row.state,
            "lead": row.lead,
            "urgency": row.urgency,
            "received": _hub(row.received),
            "deadline": _hub(row.deadline),
            "rating": row.rating,
        }
        for row in rows
    ]


@router.get("/requests/{request_id}")
def one_request(
    request: Request, request_id: str, user: Annotated[User, Depends(allow(*READERS))]
) -> dict[str, Any]:
    """A request and every step of its life with who took it."""
    desk = desk_of(request)
    found = desk.queries.request(request_id, user.role, party_of(user))
    return {**_shown(found), "steps": desk.queries.steps_of(request_id)}


@router.get("/report")
def report(
    request: Request,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
    _user: Annotated[User, Depends(allow("park-admin", "department", "viewer", "admin"))],
) -> dict[str, Any]:
    """The month's KPIs over the requests received in it (formulas in docs/park.md)."""
    return report_data(desk_of(request).queries, month).as_json()


__all__ = ["desk_of", "party_of", "router", "send_park"]
