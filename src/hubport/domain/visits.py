"""Carrier visits: trains on the loading tracks, trucks through the gate and shuttles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import VisitError
from hubport.domain.places import WagonSlot
from hubport.domain.river import ENDS, Location

Direction = Literal["inbound", "outbound"]


@dataclass(frozen=True)
class Wagon:
    """A container flat wagon of a train, by its place in the train (1 behind the
    locomotive) and its type (a site's ``wagon_types``), with its own payload limit."""

    number: int
    kind: str = "NX70A"
    max_payload_kg: int = 70_000
    #: The railway's own number of the wagon, when it gave one (its place is ``number``).
    code: str = ""


@dataclass(frozen=True)
class TrainVisit:
    """One train of a corridor service calling at the hub's tracks."""

    id: str
    service: str
    direction: Direction
    wagons: tuple[Wagon, ...]
    origin: str | None = None
    destination: str | None = None
    #: Its slot in the service's timetable (hub time).
    scheduled: datetime | None = None
    #: When it is planned to reach its track and to leave it.
    arrives: datetime | None = None
    departs: datetime | None = None
    #: The boxes the railway announced on its wagons (an inbound train registered with
    #: its consist): set on their wagons when the train reaches its track.
    consist: tuple[tuple[ContainerNumber, WagonSlot], ...] = ()

    def __post_init__(self) -> None:
        if not self.id or ":" in self.id:
            raise VisitError(f"train id {self.id!r} must be non-empty and contain no ':'")
        if self.arrives and self.departs and self.departs < self.arrives:
            raise VisitError(f"train {self.id}: departs {self.departs} before it arrives")
        if self.direction not in ("inbound", "outbound"):
            raise VisitError(
                f"train {self.id}: direction {self.direction!r} is not inbound/outbound"
            )
        if not self.wagons:
            raise VisitError(f"train {self.id} has no wagons")
        numbers = [wagon.number for wagon in self.wagons]
        if numbers != list(range(1, len(numbers) + 1)):
            raise VisitError(f"train {self.id}: wagons must be numbered 1..{len(numbers)}")
        seen: set[str] = set()
        for number, slot in self.consist:
            if number.value in seen:
                raise VisitError(f"box {number} is twice on train {self.id}")
            seen.add(number.value)
            if slot.train != self.id:
                raise VisitError(f"box {number}: {slot} is not on train {self.id}")
            self.wagon(slot.wagon)

    def wagon(self, number: int) -> Wagon:
        if not 1 <= number <= len(self.wagons):
            raise VisitError(f"train {self.id} has wagons 1..{len(self.wagons)}, not {number}")
        return self.wagons[number - 1]

    @property
    def max_teu(self) -> int:
        return 2 * len(self.wagons)


@dataclass(frozen=True)
class TruckVisit:
    """A truck's visit from in-gate to out-gate."""

    id: str
    plate: str
    appointment: str | None = None
    #: The boxes it is booked to collect: one discharged from a train while it waits goes
    #: straight onto it (a direct transfer).
    collects: tuple[str, ...] = ()
    #: A shuttle truck of the hub, between the river port and the rail station (it passes
    #: no appointment gate), and where its visit starts.
    shuttle: bool = False
    starts_at: Location = "station"

    def __post_init__(self) -> None:
        if not self.id or ":" in self.id:
            raise VisitError(f"truck visit id {self.id!r} must be non-empty and contain no ':'")
        if self.starts_at not in ENDS:
            raise VisitError(f"truck visit {self.id}: starts at {self.starts_at!r}")
        if self.starts_at != "station" and not self.shuttle:
            raise VisitError(f"truck visit {self.id}: only a shuttle starts at the river port")


VisitState = Literal["expected", "on_site", "departed"]
