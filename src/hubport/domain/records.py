"""The inventory's entries: one record per box, train visit and truck visit."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from hubport.domain.container import Container
from hubport.domain.places import Place
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
