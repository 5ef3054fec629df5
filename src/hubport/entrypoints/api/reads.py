"""The API's reads: containers, the yard, trains, vessel calls, customs and the gate.

Every read goes through the query module; a shipper sees only its own boxes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import PlainTextResponse

from hubport.corridor.quote import QuoteRequest, parse_days, parse_mass
from hubport.domain.access import User
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import ContainerNotFound, HubportError, VisitError
from hubport.domain.events import encode
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubDay, HubMoment, hub_now
from hubport.entrypoints.api.security import EVERYONE, HUB_USERS, OPERATORS, STAFF, allow
from hubport.entrypoints.hub_network import hub_network
from hubport.entrypoints.quote import quote_payload
from hubport.entrypoints.trains import timetable_json
from hubport.entrypoints.views import container_data
from hubport.services.queries import Queries
from hubport.services.shipper_view import ShipperView

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
#: The largest row id the stores take (their id columns are 32-bit on PostgreSQL).
MAX_ID = 2**31 - 1


def _queries(request: Request) -> Queries:
    queries: Queries = request.app.state.queries
    return queries


def _known(found: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """``found``, or a 404 naming what is not known."""
    if found is None:
        raise ApiError(404, "not_found", f"no {what} is known")
    return found


def _visible(queries: Queries, user: User, number: str) -> dict[str, Any]:
    """A box the user may see, with its history; a box of another party is not found."""
    record = queries.container(number)
    if not user.sees(record.container):
        raise ContainerNotFound(ContainerNumber(number).value)
    return container_data(record, queries.history(number))


@router.get("/health", tags=["hub"])
def health(request: Request) -> dict[str, Any]:
    """Whether the API answers, and for which site (no token needed)."""
    site = _queries(request).site
    return {"status": "ok", "site": site.name, "locode": site.locode}


@router.get("/me", tags=["hub"])
def me(user: Annotated[User, Depends(allow(*EVERYONE))]) -> dict[str, Any]:
    """Who the token belongs to: name, role and party."""
    return {"user": user.name, "role": user.role, "party": user.party, "language": user.language}


@router.get("/containers", tags=["containers"])
def containers(
    request: Request,
    user: Annotated[User, Depends(allow(*HUB_USERS))],
    prefix: Annotated[str, Query(max_length=11, pattern="^[A-Za-z0-9]*$")] = "",
    state: Annotated[str | None, Query(pattern="^(announced|in_hub|departed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """Boxes by number prefix and state (a shipper: only its own)."""
    party = user.party if user.role == "shipper" else None
    return _queries(request).containers(prefix, state, party, limit)


@router.get("/containers/{number}", tags=["containers"])
def container(
    request: Request, number: str, user: Annotated[User, Depends(allow(*HUB_USERS))]
) -> dict[str, Any]:
    """One box: where it is, its facts, customs and its whole history."""
    queries = _queries(request)
    found = _visible(queries, user, number)
    found["customs_record"] = queries.customs_of(found["number"])
    if user.role == "shipper" and user.party:
        shown: dict[str, Any] = ShipperView(user.party, queries.operators_of).shows(found)
        return shown
    return found


@router.get("/yard", tags=["yard"])
def yard(request: Request, _user: Annotated[User, Depends(allow(*STAFF))]) -> dict[str, Any]:
    """How full the yard is, and its blocks."""
    queries = _queries(request)
    occupancy = queries.yard_occupancy()
    blocks = [
        {"block": block.id, "bays": block.bays, "rows": block.rows, "max_tiers": block.max_tiers}
        for block in queries.site.blocks.values()
    ]
    return {**encode(occupancy), "share": occupancy.share, "blocks": blocks}


@router.get("/train-services", tags=["trains"])
def train_services(
    request: Request,
    _user: Annotated[User, Depends(allow(*EVERYONE))],
    count: Annotated[int, Query(ge=0, le=20)] = 3,
) -> list[dict[str, Any]]:
    """The site's corridor train services (班列): route, days and times, wagons, the
    train's limits, and the next ``count`` departures."""
    now = hub_now(request)
    found: list[dict[str, Any]] = timetable_json(_queries(request).site, [], now, count)["services"]
    return found


