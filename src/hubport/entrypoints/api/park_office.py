"""The park's projects, tasks and meetings on the API (``/api/park``): the service office
registers projects and records their stages, creates tasks, holds meetings and verifies
tasks at a joint meeting (four eyes); a task's owner reports it done; those concerned read
the projects (an enterprise its own) and a meeting's minutes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from hubport.domain.access import User
from hubport.entrypoints.api.actors import Identifier
from hubport.entrypoints.api.errors import ERROR_RESPONSES
from hubport.entrypoints.api.horizon import HubDay
from hubport.entrypoints.api.park import OFFICE, READERS, WORKERS, desk_of, party_of, send_park
from hubport.entrypoints.api.security import allow
from hubport.park.domain.meetings import Task, minutes_markdown
from hubport.park.domain.projects import Project, StageDates
from hubport.park.services import commands as park

router = APIRouter(prefix="/api/park", responses=ERROR_RESPONSES, tags=["park"])


class TaskBody(BaseModel):
    task: Identifier
    title: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=60)
    due: HubDay
    project: str | None = Field(default=None, max_length=40)
    request: str | None = Field(default=None, max_length=40)


class TaskDone(BaseModel):
    note: str = Field(default="", max_length=2000)


class MeetingBody(BaseModel):
    meeting: Identifier
    kind: Literal["joint", "dispatch", "onsite_office"]
    held_on: HubDay
    attendees: list[str] = Field(min_length=1, max_length=60)


class DecisionBody(BaseModel):
    decision: str = Field(min_length=1, max_length=2000)


class Verification(BaseModel):
    meeting: Identifier
    evidence: str = Field(min_length=1, max_length=2000)


@router.post("/tasks", status_code=201)
def create_task(
    request: Request, body: TaskBody, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """A task with its owner (a user's name), due date and linked project or request."""
    task = Task(body.task, body.title, body.owner, body.due, body.project, body.request)
    return send_park(
        request,
        park.CreateTask(role=user.role, task=task, idempotency_key=f"api:park:task:{body.task}"),
    )


@router.post("/tasks/{task_id}/done")
def task_done(
    request: Request,
    task_id: str,
    body: TaskDone,
    user: Annotated[User, Depends(allow(*WORKERS))],
) -> dict[str, Any]:
    """The caller, the task's owner, reports it done (it stays open until verified)."""
    command = park.CompleteTask(
        role=user.role, party=party_of(user), task=task_id, by=user.name, note=body.note
    )
    return send_park(request, command)


@router.post("/tasks/{task_id}/verification")
def verify_task(
    request: Request,
    task_id: str,
    body: Verification,
    user: Annotated[User, Depends(allow(*OFFICE))],
) -> dict[str, Any]:
    """Four eyes: the caller, not the task's owner, verifies it at a joint meeting."""
    command = park.VerifyTask(
        role=user.role, task=task_id, meeting=body.meeting, by=user.name, evidence=body.evidence
    )
    return send_park(request, command)


@router.post("/meetings", status_code=201)
def hold_meeting(
    request: Request, body: MeetingBody, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """A meeting: its agenda is built from the open items (tasks, requests answered or
    under supervision); a joint meeting counts the items carried over."""
    command = park.HoldMeeting(
        role=user.role,
        meeting=body.meeting,
        kind=body.kind,
        held_on=body.held_on,
        attendees=tuple(body.attendees),
        idempotency_key=f"api:park:meeting:{body.meeting}",
    )
    return send_park(request, command)


@router.post("/meetings/{meeting_id}/decisions")
def decide(
    request: Request,
    meeting_id: str,
    body: DecisionBody,
    user: Annotated[User, Depends(allow(*OFFICE))],
) -> dict[str, Any]:
    command = park.RecordDecision(role=user.role, meeting=meeting_id, decision=body.decision)
    return send_park(request, command)


@router.get("/meetings/{meeting_id}")
def meeting(
    request: Request,
    meeting_id: str,
    _user: Annotated[User, Depends(allow("park-admin", "department", "viewer", "admin"))],
) -> dict[str, Any]:
    """A meeting with its agenda, decisions and minutes (Markdown)."""
    desk = desk_of(request)
    found = desk.queries.meeting(meeting_id)
    return {
        "meeting": found.id,
        "kind": found.kind,
        "held_on": found.held_on.isoformat(),
        "attendees": list(found.attendees),
        "agenda": found.agenda,
        "decisions": found.decisions,
        "minutes": minutes_markdown(found, desk.queries.tasks()),
    }


class StageBody(BaseModel):
    planned: HubDay
    actual: HubDay | None = None


class ProjectBody(BaseModel):
    project: Identifier
    name: str = Field(min_length=1, max_length=120)
    investor: str = Field(min_length=1, max_length=120)
    sector: Literal["advanced_equipment", "advanced_materials", "logistics_supply_chain"]
    investment_cny: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    floor_area_m2: int = Field(ge=0, le=100_000_000)
    annual_output_cny: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    enterprise: str = Field(min_length=1, max_length=35)
    stages: dict[
        Literal[
            "signed",
            "land_supply",
            "approvals",
            "construction_start",
            "topped_out",
            "completion",
            "in_production",
            "full_output",
        ],
        StageBody,
    ]


class StageReached(BaseModel):
    stage: Literal[
        "land_supply",
        "approvals",
        "construction_start",
        "topped_out",
        "completion",
        "in_production",
        "full_output",
    ]
    actual: HubDay


@router.post("/projects", status_code=201)
def register_project(
    request: Request, body: ProjectBody, user: Annotated[User, Depends(allow(*OFFICE))]
) -> dict[str, Any]:
    """A signed project with its planned stages (and those already reached)."""
    project = Project(
        body.project,
        body.name,
        body.investor,
        body.sector,
        body.investment_cny,
        body.floor_area_m2,
        body.annual_output_cny,
        body.enterprise,
        {name: StageDates(s.planned, s.actual) for name, s in body.stages.items()},
    )
    command = park.RegisterProject(
        role=user.role, project=project, idempotency_key=f"api:park:project:{body.project}"
    )
    return send_park(request, command)


@router.post("/projects/{project_id}/stages")
def stage_reached(
    request: Request,
    project_id: str,
    body: StageReached,
    user: Annotated[User, Depends(allow(*OFFICE))],
) -> dict[str, Any]:
    """A project reached a stage on a day (stages are reached in order)."""
    command = park.RecordStage(
        role=user.role, project=project_id, stage=body.stage, actual=body.actual
    )
    return send_park(request, command)


@router.get("/projects")
def projects(
    request: Request, user: Annotated[User, Depends(allow(*READERS))]
) -> list[dict[str, Any]]:
    """The projects (an enterprise: its own) with their stage and investment."""
    enterprise = user.party if user.role == "enterprise" else None
    return [
        {
            "project": p.id,
            "name": p.name,
            "sector": p.sector,
            "stage": p.stage,
            "investment_cny": str(p.investment_cny),
            "enterprise": p.enterprise,
            "synthetic": p.synthetic,
        }
        for p in desk_of(request).queries.projects(enterprise)
    ]


__all__ = ["router"]
