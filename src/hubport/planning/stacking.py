"""Slot choice for a box set down in the yard: a departure-aware stacking policy.

It reads the compact stack summaries within the crane's reach, not the boxes: a candidate
is the next free tier of a stack (of both level halves for a 40'). Candidates are ranked
by whether the box would bury a box leaving before it, then by whether the stack holds
another next leg, then by height, then by crane travel; the best one on which the box may
legally stand wins (the legality check reads only the one or two stacks below it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from hubport.domain.container import Container
from hubport.domain.errors import StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import StackKey, YardSlot
from hubport.domain.stacks import StackSummary


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
) -> Iterator[tuple[YardSlot, tuple[StackSummary, ...]]]:
    """The next free tier of every stack in ``x_range`` that could take ``container``,
    with the summaries of the ground stacks it would stand on."""
    site = inventory.site
    forty = container.size_type.is_forty
    blocks = [
        block
        for block in site.blocks.values()
        if any(x_range[0] <= block.x_of(bay) <= x_range[1] for bay in block.ground_bays)
    ]
    summaries = inventory.stack_summaries(block.id for block in blocks)
    for block in blocks:
        for bay in block.forty_bays if forty else block.ground_bays:
            if not x_range[0] <= block.x_of(bay) <= x_range[1]:
                continue
            grounds = (bay - 1, bay + 1) if forty else (bay,)
            for row in range(1, block.rows + 1):
                if container.needs_power and not all(
                    site.has_plug(block.id, g, row) for g in grounds
                ):
                    continue
                if container.is_dangerous and not all(
                    site.in_dangerous_goods_zone(block.id, g, row) for g in grounds
                ):
                    continue
                parts = tuple(
                    summaries.get(StackKey(block.id, g, row))
                    or StackSummary(StackKey(block.id, g, row))
                    for g in grounds
                )
                heights = {part.height for part in parts}
                if len(heights) > 1:
                    continue  # nothing over empty space: a 40' needs level halves
                tier = heights.pop() + 1
                if tier <= block.max_tiers and _may_top(container, bay, parts):
                    yield YardSlot(block.id, bay, row, tier), parts


def choose_slot(
    inventory: Inventory,
    container: Container,
    x_range: tuple[float, float],
    near_x: float,
    avoid: frozenset[StackKey] = frozenset(),
) -> YardSlot:
    """The best legal slot for ``container`` within ``x_range`` of the rail.

    ``avoid`` lists ground stacks not to use, such as the stack being dug out during a
    retrieval.
    """
    ranked = sorted(
        (
            (_score(inventory, container, slot, parts, near_x).key(), slot)
            for slot, parts in candidate_slots(inventory, container, x_range)
            if not any(part.stack in avoid for part in parts)
        ),
    )
    for _score_key, slot in ranked:
        if inventory.can_stand(container, slot):
            return slot
    raise NoFreeSlot(
        container.number.value,
        f"rail {x_range[0]:.0f}-{x_range[1]:.0f} m",
        "no free legal slot in this stretch of the yard",
    )


def _may_top(container: Container, bay: int, parts: tuple[StackSummary, ...]) -> bool:
    """The size rules, read from the summaries: no 20' on a 40'; a 40' on two 20's or on
    a 40' of the same bay."""
    if all(part.empty for part in parts):
        return True
    if not container.size_type.is_forty:
        return not parts[0].top_forty
    tops = {(part.top, part.top_forty, part.top_bay) for part in parts}
    if all(not part.top_forty for part in parts):
        return True
    return len(tops) == 1 and parts[0].top_bay == bay


def _score(
    inventory: Inventory,
    container: Container,
    slot: YardSlot,
    parts: tuple[StackSummary, ...],
    near_x: float,
) -> SlotScore:
    due = _due(container)
    leg = container.next_leg.reference if container.next_leg else None
    buries = sum(
        1
        for part in parts
        if part.earliest_due is not None and (due is None or part.earliest_due < due)
    )
    other_leg = sum(1 for part in parts if not part.empty and (part.leg is None or part.leg != leg))
    distance = abs(inventory.site.slot_x(slot) - near_x)
    return SlotScore(buries, other_leg, slot.tier, distance)


def _due(container: Container) -> datetime | None:
    return container.next_leg.due if container.next_leg else None


__all__ = ["NoFreeSlot", "SlotScore", "candidate_slots", "choose_slot"]