@router.get("/trains", tags=["trains"])
def trains(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    state: Annotated[str | None, Query(pattern="^(expected|on_site|departed)$")] = None,
) -> list[dict[str, Any]]:
    """Train visits: service, direction, state, track."""
    return [
        {
            "train": record.train.id,
            "service": record.train.service,
            "direction": record.train.direction,
            "state": record.state,
            "track": record.track,
            "wagons": len(record.train.wagons),
        }
        for record in _queries(request).trains(state)
    ]


@router.get("/trains/{train_id}", tags=["trains"])
def train(
    request: Request, train_id: str, _user: Annotated[User, Depends(allow(*STAFF))]
) -> dict[str, Any]:
    """One train visit, the boxes on its wagons and its crane moves by state."""
    queries = _queries(request)
    try:
        view = queries.train(train_id)
    except VisitError as error:
        raise ApiError(404, "not_found", str(error)) from None
    return {
        "visit": encode(view.record.train),
        "state": view.record.state,
        "track": view.record.track,
        "boxes": list(view.boxes),
        "moves": queries.train_moves(train_id),
    }


@router.get("/trains/{train_id}/load-plan", tags=["trains"])
def train_load_plan(
    request: Request, train_id: str, _user: Annotated[User, Depends(allow(*STAFF))]
) -> dict[str, Any]:
    """A train's wagons spot by spot: the box on it or planned for it, and how far its crane
    move has come (on_wagon, to_load, in_hand, loaded, to_discharge, discharged, failed)."""
    try:
        return _queries(request).train_plan(train_id)
    except VisitError as error:
        raise ApiError(404, "not_found", str(error)) from None


@router.get("/vessel-calls", tags=["river port"])
def vessel_calls(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    departed: bool = False,
) -> list[dict[str, Any]]:
    """Barge and ship calls by berth window."""
    return _queries(request).vessel_calls(include_departed=departed)


@router.get("/vessel-calls/{call_id}", tags=["river port"])
def vessel_call(
    request: Request, call_id: str, _user: Annotated[User, Depends(allow(*STAFF))]
) -> dict[str, Any]:
    """One call, its bay plan, load list and the boxes aboard."""
    return _known(_queries(request).vessel_call(call_id), f"vessel call {call_id!r}")


@router.get("/cranes", tags=["cranes"])
def crane_states(
    request: Request, _user: Annotated[User, Depends(allow(*STAFF))]
) -> list[dict[str, Any]]:
    """Each crane: its state, the job in hand, its queue and its last set-down."""
    found: list[dict[str, Any]] = encode(tuple(_queries(request).cranes()))
    return found


@router.get("/quotes", tags=["corridor"])
def quotes(
    request: Request,
    _user: Annotated[User, Depends(allow(*EVERYONE))],
    origin: Annotated[str, Query(alias="from", pattern="^[A-Za-z]{5}$")],
    destination: Annotated[str, Query(alias="to", pattern="^[A-Za-z]{5}$")],
    container: Annotated[str, Query(max_length=8)] = "40HC",
    mass: Annotated[str, Query(max_length=12)] = "20t",
    day: HubDay | None = None,
    window: Annotated[str, Query(max_length=6)] = "7d",
) -> dict[str, Any]:
    """Door-to-door options over the corridor (the Pareto set), each with its landing bill."""
    hub = request.app.state.hub
    ready = datetime.combine(day or hub_now(request).date(), time(0))
    network = hub_network(hub.settings, ready.date())
    quote_request = QuoteRequest(
        origin.upper(), destination.upper(), container, parse_mass(mass), ready, parse_days(window)
    )
    return quote_payload(network, quote_request)


