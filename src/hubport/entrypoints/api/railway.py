"""The railway's writes: a train visit with its consist, its arrival on a track, its
discharge order and its release for departure. Each is one bus command under a key made
from the train, so the same request again answers the same; another request about the
same train is a 409 that says what differs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from hubport.domain.access import User
from hubport.domain.container import Container, ContainerNumber
from hubport.domain.errors import ContainerNotFound, HubportError
from hubport.domain.places import WagonSlot
from hubport.domain.visits import TrainVisit, Wagon
from hubport.entrypoints.api.actors import (
    BoxFacts,
    Identifier,
    container_of,
    hub_of,
    send,
)
from hubport.entrypoints.api.errors import ERROR_RESPONSES, ApiError
from hubport.entrypoints.api.horizon import HubMoment
from hubport.entrypoints.api.security import allow
from hubport.services import commands
from hubport.services.messagebus import IdempotencyConflict
from hubport.services.train_commands import AnnounceTrain, OrderDischarge

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

RAILWAY = ("railway", "operator", "admin")


class TrainBox(BoxFacts):
    box: str = Field(min_length=11, max_length=11, examples=["CSQU3054383"])
    size_type: str = Field(min_length=4, max_length=4, examples=["22G1"])
    slot: Literal["A", "B", "AB"]
    mass_kg: int = Field(gt=0, le=50_000)


class TrainWagon(BaseModel):
    wagon: int | str = Field(
        description="its place in the train (1, 2, ...) or the railway's wagon number",
        examples=[1, "3602345"],
    )
    type: str = Field(min_length=1, max_length=20, examples=["NX70A"])
    boxes: list[TrainBox] = Field(default_factory=list, max_length=2)


class TrainRequest(BaseModel):
    train: Identifier
    service: str = Field(min_length=1, max_length=80)
    direction: Literal["inbound", "outbound"]
    arrives: HubMoment
    departs: HubMoment
    wagons: list[TrainWagon] = Field(min_length=1, max_length=200)


class Arrival(BaseModel):
    track: str = Field(min_length=1, max_length=16)
    at: HubMoment | None = None


class DischargeLine(BaseModel):
    box: str = Field(min_length=11, max_length=11)
    wagon: int | str = Field(description="as the train was registered: place or number")
    slot: Literal["A", "B", "AB"]


class DischargeRequest(BaseModel):
    lines: list[DischargeLine] = Field(default_factory=list, max_length=400)


def _train_visit(request: Request, body: TrainRequest) -> tuple[TrainVisit, list[Container]]:
    site = hub_of(request).site
    wagons, consist, containers = [], [], []
    places = [str(wagon.wagon) for wagon in body.wagons]
    # the wagons by their places 1..n, or by the railway's numbers in train order
    by_place = places == [str(index) for index in range(1, len(places) + 1)]
    if not by_place and len(set(places)) != len(places):
        raise ApiError(422, "bad_wagon", "a wagon number is listed twice")
    for index, wagon in enumerate(body.wagons, start=1):
        code = "" if by_place else str(wagon.wagon)
        if not by_place and not 1 <= len(code) <= 20:
            raise ApiError(422, "bad_wagon", f"wagon number {code!r} is not 1-20 characters")
        kind = site.wagon_types.get(wagon.type)
        if kind is None:
            known = ", ".join(sorted(site.wagon_types))
            raise ApiError(422, "bad_wagon", f"wagon type {wagon.type!r} is not one of {known}")
        wagons.append(Wagon(index, kind.code, kind.payload_kg, code))
        for line in wagon.boxes:
            container = container_of(line.box, line.size_type, line.mass_kg, line)
            containers.append(container)
            consist.append((container.number, WagonSlot(body.train, index, line.slot)))
    visit = TrainVisit(
        body.train,
        body.service,
        body.direction,
        tuple(wagons),
        arrives=body.arrives,
        departs=body.departs,
        consist=tuple(consist),
    )
    return visit, containers


def _train_difference(request: Request, visit: TrainVisit, boxes: list[Container]) -> str:
    """What a request says differently from the train as registered."""
    queries = hub_of(request).queries
    try:
        stored = queries.train(visit.id).record.train
    except HubportError:
        return "it differs from the first request"
    differences = [
        f"{name} is {getattr(stored, name)!s}, not {getattr(visit, name)!s}"
        for name in ("service", "direction", "arrives", "departs")
        if getattr(stored, name) != getattr(visit, name)
    ]
    if len(stored.wagons) != len(visit.wagons):
        differences.append(f"it has {len(stored.wagons)} wagons, not {len(visit.wagons)}")
    else:
        differences += [
            f"wagon {old.number} is a {old.kind}, not a {new.kind}"
            for old, new in zip(stored.wagons, visit.wagons, strict=True)
            if old.kind != new.kind
        ]
    before = {number.value: slot for number, slot in stored.consist}
    after = {number.value: slot for number, slot in visit.consist}
    for number in sorted(set(before) | set(after)):
        if number not in after:
            differences.append(f"box {number} was at {before[number]}")
        elif number not in before:
            differences.append(f"box {number} was not on it")
        elif before[number] != after[number]:
            differences.append(f"box {number} is at {before[number]}, not {after[number]}")
    for container in boxes:
        try:
            known = queries.container(container.number.value).container
        except ContainerNotFound:
            continue
        if (known.size_type, known.gross_mass_kg) != (container.size_type, container.gross_mass_kg):
            differences.append(
                f"box {container.number} is a {known.size_type} of {known.gross_mass_kg} kg, "
                f"not a {container.size_type} of {container.gross_mass_kg} kg"
            )
    return "; ".join(differences) or "it differs from the first request"


@router.post("/trains", tags=["railway"], status_code=201)
def register_train(
    request: Request,
    body: TrainRequest,
    user: Annotated[User, Depends(allow(*RAILWAY))],
) -> dict[str, Any]:
    """Register a train visit with its wagons and the boxes on them (an outbound train
    comes with empty wagons). The same request again answers the same; another request
    for the same train is refused with what differs."""
    visit, containers = _train_visit(request, body)
    command = AnnounceTrain(visit, tuple(containers), idempotency_key=f"api:train:{visit.id}")
    try:
        return send(request, command)
    except IdempotencyConflict:
        difference = _train_difference(request, visit, containers)
        raise ApiError(
            409, "train_conflict", f"train {visit.id} is registered already: {difference}"
        ) from None


@router.post("/trains/{train_id}/arrival", tags=["railway"])
def train_arrival(
    request: Request,
    train_id: str,
    body: Arrival,
    user: Annotated[User, Depends(allow(*RAILWAY))],
) -> dict[str, Any]:
    """The train stands on its track: the boxes it was registered with are on its wagons
    (``at``: when, if not the runtime's clock now)."""
    at = body.at
    command = commands.ArriveTrain(
        train_id, body.track, at=at, idempotency_key=f"api:arrival:{train_id}"
    )
    try:
        return send(request, command)
    except IdempotencyConflict:
        raise ApiError(
            409, "train_conflict", f"train {train_id} has arrived already, not as this says"
        ) from None


@router.post("/trains/{train_id}/discharge", tags=["railway"], status_code=202)
def train_discharge(
    request: Request,
    train_id: str,
    body: DischargeRequest,
    user: Annotated[User, Depends(allow(*RAILWAY))],
) -> dict[str, Any]:
    """Order the train's boxes off (``lines`` empty: every box). The runtime turns the
    order into crane work as soon as the train stands on its track."""
    places: dict[str, int] = {}
    if body.lines:
        try:
            wagons = hub_of(request).queries.train(train_id).record.train.wagons
        except HubportError as error:
            raise ApiError(404, "not_found", str(error)) from None
        places = {wagon.code or str(wagon.number): wagon.number for wagon in wagons}

    def place_of(wagon: int | str) -> int:
        if str(wagon) not in places:
            raise ApiError(422, "bad_wagon", f"train {train_id} has no wagon {wagon}")
        return places[str(wagon)]

    lines = tuple(
        (ContainerNumber(line.box), WagonSlot(train_id, place_of(line.wagon), line.slot))
        for line in body.lines
    )
    digest = OrderDischarge(train_id, lines).digest()[:16]
    command = OrderDischarge(
        train_id, lines, source=f"api:{user.name}", idempotency_key=f"api:discharge:{digest}"
    )
    return send(request, command)


@router.post("/trains/{train_id}/departure", tags=["railway"])
def train_departure(
    request: Request,
    train_id: str,
    user: Annotated[User, Depends(allow(*RAILWAY))],
) -> dict[str, Any]:
    """The railway takes the train away (refused while a box is still being worked)."""
    return send(
        request, commands.DepartTrain(train_id, idempotency_key=f"api:departure:{train_id}")
    )


__all__ = ["router"]
