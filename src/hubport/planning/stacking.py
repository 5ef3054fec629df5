"""Slot choice for a box set down in the yard: a first departure-aware stacking policy.

A candidate slot is the next free tier of a stack in the allowed stretch of rail. Among
the slots where the box may legally stand, prefer one where it buries nothing that leaves
before it, then stacks of the same next leg, then low stacks, then short crane travel.
Issue-level optimisers (relocation, pre-marshalling) plug in behind the same function.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from hubport.domain.container import Container
from hubport.domain.errors import StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import YardSlot


class NoFreeSlot(StackingRuleViolation):
    """No slot in the allowed stretch can take the box."""


@dataclass(frozen=True)
class SlotScore:
    """Why a slot was chosen: lower tuples are better."""

    buries_earlier: int
    other_leg: int
    tier: int
    distance_m: float

    def key(self) -> tuple[int, int, int, float]:
        return (self.buries_earlier, self.other_leg, self.tier, self.distance_m)


def candidate_slots(
    inventory: Inventory, container: Container, x_range: tuple[float, float]
) -> Iterator[YardSlot]:
    """The next free tier of every stack whose rail position lies in ``x_range``."""
    site = inventory.site
    for block in site.blocks.values():
        bays = block.forty_bays if container.size_type.is_forty else block.ground_bays
        for bay in bays:
            if not x_range[0] <= block.x_of(bay) <= x_range[1]:
                continue
            for row in range(1, block.rows + 1):
                heights = [inventory.height(block.id, ground, row) for ground in _ground(bay)]
                tier = max(heights) + 1
                if tier <= block.max_tiers:
                    yield YardSlot(block.id, bay, row, tier)


def choose_slot(
    inventory: Inventory,
    container: Container,
    x_range: tuple[float, float],
    near_x: float,
    avoid: frozenset[tuple[str, int, int]] = frozenset(),
) -> YardSlot:
    """The best legal slot for ``container`` within ``x_range`` of the rail.

    ``avoid`` lists ground stacks (block, 20' bay, row) not to use, such as the stack being
    dug out during a retrieval.
    """
    best: tuple[tuple[int, int, int, float], YardSlot] | None = None
    for slot in candidate_slots(inventory, container, x_range):
        if any((slot.block, bay, slot.row) in avoid for bay in slot.ground_bays):
            continue
        if not inventory.can_stand(container, slot):
            continue
        score = _score(inventory, container, slot, near_x).key()
        if best is None or score < best[0]:
            best = (score, slot)
    if best is None:
        raise NoFreeSlot(
            container.number.value,
            f"rail {x_range[0]:.0f}-{x_range[1]:.0f} m",
            "no free legal slot in this stretch of the yard",
        )
    return best[1]


def _score(inventory: Inventory, container: Container, slot: YardSlot, near_x: float) -> SlotScore:
    due = _due(container)
    leg = container.next_leg.reference if container.next_leg else None
    buries = 0
    other_leg = 0
    for bay in slot.ground_bays:
        for number in inventory.stack(slot.block, bay, slot.row):
            below = inventory.get(number).container
            below_due = _due(below)
            if below_due is not None and (due is None or below_due < due):
                buries += 1
            below_leg = below.next_leg.reference if below.next_leg else None
            if below_leg != leg:
                other_leg += 1
    distance = abs(inventory.site.slot_x(slot) - near_x)
    return SlotScore(buries, other_leg, slot.tier, distance)


def _due(container: Container) -> datetime | None:
    return container.next_leg.due if container.next_leg else None


def _ground(bay: int) -> tuple[int, ...]:
    return (bay,) if bay % 2 else (bay - 1, bay + 1)


__all__ = ["NoFreeSlot", "SlotScore", "candidate_slots", "choose_slot"]
