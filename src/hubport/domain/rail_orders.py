"""What the railway orders for a train beyond its visit: the discharge of its boxes.

A discharge order (a COPRAR, or the railway's API call) may come before the train
reaches its track; it is recorded as an event, and the runtime turns it into crane work
once the train stands on its track. ``lines`` empty means every box on the train.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import VisitError
from hubport.domain.events import Event
from hubport.domain.places import WagonSlot
from hubport.domain.visits import TrainVisit


@dataclass(frozen=True)
class DischargeOrdered(Event):
    """The railway ordered a train's boxes off (each line: box number, wagon slot)."""

    changes_inventory: ClassVar[bool] = False

    train: str
    lines: tuple[tuple[str, str], ...]
    source: str


def check_discharge_order(
    visit: TrainVisit,
    lines: Sequence[tuple[ContainerNumber, WagonSlot]],
    on_wagons: dict[str, WagonSlot],
) -> None:
    """Refuse an order that names a box twice, a slot of another train, or a box that
    is neither announced on the train (its consist) nor on its wagons at that slot."""
    if visit.direction != "inbound":
        raise VisitError(f"train {visit.id} is outbound: it has nothing to discharge")
    known = {number.value: slot for number, slot in visit.consist} | on_wagons
    seen: set[str] = set()
    for number, slot in lines:
        if number.value in seen:
            raise VisitError(f"box {number} is twice on the discharge order of {visit.id}")
        seen.add(number.value)
        if slot.train != visit.id:
            raise VisitError(f"box {number}: {slot} is not on train {visit.id}")
        if known.get(number.value) != slot:
            where = known.get(number.value)
            actual = f"is announced at {where}" if where else f"is not on train {visit.id}"
            raise VisitError(f"box {number} is ordered off {slot} but {actual}")


__all__ = ["DischargeOrdered", "check_discharge_order"]
