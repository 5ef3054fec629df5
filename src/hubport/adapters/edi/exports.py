"""Outbound documents built from the platform's records: the event log and the inventory.

- COARRI for a train: the boxes discharged from it (with the yard slot each went to) and
  the boxes loaded onto it (with the slot each came from).
- CODECO: one gate-in or gate-out report per truck visit.
- IFTSTA: status milestones of boxes (arrived, discharged, loaded, customs, departed).
- COPRAR: the loading order of an outbound train (its load list).
- BAPLIE: the loaded state of a train (its wagons' spots as stowage positions).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.profiles import (
    COARRI_DISCHARGE,
    COARRI_LOADING,
    CODECO_GATE_IN,
    CODECO_GATE_OUT,
    COPRAR_LOADING,
)
from hubport.adapters.event_log import LoggedEvent
from hubport.domain.container import Container, CustomsStatus
from hubport.domain.errors import VisitError
from hubport.domain.events import (
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    CustomsStatusChanged,
    Event,
    TruckArrived,
)
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.inventory import Inventory
from hubport.domain.places import Place, Spreader, TruckSlot, WagonSlot, YardSlot
from hubport.domain.records import ContainerState

#: The hub's status event codes in IFTSTA (STS, code list ZZZ, see docs/edi.md).
STATUS_CODES = {
    "arrived": "ARR",
    "discharge": "DIS",
    "receipt": "RCV",
    "load": "LOA",
    "delivery": "DLV",
    "departed": "DEP",
    f"customs:{CustomsStatus.DECLARED.value}": "CDE",
    f"customs:{CustomsStatus.ARRIVED.value}": "CAR",
    f"customs:{CustomsStatus.HELD.value}": "CHD",
    f"customs:{CustomsStatus.RELEASED.value}": "CRL",
}
#: The directory each outbound type is written in.
DIRECTORIES = {
    "COARRI": "D.95B",
    "CODECO": "D.95B",
    "COPRAR": "D.95B",
    "BAPLIE": "D.95B",
    "IFTSTA": "D.00B",
}

Containers = Callable[[str], Container]


def coarri(
    train_id: str, events: Iterable[LoggedEvent], inventory: Inventory, hub: str
) -> list[Document]:
    """The discharge and loading reports of one train visit (each only if non-empty)."""
    record = inventory.train(train_id)
    discharged: dict[str, Equipment] = {}
    loaded: list[Equipment] = []
    lifted_from: dict[str, Place] = {}
    for event in _events(events):
        if not isinstance(event, ContainerMoved):
            continue
        number = event.number.value
        container = inventory.get(event.number).container
        if _on_train(event.origin, train_id):
            # discharged when lifted off the wagon; the yard slot follows at the set-down
            yard = None if isinstance(event.destination, Spreader) else event.destination
            discharged[number] = _line(container, event.origin, yard, event.at, "3", hub, "")
        elif isinstance(event.origin, Spreader) and number in discharged:
            line = discharged[number]
            if not line.yard_position:
                discharged[number] = dataclasses.replace(
                    line, yard_position=_position(event.destination)
                )
        elif _on_train(event.destination, train_id):
            origin = lifted_from.get(number, event.origin)
            loaded.append(_line(container, event.destination, origin, event.at, "2", "", hub))
        if isinstance(event.destination, Spreader):
            lifted_from[number] = event.origin
    train = record.train
    documents = []
    for code, lines in ((COARRI_DISCHARGE, list(discharged.values())), (COARRI_LOADING, loaded)):
        if lines:
            documents.append(
                _train_document("COARRI", code, train_id, train.service, hub, lines, code)
            )
    return documents


def coprar_load_order(
    train_id: str, events: Iterable[LoggedEvent], inventory: Inventory, hub: str
) -> Document:
    """The loading order (load list) of ``train_id``: every box whose next leg is this
    train or that stands on it, and, once it has left, the boxes that left with it."""
    record = inventory.train(train_id)
    lines: dict[str, Equipment] = {}
    for event in _events(events):
        if isinstance(event, ContainerDeparted) and _on_train(event.place, train_id):
            container = inventory.get(event.number).container
            lines[container.number.value] = _line(container, event.place, None, None, "2", "", hub)
    for box in inventory.records.values():
        container = box.container
        leg = container.next_leg
        on_train = _on_train(box.place, train_id)
        if box.state is ContainerState.DEPARTED:
            continue
        if not on_train and (leg is None or leg.reference != train_id):
            continue
        wagon = box.place if on_train else None
        yard = box.place if isinstance(box.place, YardSlot) else None
        lines[container.number.value] = _line(container, wagon, yard, None, "2", "", hub)
    ordered = [lines[number] for number in sorted(lines)]
    return _train_document(
        "COPRAR", COPRAR_LOADING, train_id, record.train.service, hub, ordered, "LO"
    )


def baplie(
    train_id: str, events: Iterable[LoggedEvent], inventory: Inventory, hub: str
) -> Document:
    """The loaded state of a train: its boxes on their wagon spots (or as it left)."""
    record = inventory.train(train_id)
    destination = record.train.destination or ""
    lines = []
    if record.state == "departed":
        for event in _events(events):
            if isinstance(event, ContainerDeparted) and _on_train(event.place, train_id):
                container = inventory.get(event.number).container
                lines.append(_line(container, event.place, None, None, "", destination, hub))
    else:
        for box in inventory.records.values():
            if _on_train(box.place, train_id):
                lines.append(_line(box.container, box.place, None, None, "", destination, hub))
    lines.sort(key=lambda line: line.position)
    train = record.train
    document = _train_document("BAPLIE", "", train_id, train.service, hub, lines, "BP")
    places = (("5", hub), *((("61", train.destination),) if train.destination else ()))
    return _replace_places(document, places)


def codeco(events: Iterable[LoggedEvent], hub: str, visit: str | None = None) -> list[Document]:
    """Gate-in and gate-out reports, one per truck visit and direction."""
    plates: dict[str, str] = {}
    groups: dict[tuple[str, str], list[Equipment]] = {}
    containers: dict[str, Container] = {}
    for event in _events(events):
        if isinstance(event, TruckArrived):
            plates[event.truck.id] = event.truck.plate
        container_event = _container_snapshot(event, containers)
        if container_event is None:
            continue
        place = getattr(event, "place", None)
        if not isinstance(place, TruckSlot) or (visit is not None and place.visit != visit):
            continue
        code = CODECO_GATE_IN if isinstance(event, ContainerArrived) else CODECO_GATE_OUT
        container = containers[str(event.number)]  # type: ignore[attr-defined]
        line = Equipment(
            number=container.number.value,
            size_type=container.size_type.code,
            status="2" if code == CODECO_GATE_IN else "3",
            full=container.full,
            gross_mass_kg=container.gross_mass_kg,
            seal=container.seal or "",
            operator=container.operator,
            event_time=_local(event.at),
            truck=plates.get(place.visit, place.visit),
        )
        groups.setdefault((place.visit, code), []).append(line)
    documents = []
    for (truck_visit, code), lines in groups.items():
        documents.append(
            Document(
                "CODECO",
                DIRECTORIES["CODECO"],
                code,
                f"{truck_visit}-{'IN' if code == CODECO_GATE_IN else 'OUT'}",
                "9",
                places=(("165", hub),),
                equipment=tuple(lines),
            )
        )
    return documents


def iftsta(
    events: Iterable[LoggedEvent],
    hub: str,
    since: datetime | None = None,
    visit: str | None = None,
) -> Document | None:
    """Status milestones of boxes, one line each: since ``since`` (all when None), and
    only those on a train or truck ``visit`` when one is given."""
    containers: dict[str, Container] = {}
    lines = []
    for logged in events:
        event = logged.event
        _container_snapshot(event, containers)
        if since is not None and event.at < since:
            continue
        milestone, place = _milestone(event)
        if milestone is None or (visit is not None and not _touches(event, visit)):
            continue
        container = containers.get(str(getattr(event, "number", "")))
        if container is None:
            continue
        lines.append(
            Equipment(
                number=container.number.value,
                size_type=container.size_type.code,
                position=_position(place),
                event=STATUS_CODES[milestone],
                event_time=_local(event.at),
            )
        )
    if not lines:
        return None
    return Document(
        "IFTSTA",
        DIRECTORIES["IFTSTA"],
        "23",
        f"STATUS-{lines[0].event_time or since:%Y%m%d%H%M}",
        "9",
        places=(("175", hub),),
        equipment=tuple(lines),
    )


# -- helpers ---------------------------------------------------------------------------


def _events(events: Iterable[LoggedEvent]) -> Iterable[Event]:
    return (logged.event for logged in events)


def _container_snapshot(event: Event, containers: dict[str, Container]) -> Event | None:
    """Keep the facts of each box as the log tells them; the box events pass through."""
    container = getattr(event, "container", None)
    if isinstance(container, Container):
        containers[container.number.value] = container
        return None
    if isinstance(event, ContainerArrived | ContainerDeparted):
        return event if str(event.number) in containers else None
    return None


_CARRIER_KINDS = ("wagon", "truck", "vessel")


def _milestone(event: Event) -> tuple[str | None, Place | None]:
    if isinstance(event, ContainerArrived):
        return "arrived", event.place
    if isinstance(event, ContainerDeparted):
        return "departed", event.place
    if isinstance(event, ContainerMoved) and event.reason in STATUS_CODES:
        # a crane move is a milestone where it meets a carrier: the lift off a wagon or
        # truck, the set-down onto one (not the lift or set-down inside the yard)
        if event.origin.kind in _CARRIER_KINDS:
            return event.reason, event.origin
        if event.destination.kind in _CARRIER_KINDS:
            return event.reason, event.destination
        if event.origin.kind != "crane" and event.destination.kind != "crane":
            return event.reason, event.destination
        return None, None
    if isinstance(event, CustomsStatusChanged):
        milestone = f"customs:{event.status.value}"
        return (milestone, None) if milestone in STATUS_CODES else (None, None)
    return None, None


def _touches(event: Event, visit: str) -> bool:
    """Whether the event puts a box on, or takes it off, a carrier of ``visit``."""
    places = [getattr(event, name, None) for name in ("place", "origin", "destination")]
    if getattr(event, "visit", None) == visit:
        return True
    return any(
        (isinstance(place, WagonSlot) and place.train == visit)
        or (isinstance(place, TruckSlot) and place.visit == visit)
        for place in places
    )


def _on_train(place: Place | None, train_id: str) -> bool:
    return isinstance(place, WagonSlot) and place.train == train_id


def _position(place: Place | None) -> str:
    """A place as the hub writes it in LOC+147 / LOC+ZZZ: a wagon spot ``03AB``, a yard
    slot ``A-04-02-1``."""
    if isinstance(place, WagonSlot):
        return f"{place.wagon:02d}{place.spot}"
    if isinstance(place, YardSlot):
        return f"{place.block}-{place.bay:02d}-{place.row:02d}-{place.tier}"
    if isinstance(place, TruckSlot):
        return f"{place.visit}-{place.spot}"
    return str(place).replace(":", "-") if place is not None else ""


def _line(
    container: Container,
    carrier_place: Place | None,
    yard_place: Place | None,
    at: datetime | None,
    status: str,
    discharge_place: str,
    loading_place: str,
) -> Equipment:
    leg = container.next_leg
    return Equipment(
        number=container.number.value,
        size_type=container.size_type.code,
        status=status,
        full=container.full,
        position=_position(carrier_place),
        yard_position=_position(yard_place),
        loading_place=loading_place,
        discharge_place=discharge_place,
        destination=(leg.destination or "") if leg is not None and status == "2" else "",
        gross_mass_kg=container.gross_mass_kg,
        seal=container.seal or "",
        operator=container.operator,
        imdg_class=container.imdg_class or "",
        temperature_c=container.reefer_setpoint_c,
        event_time=None if at is None else _local(at),
    )


def _train_document(
    message_type: str,
    code: str,
    train_id: str,
    service: str,
    hub: str,
    lines: Sequence[Equipment],
    suffix: str,
) -> Document:
    return Document(
        message_type,
        DIRECTORIES[message_type],
        code,
        f"{train_id}-{suffix}",
        "9",
        voyage=train_id,
        mode="2",
        transport_id=train_id,
        transport_name=service[:35],
        places=(("9" if code in (COARRI_LOADING, COPRAR_LOADING) else "11", hub),),
        equipment=tuple(lines),
    )


def _replace_places(document: Document, places: tuple[tuple[str, str], ...]) -> Document:
    return dataclasses.replace(document, places=places)


def _local(at: datetime) -> datetime:
    """An event time as the hub's local wall-clock time, to the minute (EDIFACT 203)."""
    return at.astimezone(HUB_TIME)


def require_visit(inventory: Inventory, visit: str) -> None:
    """Refuse an export for a visit the hub does not know, naming the known trains."""
    if inventory.find_train(visit) is None:
        raise VisitError(f"no train visit {visit!r} is known")
