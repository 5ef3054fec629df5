"""The customs side of the world: the declarants and the customs office, through the
platform's public interfaces only.

Each inbound train's boxes are declared in advance, one declaration per kind of onward
leg: imports collected by truck (rail leg in, road leg out), river boxes under joint
clearance (the rail leg and the river leg in one declaration), and rail–rail transfers
as transit. The platform issues each arrival report at the first set-down by itself.
The customs office looks at the declarations whose boxes have arrived every few minutes:
it releases each ``RELEASE_AFTER`` after its arrival report (assumed: the site clears
advance declarations on arrival; ``benchmarks/customs.py`` models the times), and holds
a few import boxes for inspection (a seeded draw per box, ``INSPECTION_SHARE``) until
``INSPECTION`` later.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.domain.container import Container, LegMode
from hubport.domain.customs import Leg
from hubport.twin.client import DeclarationView, HubClient, PlatformRefused
from hubport.twin.traffic import InboundTrain

#: From the arrival report to the release of a declaration lodged in advance (assumed).
RELEASE_AFTER = timedelta(minutes=30)
#: The share of import boxes customs selects for inspection, and how long one holds the
#: box (both assumed: a few in a hundred, a couple of hours with the box where it stands).
INSPECTION_SHARE = 0.03
INSPECTION = timedelta(hours=2)
#: How often the office looks at its queue.
LOOK = timedelta(minutes=5)
HUB = "CNJGJ"
#: The river port where barges take the river boxes on.
RIVER_PORT = "CNLOH"

_GROUPS = {
    LegMode.ROAD: ("IMP", "import"),
    LegMode.RIVER: ("RIV", "import"),
    LegMode.RAIL: ("TRN", "transit"),
}

Step = Callable[[datetime], datetime | None]


@dataclass(frozen=True)
class Declaration:
    """A declaration as a declarant lodges it: its boxes and the legs it covers."""

    id: str
    kind: str
    boxes: tuple[str, ...]
    legs: tuple[Leg, ...]


@dataclass(frozen=True)
class CustomsTimes:
    """The declarants' and the office's times (a twin scenario's ``[customs]``)."""

    release_after: timedelta = RELEASE_AFTER
    inspection_share: float = INSPECTION_SHARE
    inspection: timedelta = INSPECTION
    #: None: declarations are lodged in advance, in the train's morning; else the
    #: declarant lodges this long after the train arrived (the process before the platform).
    lodge_after_arrival: timedelta | None = None


def selected(number: str, share: float = INSPECTION_SHARE) -> bool:
    """Whether risk selection picks this box: a seeded draw of its number, so that a day
    run again selects the same boxes."""
    return random.Random(f"hubport-risk-{number}").random() < share


def declaration_of(train: InboundTrain, container: Container) -> str:
    """The id of the declaration that covers ``container`` of ``train``."""
    leg = container.next_leg
    group = _GROUPS[leg.mode][0] if leg is not None else "IMP"
    return f"{train.visit.id}-{group}"


def declarations(train: InboundTrain) -> list[Declaration]:
    """The advance declarations of a train's boxes, one per kind of onward leg."""
    origin = train.visit.origin or "CNQZH"
    grouped: dict[str, list[Container]] = {}
    for container, _slot in train.consist:
        grouped.setdefault(declaration_of(train, container), []).append(container)
    lodged = []
    for declaration, boxes in sorted(grouped.items()):
        leg = boxes[0].next_leg
        mode = leg.mode if leg is not None else LegMode.ROAD
        onward = (leg.destination if leg is not None else None) or HUB
        legs = [Leg("rail", origin, HUB)]
        if mode is LegMode.RIVER:
            legs.append(Leg("river", RIVER_PORT, onward))
        elif mode is LegMode.RAIL:
            legs.append(Leg("rail", HUB, onward))
        else:
            legs.append(Leg("road", HUB, onward))
        lodged.append(
            Declaration(
                declaration,
                _GROUPS[mode][1],
                tuple(container.number.value for container in boxes),
                tuple(legs),
            )
        )
    return lodged


class CustomsOffice:
    """The declarants (at the hub's broker desk) and the customs office."""

    def __init__(self, client: HubClient, times: CustomsTimes | None = None):
        self.client = client
        self.times = times or CustomsTimes()
        #: Holds placed for inspection and when each is lifted.
        self.inspections: dict[str, datetime] = {}
        self.released: set[str] = set()
        #: Trains whose declarations wait for their arrival (lodged after it).
        self.pending: dict[str, InboundTrain] = {}
        self.arrived: dict[str, datetime] = {}
        #: Each declaration's release: when its train arrived, and the hub seconds from
        #: then to the release.
        self.releases: list[tuple[datetime, float]] = []

    def declare(self, train: InboundTrain) -> None:
        """The declarants lodge the train's declarations before it comes (or, lodging
        after arrival, once it is in: ``train_arrived``)."""
        if self.times.lodge_after_arrival is not None:
            self.pending[train.visit.id] = train
            return
        self._lodge(train)

    def train_arrived(self, train_id: str, now: datetime) -> None:
        self.arrived.setdefault(train_id, now)

    def _lodge(self, train: InboundTrain) -> None:
        for declaration in declarations(train):
            try:
                self.client.lodge_declaration(declaration)
            except PlatformRefused as error:
                if error.code != "declaration_conflict":
                    raise

    def office(self, until: Callable[[], bool]) -> Step:
        """The office's rounds until ``until`` says the world has nothing more to do."""

        def step(now: datetime) -> datetime | None:
            wait = self.times.lodge_after_arrival
            for train_id, train in sorted(self.pending.items()):
                came = self.arrived.get(train_id)
                if wait is not None and came is not None and now >= came + wait:
                    self._lodge(train)
                    del self.pending[train_id]
            for declaration in self.client.arrived_declarations():
                self._decide(declaration, now)
            for hold, lift_at in sorted(self.inspections.items()):
                if now >= lift_at:
                    self.client.lift_hold(hold, "inspected: cleared")
                    del self.inspections[hold]
            if until() and not self.inspections and not self.pending:
                return None
            return now + LOOK

        return step

    def _decide(self, declaration: DeclarationView, now: datetime) -> None:
        if declaration.id in self.released or declaration.arrived_at is None:
            return
        if declaration.kind == "import" and declaration.id.endswith("-IMP"):
            for number in declaration.boxes:
                hold = f"INS-{number}"
                chosen = selected(number, self.times.inspection_share)
                if chosen and hold not in self.inspections:
                    self.client.place_hold(number, hold, "risk selection: inspection")
                    self.inspections[hold] = declaration.arrived_at + self.times.inspection
        if now >= declaration.arrived_at + self.times.release_after:
            self.client.release_declaration(declaration.id, "released on review")
            self.released.add(declaration.id)
            train_id = declaration.id.rsplit("-", 1)[0]
            came = self.arrived.get(train_id, declaration.arrived_at)
            self.releases.append((came, (now - came).total_seconds()))


__all__ = [
    "INSPECTION",
    "INSPECTION_SHARE",
    "RELEASE_AFTER",
    "CustomsOffice",
    "CustomsTimes",
    "Declaration",
    "declaration_of",
    "declarations",
    "selected",
]
