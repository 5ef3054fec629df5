"""The compact summary of one yard stack: what a yard-wide decision reads instead of boxes.

Choosing a slot (or a crane) looks at every stack within a crane's reach. Reading every
box there would make a command's cost grow with the yard; the summary of a stack is one
small record, kept current in the same transaction as the moves that change the stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hubport.domain.container import Container
from hubport.domain.places import StackKey, YardSlot


@dataclass(frozen=True)
class BayRange:
    """Ground bays ``first`` to ``last`` (both included) of one block: where to read."""

    block: str
    first: int
    last: int

    def __contains__(self, stack: object) -> bool:
        return (
            isinstance(stack, StackKey)
            and stack.block == self.block
            and self.first <= stack.bay <= self.last
        )


@dataclass(frozen=True)
class StackSummary:
    """One 20' ground stack as yard-wide decisions see it.

    ``height`` counts the 20' positions taken (a 40' counts in both its ground stacks).
    ``earliest_due`` is the soonest next-leg departure of any box in the stack, ``leg``
    the next-leg reference every box shares (None when they differ or have none).
    """

    stack: StackKey
    height: int = 0
    top: str | None = None
    top_forty: bool = False
    top_bay: int | None = None
    top_due: datetime | None = None
    earliest_due: datetime | None = None
    leg: str | None = None
    reefers: int = 0
    dangerous: int = 0
    forties: int = 0
    """The stack's positions taken by 40' boxes (the rest hold 20's)."""

    @property
    def empty(self) -> bool:
        return self.height == 0


def summarise(stack: StackKey, boxes: Sequence[tuple[Container, YardSlot]]) -> StackSummary:
    """The summary of ``stack`` holding ``boxes``, bottom to top."""
    if not boxes:
        return StackSummary(stack)
    dues = [c.next_leg.due for c, _ in boxes if c.next_leg is not None and c.next_leg.due]
    legs = {c.next_leg.reference if c.next_leg is not None else None for c, _ in boxes}
    top, top_slot = boxes[-1]
    return StackSummary(
        stack=stack,
        height=len(boxes),
        top=top.number.value,
        top_forty=top.size_type.is_forty,
        top_bay=top_slot.bay,
        top_due=top.next_leg.due if top.next_leg is not None else None,
        earliest_due=min(dues) if dues else None,
        leg=next(iter(legs)) if len(legs) == 1 else None,
        reefers=sum(1 for c, _ in boxes if c.needs_power),
        dangerous=sum(1 for c, _ in boxes if c.is_dangerous),
        forties=sum(1 for c, _ in boxes if c.size_type.is_forty),
    )


__all__ = ["BayRange", "StackSummary", "summarise"]
