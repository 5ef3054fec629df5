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

from typing import TYPE_CHECKING, Any

import simpy

from hubport.domain.container import Container, ContainerNumber
from hubport.services.customs_commands import (
    LiftHold,
    LodgeDeclaration,
    PlaceHold,
    ReleaseDeclaration,
    SelectForInspection,
)
from hubport.twin.traffic import InboundTrain
from hubport.twin.world_customs import INSPECTION, INSPECTION_SHARE, RELEASE_AFTER, selected
from hubport.twin.world_customs import declarations as world_declarations

if TYPE_CHECKING:
    from hubport.twin.day import HubDay

RELEASE_AFTER_S = RELEASE_AFTER.total_seconds()
INSPECTION_S = INSPECTION.total_seconds()
_selected = selected


def declarations(train: InboundTrain) -> list[LodgeDeclaration]:
    """The advance declarations of a train's boxes (the world's declarants' grouping), as
    commands."""
    return [
        LodgeDeclaration(
            declaration.id,
            declaration.kind,
            tuple(ContainerNumber(number) for number in declaration.boxes),
            declaration.legs,
        )
        for declaration in world_declarations(train)
    ]


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
