"""The rail side of the hub as data: wagon types, and the corridor train services that call
at the hub with their route, split points, weekly timetable, operator and limits.

A site file lists its own ``[[wagon_types]]`` and ``[[train_services]]``; the common
Chinese container flat wagons ship with hubport (``sites/wagon_types.toml``), each figure
with its source. ``check_visit`` holds a train visit to its service and its wagons' types,
and ``check_consist`` a train's announced boxes to its wagons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from hubport.domain.container import Container
from hubport.domain.errors import HubportError, SiteError, VisitError
from hubport.domain.places import WagonSlot
from hubport.domain.visits import Direction, TrainVisit

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class WagonType:
    """A container flat wagon type: a 40' platform takes two 20' boxes (slots A and B) or
    one box up to ``max_box_ft`` on the whole platform (AB)."""

    code: str
    length_m: float
    tare_kg: int
    payload_kg: int
    max_20ft_kg: int
    platform_ft: int = 40
    max_box_ft: int = 40
    source: str = ""

    def heaviest_kg(self, length_ft: int) -> int:
        """The heaviest box of this length one wagon of the type takes."""
        return min(self.payload_kg, self.max_20ft_kg) if length_ft == 20 else self.payload_kg


@dataclass(frozen=True)
class TrainLimits:
    """What a train of a service may weigh and measure: gross mass (wagon tares and boxes),
    length (the wagons), number of wagons, and the mass difference of two 20' boxes that
    share a wagon."""

    max_gross_kg: int
    max_length_m: float
    max_pair_difference_kg: int = 10_000
    max_wagons: int | None = None


@dataclass(frozen=True)
class SplitPoint:
    """An intermediate stop where wagons ``first``..``last`` (from the locomotive) are
    detached with their boxes."""

    at: str
    first: int
    last: int

    def wagons(self, count: int) -> range:
        return range(self.first, min(self.last, count) + 1)


@dataclass(frozen=True)
class TrainService:
    """A scheduled corridor train service at the hub (班列)."""

    id: str
    name: str
    operator: str
    direction: Direction
    #: Its stops as UN/LOCODEs, from its origin to its destination.
    route: tuple[str, ...]
    #: Days of the week it runs (0 = Monday) and its times there, in hub time.
    weekdays: tuple[int, ...]
    times: tuple[time, ...]
    limits: TrainLimits
    wagon_type: str
    wagons: int
    splits: tuple[SplitPoint, ...] = ()
    source: str = ""

    @property
    def origin(self) -> str:
        return self.route[0]

    @property
    def destination(self) -> str:
        return self.route[-1]

    def departures(self, start: datetime, end: datetime) -> list[datetime]:
        """Its times at the hub (departures outbound, arrivals inbound) in [start, end)."""
        found = []
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < end:
            if day.weekday() in self.weekdays:
                for at in self.times:
                    moment = day.replace(hour=at.hour, minute=at.minute)
                    if start <= moment < end:
                        found.append(moment)
            day += timedelta(days=1)
        return found

    def runs_at(self, moment: datetime) -> bool:
        """Whether the timetable has a train at ``moment`` (to the minute)."""
        return moment.weekday() in self.weekdays and any(
            (moment.hour, moment.minute) == (t.hour, t.minute) for t in self.times
        )

    def split_of(self, wagon: int) -> SplitPoint | None:
        return next((s for s in self.splits if s.first <= wagon <= s.last), None)


def check_visit(
    visit: TrainVisit, types: Mapping[str, WagonType], service: TrainService | None
) -> None:
    """Refuse a train visit whose wagons do not match their types or its service's limits;
    the message names the wagon."""
    for wagon in visit.wagons:
        kind = types.get(wagon.kind)
        if kind is None:
            known = ", ".join(sorted(types)) or "none"
            raise VisitError(
                f"train {visit.id} wagon {wagon.number:02d}: type {wagon.kind!r} is not a "
                f"wagon type of this site (known: {known})"
            )
        if wagon.max_payload_kg > kind.payload_kg:
            raise VisitError(
                f"train {visit.id} wagon {wagon.number:02d}: payload {wagon.max_payload_kg:,} kg "
                f"is above its type {kind.code}'s {kind.payload_kg:,} kg"
            )
    if service is None:
        return
    if visit.direction != service.direction:
        raise VisitError(
            f"train {visit.id}: service {service.id} is {service.direction}, not {visit.direction}"
        )
    limits = service.limits
    if limits.max_wagons is not None and len(visit.wagons) > limits.max_wagons:
        raise VisitError(
            f"train {visit.id}: {len(visit.wagons)} wagons, service {service.id} allows "
            f"{limits.max_wagons}"
        )
    length = sum(types[wagon.kind].length_m for wagon in visit.wagons)
    if length > limits.max_length_m:
        raise VisitError(
            f"train {visit.id}: {length:.0f} m of wagons, service {service.id} allows "
            f"{limits.max_length_m:.0f} m"
        )


def check_consist(
    visit: TrainVisit,
    types: Mapping[str, WagonType],
    consist: Sequence[tuple[Container, WagonSlot]],
) -> None:
    """Refuse a train's announced boxes that do not fit its wagons: a box twice, a slot
    double-booked, a box too long or too heavy for its wagon, a wagon it does not have."""
    seen: dict[str, WagonSlot] = {}
    taken: dict[str, str] = {}
    for container, slot in consist:
        number = container.number.value
        if slot.train != visit.id:
            raise VisitError(f"box {number}: {slot} is not on train {visit.id}")
        if number in seen:
            raise VisitError(
                f"box {number} is announced twice on train {visit.id}: {seen[number]} and {slot}"
            )
        seen[number] = slot
        wagon = visit.wagon(slot.wagon)
        kind = types.get(wagon.kind)
        length = container.size_type.length_ft
        try:
            slot.check_fits(container.size_type)
        except HubportError as error:
            raise VisitError(f"box {number}: {error}") from None
        if kind is not None and length > kind.max_box_ft:
            raise VisitError(
                f"box {number}: a {length}' box is longer than wagon {slot.wagon:02d} "
                f"({kind.code}) takes ({kind.max_box_ft}')"
            )
        heaviest = min(
            wagon.max_payload_kg, kind.heaviest_kg(length) if kind else wagon.max_payload_kg
        )
        if container.gross_mass_kg > heaviest:
            raise VisitError(
                f"box {number}: {container.gross_mass_kg:,} kg is heavier than slot {slot} "
                f"takes ({heaviest:,} kg)"
            )
        for key in slot.positions():
            if key in taken:
                raise VisitError(f"slot {slot} is double-booked: {taken[key]} and {number}")
            taken[key] = number


def read_wagon_types(tables: Iterable[Any], source: str) -> dict[str, WagonType]:
    """``[[wagon_types]]`` tables; a code given again replaces the earlier one."""
    types: dict[str, WagonType] = {}
    for index, table in enumerate(tables):
        reader = _Table(table, f"{source}: [[wagon_types]] #{index + 1}")
        kind = WagonType(
            code=reader.text("code"),
            length_m=reader.number("length_m"),
            tare_kg=int(reader.number("tare_kg")),
            payload_kg=int(reader.number("payload_kg")),
            max_20ft_kg=int(reader.number("max_20ft_kg")),
            platform_ft=int(reader.number("platform_ft", 40)),
            max_box_ft=int(reader.number("max_box_ft", 40)),
            source=reader.text("source", ""),
        )
        if kind.platform_ft != 40:
            raise reader.fail("platform_ft", "only 40' platforms (A, B or AB) are supported")
        if kind.max_box_ft not in (40, 45):
            raise reader.fail("max_box_ft", "expected 40 or 45")
        if min(kind.length_m, kind.tare_kg, kind.payload_kg, kind.max_20ft_kg) <= 0:
            raise reader.fail("length_m", "lengths and masses must be positive")
        types[kind.code] = kind
    return types


def read_train_services(
    tables: Iterable[Any], types: Mapping[str, WagonType], source: str
) -> dict[str, TrainService]:
    """``[[train_services]]`` tables, checked against the wagon types."""
    services: dict[str, TrainService] = {}
    for index, table in enumerate(tables):
        reader = _Table(table, f"{source}: [[train_services]] #{index + 1}")
        service_id = reader.text("id")
        if service_id in services:
            raise reader.fail("id", f"service {service_id!r} defined twice")
        direction = reader.text("direction")
        if direction not in ("inbound", "outbound"):
            raise reader.fail("direction", f"{direction!r} is not inbound/outbound")
        route = tuple(reader.texts("route"))
        if len(route) < 2:
            raise reader.fail("route", "a route has at least an origin and a destination")
        wagon_type = reader.text("wagon_type")
        if wagon_type not in types:
            raise reader.fail("wagon_type", f"{wagon_type!r} is not a wagon type")
        wagons = int(reader.number("wagons"))
        limits = TrainLimits(
            max_gross_kg=int(reader.number("max_gross_kg")),
            max_length_m=reader.number("max_length_m"),
            max_pair_difference_kg=int(reader.number("max_pair_difference_kg", 10_000)),
            max_wagons=int(reader.number("max_wagons", wagons)),
        )
        if not 1 <= wagons <= (limits.max_wagons or wagons):
            raise reader.fail("wagons", f"{wagons} is not between 1 and max_wagons")
        splits = []
        for split in table.get("splits", []):
            at, first, last = split.get("at"), split.get("first"), split.get("last")
            if at not in route[1:-1]:
                raise reader.fail("splits", f"{at!r} is not an intermediate stop of the route")
            if not (isinstance(first, int) and isinstance(last, int) and 1 <= first <= last):
                raise reader.fail("splits", f"at {at}: first and last must be wagon numbers")
            splits.append(SplitPoint(at, first, last))
        services[service_id] = TrainService(
            id=service_id,
            name=reader.text("name"),
            operator=reader.text("operator"),
            direction=direction,  # type: ignore[arg-type]
            route=route,
            weekdays=_weekdays(reader),
            times=_times(reader),
            limits=limits,
            wagon_type=wagon_type,
            wagons=wagons,
            splits=tuple(splits),
            source=reader.text("source", ""),
        )
    return services


def _weekdays(reader: _Table) -> tuple[int, ...]:
    days = reader.text("days")
    if days == "daily":
        return tuple(range(7))
    try:
        return tuple(sorted(WEEKDAYS.index(day) for day in days.split()))
    except ValueError:
        raise reader.fail("days", f"{days!r}: expected 'daily' or days like 'Mon Thu'") from None


def _times(reader: _Table) -> tuple[time, ...]:
    found = []
    for text in reader.texts("times"):
        try:
            found.append(time.fromisoformat(text))
        except ValueError:
            raise reader.fail("times", f"{text!r} is not a time HH:MM") from None
    if not found:
        raise reader.fail("times", "a service needs at least one time")
    return tuple(sorted(found))


class _Table:
    """One TOML table, read with errors that name the table and the field."""

    def __init__(self, table: Any, where: str):
        if not isinstance(table, Mapping):
            raise SiteError(f"{where}: expected a table")
        self.table, self.where = table, where

    def fail(self, key: str, problem: str) -> SiteError:
        return SiteError(f"{self.where}: {key}: {problem}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or (default is None and not value):
            raise self.fail(key, "missing or not a text")
        return value

    def texts(self, key: str) -> list[str]:
        value = self.table.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "missing or not a list of texts")
        return value

    def number(self, key: str, default: float | None = None) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "missing or not a number")
        return float(value)


__all__ = [
    "WEEKDAYS",
    "SplitPoint",
    "TrainLimits",
    "TrainService",
    "WagonType",
    "check_consist",
    "check_visit",
    "read_train_services",
    "read_wagon_types",
]
