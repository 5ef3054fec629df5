"""Domain events: one per state change, in the past tense, replayable from the event log."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from hubport.domain.container import (
    Container,
    ContainerNumber,
    CustomsStatus,
    LegMode,
    NextLeg,
    SizeType,
)
from hubport.domain.errors import HubportError
from hubport.domain.places import Place, WagonSlot, parse_place
from hubport.domain.river import VesselCall, vessel_call_from_data
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon


@dataclass(frozen=True)
class Event:
    """Something that happened at the hub, at ``at`` (the injected clock's time)."""

    at: datetime
    registry: ClassVar[dict[str, type[Event]]] = {}
    #: False for events about other things than boxes' records (crane jobs, alarms).
    changes_inventory: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Event.registry[cls.__name__] = cls

    @property
    def container_number(self) -> str | None:
        """The box this event is about, if it is about one box."""
        number = getattr(self, "number", None)
        if number is None and isinstance(container := getattr(self, "container", None), Container):
            number = container.number
        return str(number) if number is not None else None

    def to_payload(self) -> dict[str, Any]:
        """The event as plain JSON-ready data, for the event log."""
        return {field.name: encode(getattr(self, field.name)) for field in dataclasses.fields(self)}

    @classmethod
    def from_payload(cls, name: str, payload: dict[str, Any]) -> Event:
        """Rebuild an event of type ``name`` from the log's payload."""
        try:
            event_type = Event.registry[name]
        except KeyError:
            raise HubportError(f"unknown event type {name!r} in the event log") from None
        hints = _hints(event_type)
        values = {key: _decode(hints[key], value) for key, value in payload.items()}
        return event_type(**values)


@dataclass(frozen=True)
class ContainerAnnounced(Event):
    """A pre-advice (COPRAR, BAPLIE, appointment, declaration) told the hub a box is coming."""

    container: Container


@dataclass(frozen=True)
class ContainerUpdated(Event):
    """The box's facts changed (mass, next leg, seal…) while it is known to the hub."""

    container: Container


@dataclass(frozen=True)
class CustomsStatusChanged(Event):
    """Customs declared, reported arrival of, held or released the box."""

    number: ContainerNumber
    status: CustomsStatus
    reason: str


@dataclass(frozen=True)
class ContainerArrived(Event):
    """The box entered the hub on a carrier (or was taken over in the yard)."""

    number: ContainerNumber
    place: Place
    visit: str | None


@dataclass(frozen=True)
class ContainerMoved(Event):
    """A crane moved the box; ``reason`` says why (discharge, load, relocation…)."""

    number: ContainerNumber
    origin: Place
    destination: Place
    crane: str | None
    reason: str


@dataclass(frozen=True)
class ContainerDeparted(Event):
    """The box left the hub with its carrier."""

    number: ContainerNumber
    place: Place
    visit: str | None


@dataclass(frozen=True)
class TrainRegistered(Event):
    """A train visit was scheduled: its service, direction and wagons."""

    train: TrainVisit


@dataclass(frozen=True)
class TrainArrived(Event):
    train: str
    track: str


@dataclass(frozen=True)
class TrainDeparted(Event):
    train: str


@dataclass(frozen=True)
class TruckArrived(Event):
    """A truck passed the in-gate."""

    truck: TruckVisit


@dataclass(frozen=True)
class TruckDeparted(Event):
    """A truck passed the out-gate."""

    visit: str


@dataclass(frozen=True)
class VesselCallRegistered(Event):
    """A barge or ship call was planned at a berth of the river port, in its window."""

    call: VesselCall


@dataclass(frozen=True)
class VesselBerthed(Event):
    """The vessel came alongside its berth: its boxes for the hub are at their cells."""

    call: str
    berth: str


@dataclass(frozen=True)
class VesselDeparted(Event):
    """The vessel left its berth with every box aboard."""

    call: str


@dataclass(frozen=True)
class BayPlanRecorded(Event):
    """A vessel call's bay plan for the hub: each box and its cell (``vessel:CALL:BBBRRTT``)."""

    call: str
    cells: tuple[tuple[str, str], ...]
    source: str


@dataclass(frozen=True)
class LoadListRecorded(Event):
    """The boxes a vessel call is to take away."""

    call: str
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class ShuttleLeft(Event):
    """A shuttle truck left one end of the road (river port or station) for the other."""

    visit: str
    origin: str
    destination: str


@dataclass(frozen=True)
class ShuttleReached(Event):
    """A shuttle truck reached the end of the road it was bound for."""

    visit: str
    location: str


def encode(value: Any) -> Any:
    """A value as JSON-ready data: times as ISO text, places and numbers as their text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, ContainerNumber | SizeType):
        return str(value)
    if isinstance(value, CustomsStatus | LegMode):
        return value.value
    if isinstance(value, Place):
        return str(value)
    if isinstance(value, tuple):
        return [encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    return value


def container_to_data(container: Container) -> dict[str, Any]:
    """The container as JSON-ready data."""
    data: dict[str, Any] = encode(container)
    return data


def container_from_data(data: dict[str, Any]) -> Container:
    """Rebuild a container from ``container_to_data``'s output (validating it again)."""
    leg = data.get("next_leg")
    return Container(
        number=ContainerNumber(data["number"]),
        size_type=SizeType.of(data["size_type"]),
        gross_mass_kg=int(data["gross_mass_kg"]),
        full=bool(data.get("full", True)),
        operator=data.get("operator", ""),
        reefer_setpoint_c=data.get("reefer_setpoint_c"),
        imdg_class=data.get("imdg_class"),
        next_leg=None
        if leg is None
        else NextLeg(
            mode=LegMode(leg["mode"]),
            reference=leg["reference"],
            due=None if leg.get("due") is None else datetime.fromisoformat(leg["due"]),
            destination=leg.get("destination"),
        ),
        customs_status=CustomsStatus(data.get("customs_status", "not_required")),
        seal=data.get("seal"),
    )


_HINTS: dict[str, dict[str, str]] = {}


def _hints(event_type: type[Event]) -> dict[str, str]:
    """Each field's type, as the text the decoder dispatches on (worked out once a type)."""
    hints = _HINTS.get(event_type.__name__)
    if hints is None:
        hints = {field.name: str(field.type) for field in dataclasses.fields(event_type)}
        _HINTS[event_type.__name__] = hints
    return hints


def _decode(hint: str, value: Any) -> Any:
    if value is None:
        return None
    hint = hint.removesuffix(" | None")
    if hint == "datetime":
        return datetime.fromisoformat(value)
    if hint == "ContainerNumber":
        return ContainerNumber(value)
    if hint == "CustomsStatus":
        return CustomsStatus(value)
    if hint == "Place":
        return parse_place(value)
    if hint == "Container":
        return container_from_data(value)
    if hint == "TrainVisit":
        return train_from_data(value)
    if hint == "TruckVisit":
        return truck_from_data(value)
    if hint == "VesselCall":
        return vessel_call_from_data(value)
    if hint.startswith("tuple["):
        return _tuples(value)
    return value


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples they were written from."""
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def train_from_data(data: dict[str, Any]) -> TrainVisit:
    """Rebuild a train visit from its JSON-ready data."""
    return TrainVisit(
        id=data["id"],
        service=data["service"],
        direction=data["direction"],
        wagons=tuple(Wagon(**wagon) for wagon in data["wagons"]),
        origin=data.get("origin"),
        destination=data.get("destination"),
        scheduled=_moment(data.get("scheduled")),
        arrives=_moment(data.get("arrives")),
        departs=_moment(data.get("departs")),
        consist=tuple(
            (ContainerNumber(number), wagon_slot(place))
            for number, place in data.get("consist", ())
        ),
    )


def wagon_slot(text: str) -> WagonSlot:
    """The wagon slot spelled ``text``; an error naming it when it is another place."""
    place = parse_place(text)
    if not isinstance(place, WagonSlot):
        raise HubportError(f"{text!r} is not a wagon slot")
    return place


def truck_from_data(data: dict[str, Any]) -> TruckVisit:
    return TruckVisit(**{**data, "collects": tuple(data.get("collects", ()))})


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
