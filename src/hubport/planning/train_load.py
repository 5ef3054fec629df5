"""Wagon spot choice for a box loaded on an outbound train: a first greedy load planner.

Keeps each wagon within its payload and prefers the wagon closest along the rail to the
box's yard position, so that the crane working the box's stretch of yard can reach it.
The train load planning issue replaces this with an optimiser behind the same function.
"""

from __future__ import annotations

from hubport.domain.container import Container
from hubport.domain.errors import StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import Spot, WagonSlot


def choose_wagon_slot(
    inventory: Inventory, container: Container, train_id: str, near_x: float
) -> WagonSlot:
    """The free wagon spot nearest to ``near_x`` on which ``container`` may legally stand."""
    record = inventory.train(train_id)
    track = inventory.site.tracks[record.track] if record.track else None
    spots: tuple[Spot, ...] = ("AB",) if container.size_type.is_forty else ("A", "B")
    best: tuple[float, WagonSlot] | None = None
    for wagon in record.train.wagons:
        x = track.x_of(wagon.number) if track else 0.0
        for spot in spots:
            slot = WagonSlot(train_id, wagon.number, spot)
            if not inventory.can_stand(container, slot):
                continue
            distance = abs(x - near_x)
            if best is None or distance < best[0]:
                best = (distance, slot)
    if best is None:
        raise StackingRuleViolation(
            container.number.value, f"train {train_id}", "no wagon spot left that can take it"
        )
    return best[1]
