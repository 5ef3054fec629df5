"""A yard bay of the live inventory as the optimisers see it.

One bay of a block is a row of stacks (one per row, tiers bottom to top). A box's priority
is the due time of its next leg (train service, vessel call or truck appointment); boxes
with no due time leave last. A 20' bay must hold only 20' boxes and a 40' bay only 40'
boxes standing on both of its ground bays, so that the bay can be planned on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubport.domain.errors import InvalidBay
from hubport.domain.inventory import Inventory
from hubport.planning.bay import Bay

_LAST = datetime.max


@dataclass(frozen=True)
class YardBay:
    block: str
    bay: int
    bay_plan: Bay
    boxes: tuple[tuple[str, ...], ...]
    """Box numbers in the same layout as ``bay_plan.stacks`` (stack = row - 1)."""
    distinct: Bay
    """The same bay with ties broken by box number: the order a retrieval plan follows."""

    def box_at(self, stack: int, tier: int) -> str:
        return self.boxes[stack][tier]


def _due(inventory: Inventory, number: str) -> datetime:
    leg = inventory.get(number).container.next_leg
    return leg.due.replace(tzinfo=None) if leg and leg.due else _LAST


def yard_bay(inventory: Inventory, block_id: str, bay: int) -> YardBay:
    block = inventory.site.block(block_id)
    forty = bay % 2 == 0
    if bay not in (block.forty_bays if forty else block.ground_bays):
        raise InvalidBay(f"block {block_id} has no bay {bay:02d}")
    stacks: list[tuple[str, ...]] = []
    for row in range(1, block.rows + 1):
        column = inventory.stack(block_id, bay - 1 if forty else bay, row)
        if forty and column != inventory.stack(block_id, bay + 1, row):
            raise InvalidBay(
                f"block {block_id} bay {bay:02d} row {row}: the two 20' halves differ, "
                f"so the 40' bay cannot be planned on its own"
            )
        for number in column:
            if inventory.get(number).container.size_type.is_forty != forty:
                raise InvalidBay(
                    f"block {block_id} bay {bay:02d} row {row}: {number} spans another bay; "
                    f"plan the {'20' if forty else '40'}' bay instead"
                )
        stacks.append(tuple(column))
    numbers = [n for stack in stacks for n in stack]
    if not numbers:
        raise InvalidBay(f"block {block_id} bay {bay:02d} is empty")
    dues = {n: _due(inventory, n) for n in numbers}
    by_time = sorted(set(dues.values()))
    group = {due: index + 1 for index, due in enumerate(by_time)}
    order = {n: index + 1 for index, n in enumerate(sorted(numbers, key=lambda n: (dues[n], n)))}
    return YardBay(
        block_id,
        bay,
        Bay.of(([group[dues[n]] for n in stack] for stack in stacks), block.max_tiers),
        tuple(stacks),
        Bay.of(([order[n] for n in stack] for stack in stacks), block.max_tiers),
    )
