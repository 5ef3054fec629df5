"""The declarants and the customs office of a simulated day.

Each inbound train's boxes are declared in advance, one declaration per kind of onward
leg: imports collected by truck (rail leg in, road leg out), river boxes under joint
clearance (the rail leg and the river leg in one declaration: no second declaration when
they move to the barge), and rail–rail transfers as transit (the rail leg in and the rail
leg out). The platform issues each arrival report at the first set-down; the customs office
releases a declaration ``RELEASE_AFTER_S`` after its arrival report (assumed: the site
clears advance declarations on arrival; the customs issue's benchmark models the times),
and selects a few import boxes for inspection: each is held until customs lifts the hold.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import simpy

from hubport.domain.container import Container, LegMode
from hubport.domain.customs import Leg
from hubport.services.customs_commands import (
    LiftHold,
    LodgeDeclaration,
    PlaceHold,
    ReleaseDeclaration,
    SelectForInspection,
)
from hubport.twin.traffic import InboundTrain

if TYPE_CHECKING:
    from hubport.twin.day import HubDay

#: From the arrival report to the release of a declaration lodged in advance (assumed).
RELEASE_AFTER_S = 1800.0
HUB = "CNJGJ"
#: The river port where barges take the river boxes on.
RIVER_PORT = "CNLOH"

#: The share of import boxes customs selects for inspection, and how long one holds the
#: box (both assumed: a few in a hundred, a couple of hours with the box where it stands).
INSPECTION_SHARE = 0.03
INSPECTION_S = 2 * 3600.0


def _selected(number: str) -> bool:
    """Whether risk selection picks this box: a seeded draw of its number, so that a day
    run again selects the same boxes."""
    return random.Random(f"hubport-risk-{number}").random() < INSPECTION_SHARE


_GROUPS = {
    LegMode.ROAD: ("IMP", "import"),
    LegMode.RIVER: ("RIV", "import"),
    LegMode.RAIL: ("TRN", "transit"),
}


def _declaration_of(train: InboundTrain, container: Container) -> str:
    """The id of the declaration that covers ``container`` of ``train``."""
    leg = container.next_leg
    group = _GROUPS[leg.mode][0] if leg is not None else "IMP"
    return f"{train.visit.id}-{group}"


def declarations(train: InboundTrain) -> list[LodgeDeclaration]:
    """The advance declarations of a train's boxes, one per kind of onward leg."""
    origin = train.visit.origin or "CNQZH"
    grouped: dict[str, list[Container]] = {}
    for container, _slot in train.consist:
        grouped.setdefault(_declaration_of(train, container), []).append(container)
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
            LodgeDeclaration(
                declaration,
                _GROUPS[mode][1],
                tuple(container.number for container in boxes),
                tuple(legs),
            )
        )
    return lodged


class CustomsOffice:
    """The customs office of the day: it releases each declaration RELEASE_AFTER_S after
    its arrival report, and a discharged box is ready to leave once released."""

    def __init__(self, day: HubDay):
        self.day = day
        #: Each declaration's release, once its arrival report is out.
        self.released: dict[str, simpy.Event] = {}
        self.declaration_of: dict[str, str] = {}
        #: Boxes taken to the inspection area today.
        self.inspected = 0

    def cleared(self, container: Container) -> Any:
        """A discharged box is ready to leave when customs has released its declaration:
        the office does so RELEASE_AFTER_S after the declaration's arrival report (its
        first box's set-down)."""
        number = container.number.value
        declaration = self.declaration_of[number]
        released = self.released.get(declaration)
        if released is None:
            released = self.released[declaration] = self.day.env.event()
            self.day.env.process(self.day.guarded(self._release(declaration, released)))
        if declaration.endswith("-IMP") and _selected(number):
            yield from self._inspect(container)
        yield released
        self.day.ready[number].succeed()

    def select_on_arrival(self, train: InboundTrain) -> None:
        """Risk selection as the train arrives (with the dispatcher): customs orders the
        inspection of the selected import boxes while they are still on their wagons, so
        the discharge takes each straight to the inspection area."""
        day = self.day
        for container, _slot in train.consist:
            number = container.number
            declaration = self.declaration_of[number.value]
            if declaration.endswith("-IMP") and _selected(number.value):
                day.send(
                    SelectForInspection(
                        declaration,
                        number,
                        f"INS-{number.value}",
                        "risk selection: inspection",
                        idempotency_key=day.key("inspect", number.value),
                    )
                )
                self.inspected += 1

    def _inspect(self, container: Container) -> Any:
        """Customs inspects a selected box, then lifts the order. With the dispatcher the
        box stands in the inspection area (its discharge took it there) and the cranes
        take it back into the yard; the fixed-zone baseline, whose cranes take no crane
        jobs, holds the box where it stands."""
        number, day = container.number, self.day
        hold = f"INS-{number.value}"
        if day.driver is None:
            day.send(
                PlaceHold(
                    number,
                    hold,
                    "risk selection: inspection",
                    idempotency_key=day.key("inspect", number.value),
                )
            )
        yield day.env.timeout(INSPECTION_S)
        lift = LiftHold(hold, "inspected: cleared", idempotency_key=day.key("lift", hold))
        if day.driver is None:
            day.send(lift)
            return
        _result, back = day.floor_driver().work(lift)
        if number.value in back:
            yield back[number.value]

    def _release(self, declaration: str, released: simpy.Event) -> Any:
        yield self.day.env.timeout(RELEASE_AFTER_S)
        self.day.send(
            ReleaseDeclaration(
                declaration,
                "released on advance declaration",
                role="customs",
                idempotency_key=self.day.key("cusres", declaration),
            )
        )
        released.succeed()


__all__ = ["INSPECTION_S", "INSPECTION_SHARE", "RELEASE_AFTER_S", "CustomsOffice", "declarations"]
