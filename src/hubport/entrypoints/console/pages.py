"""The console's pages: the control room, a train's load plan, the customs desk, the
shipper's page and the KPI dashboard; read through the query module, rendered in the
user's language. The control room's panels are fragments a small script refreshes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hubport.corridor.quote import QuoteRequest, parse_days, parse_mass
from hubport.domain.access import FUTURES_ROLES, OUTSIDE_HUB_ROLES, PARK_ROLES, User
from hubport.domain.errors import HubportError, VisitError
from hubport.entrypoints.api.dashboards import hub_day
from hubport.entrypoints.api.errors import classify
from hubport.entrypoints.api.horizon import HubDay, hub_now
from hubport.entrypoints.console import charts, words
from hubport.entrypoints.console.i18n import render, translations
from hubport.entrypoints.console.session import allow_page
from hubport.entrypoints.hub_network import hub_network
from hubport.entrypoints.quote import quote_payload
from hubport.services.queries import Queries

router = APIRouter(prefix="/console", include_in_schema=False)
STAFF = ("operator", "customs", "viewer", "admin")
EVERYONE = ("operator", "customs", "shipper", "viewer", "admin", "billing")
#: The log-futures delivery desk's people (a member sees its own deliveries).
DESK = ("exchange", "member", "inspector", "operator", "viewer", "admin")
#: The park's pages: its service office, departments, enterprises, and who reads.
PARK = ("park-admin", "department", "enterprise", "viewer", "admin")
#: The declaration states the customs desk filters by (arrived: the queue to release).
DECLARATION_STATES = ("arrived", "selected", "lodged", "released", "cancelled")
#: The panels of the control room, each a fragment of its own.
PARTS = ("cranes", "trains", "yard", "river", "alarms")
#: The links of the menu, by who may follow them.
MENU = (
    ("control", STAFF),
    ("customs", STAFF),
    ("shipper", EVERYONE),
    ("kpi", STAFF),
    ("futures", DESK),
    ("billing", ("billing", "operator", "viewer", "admin")),
    ("park", PARK),
)


def queries_of(request: Request) -> Queries:
    queries: Queries = request.app.state.queries
    return queries


def page(request: Request, user: User, template: str, **context: Any) -> HTMLResponse:
    """A page in the user's language, with the menu its role may follow."""
    menu = [name for name, roles in MENU if user.role in roles]
    html = render(
        user.language,
        template,
        user=user,
        menu=menu,
        site=queries_of(request).site,
        path=request.url.path,
        csrf=getattr(request.state, "csrf", ""),
        **context,
    )
    return HTMLResponse(html)


def error_page(request: Request, user: User, status: int, code: str, detail: str) -> HTMLResponse:
    """The error in the user's language, with the menu its role may follow."""
    response = page(
        request, user, "error.html", error={"status": status, "code": code, "detail": detail}
    )
    response.status_code = status
    return response


def fragment(user: User, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(user.language, template, user=user, **context))


def error_of(error: HubportError) -> dict[str, Any]:
    """A refused request as the page shows it: the code's sentence, and the detail."""
    status, code = classify(error)
    return {"status": status, "code": code, "detail": str(error)}


@router.get("/")
def home(
    user: Annotated[User, Depends(allow_page(*EVERYONE, *OUTSIDE_HUB_ROLES))],
) -> RedirectResponse:
    """Each role's first page."""
    desk = {**dict.fromkeys(FUTURES_ROLES, "futures"), **dict.fromkeys(PARK_ROLES, "park")}
    first = {"customs": "customs", "shipper": "shipper", "billing": "billing", **desk}.get(
        user.role, "control"
    )
    return RedirectResponse(f"/console/{first}", status_code=303)


# -- the control room ----------------------------------------------------------------------


@router.get("/control")
def control(request: Request, user: Annotated[User, Depends(allow_page(*STAFF))]) -> HTMLResponse:
    queries = queries_of(request)
    parts = {key: value for name in PARTS for key, value in _part(queries, name, user).items()}
    return page(request, user, "control.html", part_names=PARTS, **parts)


@router.get("/parts/{name}")
def part(
    request: Request, name: str, user: Annotated[User, Depends(allow_page(*STAFF))]
) -> HTMLResponse:
    """One panel of the control room, as the script refreshes it."""
    if name not in PARTS:
        return HTMLResponse("", status_code=404)
    return fragment(user, f"parts/{name}.html", **_part(queries_of(request), name, user))


