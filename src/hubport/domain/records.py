"""The inventory's entries: one record per box, train visit and truck visit."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from hubport.domain.container import Container
from hubport.domain.places import Place, StackKey, VesselCell
from hubport.domain.river import ENDS, Location, VesselCall
from hubport.domain.stacks import BayRange, StackSummary
from hubport.domain.visits import TrainVisit, TruckVisit, VisitState


class ContainerState(enum.Enum):
    """A box's life at the hub: announced, in the hub, gone."""

    ANNOUNCED = "announced"
    IN_HUB = "in_hub"
    DEPARTED = "departed"


@dataclass
class Record:
    """The inventory's entry for one box. ``version`` guards against concurrent writers."""

    container: Container
    state: ContainerState
    place: Place | None = None
    version: int = 0


@dataclass
class TrainRecord:
    train: TrainVisit
    state: VisitState = "expected"
    track: str | None = None
    version: int = 0


@dataclass
class TruckRecord:
    truck: TruckVisit
    state: VisitState = "on_site"
    version: int = 0
    #: Where the truck is now; on the road, where it is bound for.
    location: Location | None = None
    bound_for: Location | None = None

    def __post_init__(self) -> None:
        if self.location is None:
            self.location = self.truck.starts_at


@dataclass
class VesselRecord:
    """A vessel call, its state, the bay plan of the boxes it brings to the hub and the
    boxes on its load list."""

    call: VesselCall
    state: VisitState = "expected"
    bay_plan: dict[str, VesselCell] = field(default_factory=dict)
    load_list: tuple[str, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class ShuttleTrip:
    """A shuttle truck on its trip between the river port and the station: where it
    started, where it is (``road``: on its way, ``bound_for`` the other end), and the
    boxes it carries."""

    visit: str
    starts_at: Location
    location: Location | None
    bound_for: Location | None
    boxes: tuple[str, ...] = ()

    @property
    def on_road(self) -> bool:
        return self.location not in ENDS

    @property
    def loaded_at_start(self) -> bool:
        """It stands where it started, with its box on: ready to drive."""
        return self.location == self.starts_at and bool(self.boxes)

    @property
    def emptied_at_end(self) -> bool:
        """It stands at the other end with nothing on: its trip is over."""
        return self.location in ENDS and self.location != self.starts_at and not self.boxes


@dataclass(frozen=True)
class LoadedStack:
    """The boxes of one ground stack as the store has them, and the stack's version."""

    boxes: tuple[Record, ...]
    version: int | None
    """The stack summary's version when read; None when the store has no row for it yet."""


class InventorySource(Protocol):
    """Where a scoped inventory fetches what a command touches, one piece at a time."""

    def container(self, number: str) -> Record | None:
        """The box ``number`` (any state), or None when the hub never heard of it."""
        ...

    def containers(self, numbers: Collection[str]) -> list[Record]:
        """The known boxes among ``numbers``, in one fetch (a partner's message of many)."""
        ...

    def stack(self, stack: StackKey) -> LoadedStack:
        """Every box standing in one ground stack, with the stack's version."""
        ...

    def carried(self, carrier: str) -> list[Record]:
        """Every box on one carrier (``wagon:TRAIN``, ``truck:VISIT``, ``crane:ID``...)."""
        ...

    def train(self, train_id: str) -> TrainRecord | None: ...

    def truck(self, visit_id: str) -> TruckRecord | None: ...

    def vessel(self, call_id: str) -> VesselRecord | None: ...

    def vessel_calls_at(self, berth: str) -> list[VesselRecord]:
        """The calls planned or alongside at one berth (a handful)."""
        ...

    def vessel_of_voyage(self, voyage: str) -> VesselRecord | None:
        """The call not departed yet whose voyage number is ``voyage`` (a BAPLIE's TDT)."""
        ...

    def train_on_track(self, track: str) -> str | None:
        """The train standing on ``track``, if any."""
        ...

    def trucks_on_site(self) -> list[TruckRecord]:
        """The truck visits in the hub now (a few dozen at most, however big the yard)."""
        ...

    def stack_summaries(self, ranges: Collection[BayRange]) -> list[StackSummary]:
        """The summaries of the non-empty stacks within ``ranges``."""
        ...
