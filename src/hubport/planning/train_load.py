"""Wagon spot choice for a box loaded on an outbound train: a first greedy load planner.

Keeps each wagon within its payload; prefers a wagon within the working crane's reach,
then a 20' beside another 20' (so that 40's still find empty wagons), then the wagon
closest along the rail to where the box was lifted.
The train load planning issue replaces this with an optimiser behind the same function.
"""

from __future__ import annotations

from hubport.domain.container import Container
from hubport.domain.errors import StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import Spot, WagonSlot


def _overlap(slot: WagonSlot, other: WagonSlot) -> bool:
    """Two spots of one wagon that cannot both be taken (a 40' covers both 20' spots)."""
    same_wagon = (slot.train, slot.wagon) == (other.train, other.wagon)
    return same_wagon and (slot.spot == other.spot or "AB" in (slot.spot, other.spot))


def choose_wagon_slot(
    inventory: Inventory,
    container: Container,
    train_id: str,
    near_x: float,
    reach: tuple[float, float] | None = None,
    reserved: frozenset[int] = frozenset(),
    strict: bool = False,
    taken: frozenset[WagonSlot] = frozenset(),
) -> WagonSlot:
    """The best free wagon spot on which ``container`` may legally stand, on a wagon no
    other box is already on its way to (``reserved``)."""
    record = inventory.train(train_id)
    track = inventory.site.tracks[record.track] if record.track else None
    spots: tuple[Spot, ...] = ("AB",) if container.size_type.is_forty else ("A", "B")
    best: tuple[tuple[int, int, float], WagonSlot] | None = None
    for wagon in record.train.wagons:
        if wagon.number in reserved:
            continue
        x = track.x_of(wagon.number) if track else 0.0
        outside = 0 if reach is None or reach[0] <= x <= reach[1] else 1
        if outside and strict:
            continue  # only wagons within reach
        for spot in spots:
            slot = WagonSlot(train_id, wagon.number, spot)
            if any(_overlap(slot, other) for other in taken):
                continue
            if not inventory.can_stand(container, slot):
                continue
            partner: Spot = "B" if spot == "A" else "A"
            alone = 0
            if spot != "AB":
                beside = WagonSlot(train_id, wagon.number, partner)
                occupied = inventory.occupant(f"wagon:{train_id}:{wagon.number:02d}:{partner}")
                alone = 0 if occupied or beside in taken else 1
            score = (alone, outside, abs(x - near_x))
            if best is None or score < best[0]:
                best = (score, slot)
    if best is None:
        raise StackingRuleViolation(
            container.number.value, f"train {train_id}", "no wagon spot left that can take it"
        )
    return best[1]