@router.get("/customs/declarations", tags=["customs"])
def declarations(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    state: Annotated[
        str | None, Query(pattern="^(lodged|arrived|selected|released|cancelled)$")
    ] = None,
) -> list[dict[str, Any]]:
    """The latest declarations, newest first; in one state (``arrived``: waiting for
    release), if asked."""
    return _queries(request).declarations(limit, state)


@router.get("/customs/declarations/{declaration_id}", tags=["customs"])
def declaration(
    request: Request, declaration_id: str, _user: Annotated[User, Depends(allow(*STAFF))]
) -> dict[str, Any]:
    """One declaration: its boxes, legs, state and times."""
    return _known(_queries(request).declaration(declaration_id), f"declaration {declaration_id!r}")


@router.get("/appointments", tags=["gate"])
def appointments(
    request: Request,
    user: Annotated[User, Depends(allow(*HUB_USERS))],
    day: HubDay | None = None,
) -> list[dict[str, Any]]:
    """The truck appointments of a day (hub time; default today); a shipper's only."""
    queries = _queries(request)
    start = datetime.combine(day or hub_now(request).date(), time(0), HUB_TIME)
    listed = queries.appointments(start, start + timedelta(days=1))
    if user.role != "shipper":
        return listed
    mine = []
    for appointment in listed:
        try:
            record = queries.container(appointment["box"])
        except ContainerNotFound:
            continue
        if user.sees(record.container):
            mine.append(appointment)
    return mine


@router.get("/gate/windows", tags=["gate"])
def gate_windows(
    request: Request,
    _user: Annotated[User, Depends(allow(*HUB_USERS))],
    start: HubMoment | None = None,
    hours: Annotated[int, Query(ge=1, le=14 * 24)] = 24,
) -> list[dict[str, Any]]:
    """The gate's appointment windows from the one holding ``start`` (default now) for
    ``hours``, each with its trucks booked and its room left: where to book a truck."""
    begin = start or hub_now(request)
    windows = _queries(request).gate_windows(begin, begin + timedelta(hours=hours))
    return [
        {
            "start": window.start.astimezone(HUB_TIME).isoformat(),
            "end": window.end.astimezone(HUB_TIME).isoformat(),
            "booked": window.booked,
            "trucks": window.trucks,
            "free": window.free,
        }
        for window in windows
    ]


@router.get("/gate/visits", tags=["gate"])
def truck_visits(
    request: Request,
    _user: Annotated[User, Depends(allow(*STAFF))],
    day: HubDay | None = None,
) -> list[dict[str, Any]]:
    """The gate's transactions: the road trucks that left on a day (default today) and
    those on site now, with their times in and out."""
    start = datetime.combine(day or hub_now(request).date(), time(0), HUB_TIME)
    return _queries(request).truck_visits(start, start + timedelta(days=1))


@router.get("/edi/messages", tags=["edi"])
def interchanges(
    request: Request,
    _user: Annotated[User, Depends(allow(*OPERATORS))],
    direction: Annotated[str | None, Query(pattern="^(in|out)$")] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """The EDI record, newest first: what came in (and what became of it) and what went out."""
    return [
        {
            "id": record.id,
            "direction": record.direction,
            "partner": record.partner,
            "control_reference": record.control_reference,
            "types": record.message_types,
            "status": record.status,
            "at": record.at.isoformat(),
            "file": record.file_name,
            "report": record.report,
        }
        for record in _queries(request).interchanges(direction, status, limit)
    ]


@router.get(
    "/edi/messages/{record_id}",
    tags=["edi"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}, "description": "the interchange"}},
)
def interchange(
    request: Request,
    record_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _user: Annotated[User, Depends(allow(*OPERATORS))],
) -> PlainTextResponse:
    """One interchange exactly as received or sent (a download)."""
    try:
        record = _queries(request).interchange(record_id)
    except HubportError as error:
        raise ApiError(404, "not_found", str(error)) from None
    name = f"{record.direction}-{record.partner}-{record.control_reference}.edi"
    return PlainTextResponse(
        record.raw, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


__all__ = ["router"]
