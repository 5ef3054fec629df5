"""The console's park pages: the request queue (a department's own, an enterprise's own,
everything for the service office) with each request's deadline and escalation, and the
month's KPI dashboard beside the park's reported figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hubport.domain.access import User
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api.security import authored
from hubport.entrypoints.console.pages import PARK, error_of, error_page, page
from hubport.entrypoints.console.session import allow_page
from hubport.park.adapters.report_files import REPORTED, report_data
from hubport.park.bootstrap import ParkDesk
from hubport.park.domain.errors import RequestNotFound
from hubport.park.domain.projects import STAGES, Project
from hubport.park.services import commands as park

router = APIRouter(prefix="/console", include_in_schema=False)
#: The KPI bars' width (SVG units).
BAR = 300.0
#: A project's Gantt chart: the stage names' column and the time axis (SVG units).
GANTT_LABEL, GANTT_WIDTH = 150.0, 560.0


@router.get("/park")
def park_page(
    request: Request,
    user: Annotated[User, Depends(allow_page(*PARK))],
    month: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = None,
    state: Annotated[str | None, Query(pattern="^[a-z_]{1,12}$")] = None,
) -> HTMLResponse:
    desk: ParkDesk = request.app.state.park
    now: datetime = request.app.state.hub.bus.clock.now()
    shown = month or f"{now.astimezone(HUB_TIME):%Y-%m}"
    party = user.party if user.role in ("department", "enterprise") else None
    queue = desk.queries.requests(user.role, party, state)
    report = report_data(desk.queries, shown) if user.role != "enterprise" else None
    rates = []
    if report is not None:
        for name in ("completion_rate", "on_time_rate", "satisfaction", "reopen_rate"):
            value = float(getattr(report.kpis, name))
            target = REPORTED.get(name)
            rates.append((name, value, BAR * value, None if target is None else BAR * target))
    producing = desk.queries.projects(party if user.role == "enterprise" else None)
    today = now.astimezone(HUB_TIME).date()
    portfolio_rows = [
        (
            p,
            p.stage,
            next(
                (
                    p.status(st, today)
                    for st in STAGES
                    if st in p.stages and p.stages[st].actual is None
                ),
                "done",
            ),
        )
        for p in producing
    ]
    meetings = list(reversed(desk.queries.meetings()))[:3] if user.role != "enterprise" else []
    tasks = {t.id: t for t in desk.queries.tasks()} if meetings else {}
    return page(
        request,
        user,
        "park.html",
        portfolio_rows=portfolio_rows,
        meetings=meetings,
        tasks=tasks,
        month=shown,
        state=state,
        queue=queue,
        report=report,
        rates=rates,
        bar=BAR,
        now=now,
        zone=HUB_TIME,
    )


@dataclass(frozen=True)
class GanttBar:
    stage: str
    start_x: float
    planned_x: float
    actual_x: float | None
    width: float
    y: float
    status: str
    planned: date
    actual: date | None


@dataclass(frozen=True)
class Gantt:
    bars: list[GanttBar]
    years: list[tuple[str, float]]
    today_x: float
    width: float
    height: float


def gantt(project: Project, today: date) -> Gantt:
    """Each stage as a row: a bar from the stage before to its actual date (or its
    planned one, still to come), a mark at its planned date; the years and today as
    lines. The x scale spans the signing to the last date."""
    dates = [d.planned for d in project.stages.values()] + [
        d.actual for d in project.stages.values() if d.actual is not None
    ]
    first, last = min(dates), max(*dates, today)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return GANTT_LABEL + GANTT_WIDTH * (day - first).days / span

    bars, previous = [], first
    for row, stage in enumerate(s for s in STAGES if s in project.stages):
        dates_of = project.stages[stage]
        end = dates_of.actual or dates_of.planned
        bars.append(
            GanttBar(
                stage,
                x_of(previous),
                x_of(dates_of.planned),
                None if dates_of.actual is None else x_of(dates_of.actual),
                max(x_of(end) - x_of(previous), 2.0),
                22.0 * row + 4,
                project.status(stage, today),
                dates_of.planned,
                dates_of.actual,
            )
        )
        previous = end
    years = [(str(y), x_of(date(y, 1, 1))) for y in range(first.year + 1, last.year + 1)]
    return Gantt(bars, years, x_of(today), GANTT_LABEL + GANTT_WIDTH + 20, 22.0 * len(bars) + 24)


@router.get("/park/projects/{project_id}")
def project_page(
    request: Request, project_id: str, user: Annotated[User, Depends(allow_page(*PARK))]
) -> HTMLResponse:
    desk: ParkDesk = request.app.state.park
    today = request.app.state.hub.bus.clock.now().astimezone(HUB_TIME).date()
    enterprise = user.party if user.role == "enterprise" else None
    try:
        project = desk.queries.project(project_id, enterprise)
    except RequestNotFound as error:
        return error_page(request, user, 404, "not_found", str(error))
    return page(request, user, "park_project.html", project=project, chart=gantt(project, today))


@router.post("/park/tasks/{task_id}/verify")
def verify_task(
    request: Request,
    task_id: str,
    user: Annotated[User, Depends(allow_page("park-admin", "admin"))],
    meeting: Annotated[str, Form(max_length=40)],
    evidence: Annotated[str, Form(max_length=2000)] = "",
    nonce: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Check a task off at a joint meeting: four eyes, with the evidence noted."""
    desk: ParkDesk = request.app.state.park
    command = park.VerifyTask(
        role=user.role,
        task=task_id,
        meeting=meeting,
        by=user.name,
        evidence=evidence,
        idempotency_key=f"console:{user.name}:{nonce}" if nonce else None,
    )
    try:
        desk.bus.handle(authored(request, command))
    except HubportError as error:
        found = error_of(error)
        return error_page(request, user, found["status"], found["code"], found["detail"])
    return RedirectResponse("/console/park#meetings", status_code=303)


@router.post("/park/requests/{request_id}/rating")
def rate_request(
    request: Request,
    request_id: str,
    user: Annotated[User, Depends(allow_page("enterprise", "park-admin", "admin"))],
    score: Annotated[int, Form(ge=1, le=5)],
    nonce: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The requester's callback: its rating of the outcome, 1 to 5."""
    desk: ParkDesk = request.app.state.park
    command = park.RateRequest(
        role=user.role,
        party=user.party if user.role == "enterprise" else None,
        request=request_id,
        score=score,
        idempotency_key=f"console:{user.name}:{nonce}" if nonce else None,
    )
    try:
        desk.bus.handle(authored(request, command))
    except HubportError as error:
        found = error_of(error)
        return error_page(request, user, found["status"], found["code"], found["detail"])
    return RedirectResponse("/console/park", status_code=303)


__all__ = ["Gantt", "gantt", "router"]
