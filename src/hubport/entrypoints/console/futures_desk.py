"""The console's delivery desk for log futures on the vehicle: the day's deliveries with
the deadline each waits on, the alarms, the slots on a timeline of the site's spots, and
each tally's volume against the matched volume. A member sees its own deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from hubport.domain.access import User
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api.horizon import HubDay
from hubport.entrypoints.console.pages import DESK, page
from hubport.entrypoints.console.session import allow_page
from hubport.futures.adapters.queries import SlotRow
from hubport.futures.bootstrap import FuturesDesk
from hubport.futures.domain.site import DeliverySite

router = APIRouter(prefix="/console", include_in_schema=False)
#: The timeline's size (SVG units): a row per loading spot.
WIDTH, LABEL, ROW = 740.0, 60.0, 28.0


@dataclass(frozen=True)
class Bar:
    delivery: str
    x: float
    width: float
    y: float
    label: str
    active: bool


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    rows: list[tuple[str, float]]
    hours: list[tuple[str, float]]
    bars: list[Bar]


@dataclass(frozen=True)
class TallyLine:
    delivery: str
    accepted_m3: Decimal
    target_m3: Decimal
    share: float
    passed: bool


def timeline(site: DeliverySite, slots: list[SlotRow]) -> Timeline:
    """The site's spots as rows, its working hours across, the slots as bars."""
    opens = site.opens.hour * 60 + site.opens.minute
    closes = site.closes.hour * 60 + site.closes.minute
    span = WIDTH - LABEL - 20.0  # room for the last hour's label

    def x_of(moment: datetime) -> float:
        local = moment.astimezone(HUB_TIME)
        minutes = min(max(local.hour * 60 + local.minute, opens), closes)
        return LABEL + span * (minutes - opens) / (closes - opens)

    keys = [spot.key for spot in site.spots]
    rows = [(key, ROW * (index + 1)) for index, key in enumerate(keys)]
    hours = [
        (f"{hour:02d}", LABEL + span * (hour * 60 - opens) / (closes - opens))
        for hour in range(site.opens.hour + (site.opens.minute > 0), site.closes.hour + 1)
    ]
    bars = []
    for slot in slots:
        key = f"{slot.track}/{slot.spot}"
        if key not in keys:
            continue
        start, end = x_of(slot.start), x_of(slot.end)
        label = (
            f"{slot.delivery} {slot.start.astimezone(HUB_TIME):%H:%M}–"
            f"{slot.end.astimezone(HUB_TIME):%H:%M} {slot.volume_m3} m³"
        )
        y = ROW * (keys.index(key) + 1) - ROW * 0.7
        bars.append(Bar(slot.delivery, start, max(end - start, 2.0), y, label, slot.active))
    return Timeline(WIDTH, ROW * (len(keys) + 1) + 4, rows, hours, bars)


@router.get("/futures")
def futures_desk(
    request: Request,
    user: Annotated[User, Depends(allow_page(*DESK))],
    day: Annotated[HubDay | None, Query()] = None,
) -> HTMLResponse:
    desk: FuturesDesk = request.app.state.futures
    now = request.app.state.hub.bus.clock.now()
    shown: date = day or now.astimezone(HUB_TIME).date()
    party = user.party if user.role == "member" else None
    deliveries = desk.queries.deliveries(party=party)
    mine = {row.id for row in deliveries}
    tallies = []
    for row in deliveries:
        if row.state not in ("inspected", "handed_over", "settled", "disputed"):
            continue
        inspection = desk.queries.delivery(row.id).inspection
        if inspection is None:
            continue
        share = float(inspection.tallied_m3 / row.volume_m3)
        tallies.append(
            TallyLine(row.id, inspection.tallied_m3, row.volume_m3, share, inspection.passed)
        )
    slots = [s for s in desk.queries.slots(shown) if party is None or s.delivery in mine]
    alarms = [a for a in desk.queries.alarms(now) if a.delivery in mine]
    return page(
        request,
        user,
        "futures.html",
        desk_site=desk.site,
        day=shown,
        deliveries=deliveries,
        alarms=alarms,
        chart=timeline(desk.site, slots),
        tallies=tallies,
        day_start=datetime.combine(shown, time(0), HUB_TIME),
    )


__all__ = ["DESK", "Timeline", "router", "timeline"]