def _part(queries: Queries, name: str, user: User) -> dict[str, Any]:
    if name == "cranes":
        return _cranes(queries)
    if name == "trains":
        return {"trains": queries.trains_on_tracks()}
    if name == "yard":
        return _yard(queries, translations(user.language).gettext)
    if name == "river":
        return _river(queries)
    return {"alarms": queries.alarms(12)}


def _river(queries: Queries) -> dict[str, Any]:
    """The river port's berths with the call at each (or the next), the shuttles by where
    they are, and the road trucks at the gate."""
    port = queries.site.river_port
    calls = queries.vessel_calls(limit=20)
    berths = []
    for berth in port.berths.values() if port is not None else ():
        mine = [c for c in calls if c["berth"] == berth.id]
        lying = next((c for c in mine if c["state"] == "on_site"), None)
        berths.append({"berth": berth, "call": lying or (mine[0] if mine else None)})
    shuttles = queries.shuttles()
    on_site = set(queries.trucks_on_site())
    road_trucks = len(on_site - {s["shuttle"] for s in shuttles})
    return {"port": port, "berths": berths, "shuttles": shuttles, "road_trucks": road_trucks}


def _cranes(queries: Queries) -> dict[str, Any]:
    """The cranes along the rail: where each is (its last set-down) and what it does."""
    site = queries.site
    rail = max(
        [block.x_of(2 * block.bays - 1) for block in site.blocks.values()]
        + [crane.zone_end_m for crane in site.cranes.values()]
    )
    views = []
    for crane, view in zip(site.cranes_along_rail, queries.cranes(), strict=True):
        x = view.last_x if view.last_x is not None else (crane.zone_start_m + crane.zone_end_m) / 2
        views.append({"view": view, "x": x, "share": min(1.0, max(0.0, x / rail))})
    return {"cranes": views, "rail_m": rail}


def _yard(queries: Queries, gettext: Callable[[str], str]) -> dict[str, Any]:
    """The yard map: a colour per train or barge the boxes of a stack leave on (the most
    stacks first, as many as the palette has); one for trucks' collections. Each cell's
    classes and title are made here: the map has thousands of cells, and a template's
    expression per cell costs ten times a string built in Python."""
    blocks = queries.yard_map()
    cells = [cell for block in blocks for row in block["rows"] for cell in row]
    carriers = Counter(c["leg"] for c in cells if c["leg"] and c["leg_mode"] != "road")
    colours = charts.leg_colours([leg for leg, _count in carriers.most_common()])
    colour_class = {leg: f"c{charts.PALETTE.index(colour)}" for leg, colour in colours.items()}
    modes = {mode: gettext(words.GROUPS["mode"][mode]) for mode in ("rail", "river", "road")}
    mixed = gettext("mixed next legs")
    for block in blocks:
        tiers = block["max_tiers"]
        for row in block["rows"]:
            for cell in row:
                cell["css"], cell["title"] = _cell(cell, block["block"], tiers, colour_class)
                if cell["leg"]:
                    cell["title"] += f" · {modes[cell['leg_mode']]} {cell['leg']}"
                elif cell["height"]:
                    cell["title"] += f" · {mixed}"
    return {
        "blocks": blocks,
        "legend": [(leg, colour_class[leg], carriers[leg]) for leg in sorted(colours)],
        "other_legs": sum(n for leg, n in carriers.items() if leg not in colours),
        "road_legs": sum(1 for c in cells if c["leg_mode"] == "road"),
        "occupancy": queries.yard_occupancy(),
    }


def _cell(
    cell: dict[str, Any], block: str, tiers: int, colour_class: dict[str, str]
) -> tuple[str, str]:
    """A stack's classes (its colour, how high it stands, its marks) and its title."""
    title = f"{block}-{cell['bay']:02d}-{cell['row']:02d} · {cell['height']}"
    if not cell["height"]:
        return "stack", title
    if not cell["leg"]:
        colour = "mixed"
    elif cell["leg_mode"] == "road":
        colour = "road"
    else:
        colour = colour_class.get(cell["leg"], "other")
    marks = [colour, f"h{min(5, round(5 * cell['height'] / tiers))}"]
    marks += [mark for mark in ("held", "reefers", "dangerous") if cell[mark]]
    return "stack " + " ".join(marks), title


@router.get("/trains/{train_id}")
def train(
    request: Request, train_id: str, user: Annotated[User, Depends(allow_page(*STAFF))]
) -> HTMLResponse:
    """A train's load plan, wagon by wagon."""
    try:
        plan = queries_of(request).train_plan(train_id)
    except VisitError as error:
        return error_page(request, user, 404, "not_found", str(error))
    return page(request, user, "train.html", plan=plan)


# -- the customs desk ---------------------------------------------------------------------


