"""Slot choice for a box set down in the yard: a departure-aware stacking policy.

It reads the compact stack summaries near the crane, not the boxes: a candidate
is the next free tier of a stack (of both level halves for a 40'). Candidates are ranked
by whether they keep each bay to one size (20's and 40's apart, as terminals do, so that
a bay can be re-planned on its own), then by whether the box would bury a box leaving
before it, then by whether the stack holds another next leg, then by height, then by
crane travel; the best one on which the box may
legally stand wins (the legality check reads only the one or two stacks below it).
The search looks within NEAR_M of the lift first and at the crane's whole reach only
when nothing near can take the box.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from hubport.domain.container import Container
from hubport.domain.errors import StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import StackKey, YardSlot
from hubport.domain.stacks import BayRange, StackSummary


class NoFreeSlot(StackingRuleViolation):
    """No slot in the allowed stretch can take the box."""


def candidate_slots(
    inventory: Inventory,
    container: Container,
    x_range: tuple[float, float],
    inspection: bool = False,
) -> Iterator[tuple[YardSlot, tuple[StackSummary, ...], bool]]:
    """The next free tier of every stack in ``x_range`` that could take ``container``,
    with the summaries of the ground stacks it would stand on, and whether it would mix
    20's and 40's in one bay (such a bay can no longer be planned on its own).

    The customs inspection areas are kept for boxes under inspection: with
    ``inspection`` only their slots are candidates, without it none of them."""
    site = inventory.site
    forty = container.size_type.is_forty
    ranges: dict[str, BayRange] = {}
    for block in site.blocks.values():
        bays = [bay for bay in block.ground_bays if x_range[0] <= block.x_of(bay) <= x_range[1]]
        if bays:  # a 40' slot at the edge stands on the ground bay beyond it as well
            ranges[block.id] = BayRange(block.id, bays[0] - 2, bays[-1] + 2)
    if not ranges:
        return  # the stretch reaches no yard bay
    blocks = [site.blocks[block_id] for block_id in ranges]
    by_block: dict[str, dict[tuple[int, int], StackSummary]] = {block.id: {} for block in blocks}
    holds_forty: set[tuple[str, int]] = set()
    holds_twenty: set[tuple[str, int]] = set()
    for key, summary in inventory.stack_summaries(ranges.values()).items():
        by_block[key.block][(key.bay, key.row)] = summary
        if summary.forties:
            holds_forty.add((key.block, key.bay))
        if summary.height > summary.forties:
            holds_twenty.add((key.block, key.bay))
    other_size = holds_twenty if forty else holds_forty
    for block in blocks:
        standing = by_block[block.id]
        for bay in block.forty_bays if forty else block.ground_bays:
            if not x_range[0] <= block.x_of(bay) <= x_range[1]:
                continue
            grounds = (bay - 1, bay + 1) if forty else (bay,)
            mixes = any((block.id, ground) in other_size for ground in grounds)
            for row in range(1, block.rows + 1):
                inspected = [site.in_inspection_area(block.id, g, row) for g in grounds]
                if (all(inspected) if inspection else any(inspected)) != inspection:
                    continue
                if container.needs_power and not all(
                    site.has_plug(block.id, g, row) for g in grounds
                ):
                    continue
                if container.is_dangerous and not all(
                    site.in_dangerous_goods_zone(block.id, g, row) for g in grounds
                ):
                    continue
                parts = tuple(
                    standing.get((g, row)) or StackSummary(StackKey(block.id, g, row))
                    for g in grounds
                )
                height = parts[0].height
                if forty and parts[1].height != height:
                    continue  # nothing over empty space: a 40' needs level halves
                if height < block.max_tiers and _may_top(container, bay, parts):
                    yield YardSlot(block.id, bay, row, height + 1), parts, mixes


#: A slot is looked for this far along the rail either side of the lift first (about
#: 18 ground bays): a longer gantry run costs more crane time than a lower stack saves.
NEAR_M = 60.0


def choose_slot(
    inventory: Inventory,
    container: Container,
    x_range: tuple[float, float],
    near_x: float,
    avoid: frozenset[StackKey] = frozenset(),
    inspection: bool = False,
) -> YardSlot:
    """The best legal slot for ``container`` within ``x_range`` of the rail.

    ``avoid`` lists ground stacks not to use, such as the stack being dug out during a
    retrieval; ``inspection`` asks for a slot in a customs inspection area. The crane works
    near where it lifted the box: the best slot within
    ``NEAR_M`` of ``near_x`` wins, and the rest of ``x_range`` is read only when nothing
    there can take the box. So a choice reads a fixed stretch of stack summaries, however
    large or full the yard.
    """
    near = (max(x_range[0], near_x - NEAR_M), min(x_range[1], near_x + NEAR_M))
    if near[0] <= near[1] and near != x_range:
        slot = _best_slot(inventory, container, near, near_x, avoid, inspection)
        if slot is not None:
            return slot
    slot = _best_slot(inventory, container, x_range, near_x, avoid, inspection)
    if slot is not None:
        return slot
    raise NoFreeSlot(
        container.number.value,
        f"rail {x_range[0]:.0f}-{x_range[1]:.0f} m",
        "no free legal slot in this stretch of the "
        + ("inspection area" if inspection else "yard"),
    )


def _best_slot(
    inventory: Inventory,
    container: Container,
    x_range: tuple[float, float],
    near_x: float,
    avoid: frozenset[StackKey],
    inspection: bool = False,
) -> YardSlot | None:
    due = _due(container)
    leg = container.next_leg.reference if container.next_leg else None
    site = inventory.site
    scored = [
        (_score(site.slot_x(slot), slot.tier, parts, mixes, due, leg, near_x), slot)
        for slot, parts, mixes in candidate_slots(inventory, container, x_range, inspection)
        if not avoid or not any(part.stack in avoid for part in parts)
    ]
    if not scored:
        return None
    # the best slot is nearly always legal: try it before sorting the rest
    best = min(scored)
    if inventory.can_stand(container, best[1]):
        return best[1]
    for _score_key, slot in sorted(scored):
        if inventory.can_stand(container, slot):
            return slot
    return None


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
    x: float,
    tier: int,
    parts: tuple[StackSummary, ...],
    mixes: bool,
    due: datetime | None,
    leg: str | None,
    near_x: float,
) -> tuple[bool, int, int, int, float]:
    """Lower is better: a bay of one size, then boxes leaving earlier that the box would
    bury, ground stacks of another next leg, tier, then crane travel (it runs per stack,
    so a plain tuple)."""
    buries = other_leg = 0
    for part in parts:
        if part.height:
            earliest = part.earliest_due
            if earliest is not None and (due is None or earliest < due):
                buries += 1
            if part.leg is None or part.leg != leg:
                other_leg += 1
    return (mixes, buries, other_leg, tier, abs(x - near_x))


def _due(container: Container) -> datetime | None:
    return container.next_leg.due if container.next_leg else None


__all__ = ["NoFreeSlot", "candidate_slots", "choose_slot"]
