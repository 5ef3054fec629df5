"""The console's park pages: the request queue (a department's own, an enterprise's own,
everything for the service office) with each request's deadline and escalation, and the
month's KPI dashboard beside the park's reported figures."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from hubport.domain.access import User
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.console.pages import PARK, page
from hubport.entrypoints.console.session import allow_page
from hubport.park.adapters.report_files import REPORTED, report_data
from hubport.park.bootstrap import ParkDesk

router = APIRouter(prefix="/console", include_in_schema=False)
#: The KPI bars' width (SVG units).
BAR = 300.0


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
    return page(
        request,
        user,
        "park.html",
        month=shown,
        state=state,
        queue=queue,
        report=report,
        rates=rates,
        bar=BAR,
        now=now,
        zone=HUB_TIME,
    )


__all__ = ["router"]