@router.get("/customs")
def customs_desk(
    request: Request,
    user: Annotated[User, Depends(allow_page(*STAFF))],
    box: Annotated[str, Query(max_length=11)] = "",
    state: Annotated[str, Query(pattern="^(|lodged|arrived|selected|released|cancelled)$")] = "",
) -> HTMLResponse:
    return customs_page(request, user, box=box, state=state)


def customs_page(
    request: Request,
    user: User,
    error: dict[str, Any] | None = None,
    box: str = "",
    state: str = "",
) -> HTMLResponse:
    queries = queries_of(request)
    found = None
    if box:
        try:
            found = queries.customs_of(box)
        except HubportError as refused:
            error = error_of(refused)
    declarations = queries.declarations(40, state or None)
    return page(
        request,
        user,
        "customs.html",
        declarations=declarations,
        state=state,
        states=DECLARATION_STATES,
        reports=[d for d in queries.declarations(40) if d["arrived_at"]][:15],
        holds=queries.open_holds(50),
        may_act=user.role == "customs",
        error=error,
        box=box,
        record=found,
    )


# -- the shipper's page -------------------------------------------------------------------


@router.get("/shipper")
def shipper(
    request: Request,
    user: Annotated[User, Depends(allow_page(*EVERYONE))],
    origin: Annotated[str, Query(alias="from", max_length=5)] = "",
    destination: Annotated[str, Query(alias="to", max_length=5)] = "",
    container: Annotated[str, Query(max_length=8)] = "40HC",
    mass: Annotated[str, Query(max_length=12)] = "20t",
    day: HubDay | None = None,
    prefix: Annotated[str, Query(max_length=11, pattern="^[A-Za-z0-9]*$")] = "",
) -> HTMLResponse:
    """My boxes and their status, and the quote form with its answer."""
    queries = queries_of(request)
    party = user.party if user.role == "shipper" else None
    boxes = queries.containers(prefix, None, party, 40)
    form = {"from": origin.upper(), "to": destination.upper(), "container": container}
    form["mass"], form["day"] = mass, (day or hub_now(request).date()).isoformat()
    quote, error = None, None
    if origin and destination:
        hub = request.app.state.hub
        try:
            request_ = QuoteRequest(
                origin.upper(),
                destination.upper(),
                container,
                parse_mass(mass),
                datetime.combine(date.fromisoformat(form["day"]), time(0)),
                parse_days("7d"),
            )
            network = hub_network(hub.settings, request_.date.date())
            quote = quote_payload(network, request_)
        except HubportError as refused:
            error = {**error_of(refused), "code": "quote_refused"}
    return page(
        request,
        user,
        "shipper.html",
        boxes=boxes,
        prefix=prefix.upper(),
        form=form,
        quote=quote,
        error=error,
    )


# -- the KPI dashboard --------------------------------------------------------------------


@router.get("/kpi")
def kpi(
    request: Request,
    user: Annotated[User, Depends(allow_page(*STAFF))],
    day: HubDay | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    queries = queries_of(request)
    shown = hub_day(request, day)
    figures = queries.kpis(shown)
    report = queries.corridor_report(year or shown.year)
    months = [f"{m:02d}" for m in range(1, 13)]
    trains_by_month = [sum(f.by_month[i] for f in report.sent.values()) for i in range(12)]
    teu_by_month = [sum(f.teu_by_month[i] for f in report.sent.values()) for i in range(12)]
    crane_chart = charts.bar_chart(
        [(c["crane"], c["per_hour"]) for c in figures["cranes"]["by_crane"]]
    )
    dwell_chart = charts.bar_chart([(t["train"][-6:], t["dwell_hours"]) for t in figures["trains"]])
    turn_chart = charts.bar_chart(
        [(str(b["from_min"]), b["visits"]) for b in figures["trucks"]["histogram"]]
    )
    occupancy_chart = charts.bar_chart(
        [(b["block"], round(100 * b["share"], 1)) for b in figures["occupancy"]]
    )
    return page(
        request,
        user,
        "kpi.html",
        day=shown,
        figures=figures,
        report=report,
        charts={
            "cranes": crane_chart,
            "dwell": dwell_chart,
            "turn": turn_chart,
            "occupancy": occupancy_chart,
            "trains": charts.bar_chart(list(zip(months, trains_by_month, strict=True))),
            "teu": charts.bar_chart(list(zip(months, teu_by_month, strict=True))),
        },
    )


__all__ = [
    "EVERYONE",
    "PARTS",
    "STAFF",
    "customs_page",
    "error_of",
    "error_page",
    "page",
    "router",
]
