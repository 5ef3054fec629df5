"""The log-futures delivery site's reads on the API (``/api/futures``): the deliveries
with their deadlines (a member its own), a delivery's record with every step and its
author, the day's slots, the alarms, and the daily report to the exchange."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from hubport.domain.access import User
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api.errors import ERROR_RESPONSES
from hubport.entrypoints.api.futures import READERS, desk_of, member_of, visible_delivery
from hubport.entrypoints.api.horizon import HubDay
from hubport.entrypoints.api.security import allow
from hubport.futures.adapters.report_files import report_csv, report_json

router = APIRouter(prefix="/api/futures", responses=ERROR_RESPONSES, tags=["futures"])


# -- reads -------------------------------------------------------------------------------


@router.get("/deliveries")
def deliveries(
    request: Request,
    user: Annotated[User, Depends(allow(*READERS))],
    state: Annotated[str | None, Query(pattern="^[a-z_]{1,12}$")] = None,
) -> list[dict[str, Any]]:
    """The deliveries with their state and the deadline each waits on."""
    rows = desk_of(request).queries.deliveries(state, party=member_of(user))
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
    found = visible_delivery(request, user, delivery_id)
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
            for step in desk_of(request).queries.steps(delivery_id)
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
        for slot in desk_of(request).queries.slots(day)
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
        for a in desk_of(request).queries.alarms(now)
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
    daily = desk_of(request).queries.daily_report(day)
    if format == "json":
        return report_json(daily)
    name = f"futures-{daily.site}-{day.isoformat()}.csv"
    return Response(
        report_csv(daily),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


__all__ = ["router"]
