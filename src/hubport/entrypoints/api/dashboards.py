"""The API's figures: the day's KPIs, the corridor's trains and TEU by month, and alarms."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from hubport.domain.access import User
from hubport.domain.events import encode
from hubport.entrypoints.api.errors import ERROR_RESPONSES
from hubport.entrypoints.api.horizon import HubDay, HubMoment, hub_now
from hubport.entrypoints.api.security import STAFF, allow
from hubport.services.queries import Queries

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def _queries(request: Request) -> Queries:
    queries: Queries = request.app.state.queries
    return queries


def hub_day(request: Request, day: date | None) -> date:
    """The day asked for, or the hub clock's."""
    return day if day is not None else hub_now(request).date()


@router.get("/kpis", tags=["figures"])
def kpis(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    day: HubDay | None = None,
) -> dict[str, Any]:
    """A hub day's KPIs (default the hub clock's day): moves per crane-hour, train dwell,
    truck turn time, and the yard's occupancy per block."""
    queries = _queries(request)
    return queries.kpis(hub_day(request, day))


@router.get("/corridor/statistics", tags=["figures"])
def corridor_statistics(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    """Corridor trains and TEU sent per service and month of a year (default the hub
    clock's), with arrivals beside and year-on-year growth."""
    queries = _queries(request)
    report = queries.corridor_report(year or hub_day(request, None).year)
    trains_growth, teu_growth = report.growth()
    return {
        **asdict(report),
        "trains": report.trains,
        "teu": report.teu,
        "growth": {"trains": trains_growth, "teu": teu_growth},
    }


@router.get("/alarms", tags=["figures"])
def alarms(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[dict[str, Any]]:
    """The latest alarms: equipment, undeclared arrivals, gate exceptions."""
    return [
        {
            **alarm,
            "occurred_at": encode(alarm["occurred_at"]),
            "payload": json.loads(alarm["payload"]),
        }
        for alarm in _queries(request).alarms(limit)
    ]


__all__ = ["hub_day", "router"]


@router.get("/audit", tags=["hub"])
def audit_trail(
    request: Request,
    _user: Annotated[User, Depends(allow("admin"))],
    box: Annotated[str | None, Query(pattern="^[A-Za-z]{4}[0-9]{7}$")] = None,
    user: Annotated[str | None, Query(min_length=1, max_length=80)] = None,
    since: HubMoment | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Who did what and when (admin): the events of a box, of a user or machine account,
    or since a time, newest first, each with its author, role and channel, and the
    fields it changed beside their values before."""
    trail = _queries(request).audit_trail(box.upper() if box else None, user, since, limit)
    return [entry.as_json() for entry in trail]
