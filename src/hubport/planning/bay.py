"""One bay as the optimisers see it: stacks of priorities, bottom to top, and a height limit.

A smaller priority leaves earlier. Stacks are numbered from 0. The replay functions here are
the referee for every plan the solvers produce: a plan counts only if it replays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from hubport.domain.errors import InvalidBay, InvalidPlan

MAX_STACKS = 32
MAX_HEIGHT = 32
MAX_PRIORITY = 254


@dataclass(frozen=True)
class Bay:
    """Stacks of priorities (bottom to top) under a common maximum height."""

    stacks: tuple[tuple[int, ...], ...]
    max_height: int

    def __post_init__(self) -> None:
        if not 1 <= len(self.stacks) <= MAX_STACKS:
            raise InvalidBay(f"a bay needs 1 to {MAX_STACKS} stacks, not {len(self.stacks)}")
        if not 1 <= self.max_height <= MAX_HEIGHT:
            raise InvalidBay(f"maximum height must be 1 to {MAX_HEIGHT}, not {self.max_height}")
        for index, stack in enumerate(self.stacks):
            if len(stack) > self.max_height:
                raise InvalidBay(
                    f"stack {index} holds {len(stack)} boxes, above the maximum height "
                    f"{self.max_height}"
                )
            for priority in stack:
                if not 1 <= priority <= MAX_PRIORITY:
                    raise InvalidBay(
                        f"stack {index}: priority {priority} is outside 1..{MAX_PRIORITY}"
                    )

    @classmethod
    def of(cls, stacks: Iterable[Iterable[int]], max_height: int) -> Bay:
        return cls(tuple(tuple(stack) for stack in stacks), max_height)

    @property
    def boxes(self) -> int:
        return sum(len(stack) for stack in self.stacks)

    @property
    def tiers(self) -> int:
        """The height of the tallest stack."""
        return max((len(stack) for stack in self.stacks), default=0)

    def ranked(self) -> Bay:
        """The same bay with priorities renumbered 1, 2, ... keeping order and ties."""
        values = sorted({p for stack in self.stacks for p in stack})
        rank = {value: index + 1 for index, value in enumerate(values)}
        return Bay.of(([rank[p] for p in stack] for stack in self.stacks), self.max_height)

    def has_distinct_priorities(self) -> bool:
        flat = [p for stack in self.stacks for p in stack]
        return len(flat) == len(set(flat))

    def blocking(self) -> int:
        """Boxes with an earlier-leaving box somewhere below them: each must move once."""
        count = 0
        for stack in self.stacks:
            lowest = MAX_PRIORITY + 1
            for priority in stack:
                count += priority > lowest
                lowest = min(lowest, priority)
        return count

    def badly_placed(self) -> int:
        """Boxes not in the non-increasing run from the ground: pre-marshalling must move them."""
        count = 0
        for stack in self.stacks:
            run = 1
            while run < len(stack) and stack[run] <= stack[run - 1]:
                run += 1
            count += max(0, len(stack) - run)
        return count


@dataclass(frozen=True)
class Move:
    """One crane move in a bay: relocate the top box of a stack, or take it out (BRP)."""

    op: Literal["relocate", "retrieve"]
    source: int
    target: int | None = None

    def as_json(self) -> dict[str, object]:
        if self.op == "retrieve":
            return {"op": "retrieve", "from": self.source}
        return {"op": "relocate", "from": self.source, "to": self.target}


def _check_stack(stacks: Sequence[list[int]], index: int | None, step: int, role: str) -> int:
    if index is None or not 0 <= index < len(stacks):
        raise InvalidPlan(step, f"{role} stack {index} does not exist")
    return index


def _relocate(stacks: list[list[int]], move: Move, max_height: int, step: int) -> int:
    source = _check_stack(stacks, move.source, step, "source")
    target = _check_stack(stacks, move.target, step, "target")
    if source == target:
        raise InvalidPlan(step, f"moves a box from stack {source} onto itself")
    if not stacks[source]:
        raise InvalidPlan(step, f"stack {source} is empty")
    if len(stacks[target]) >= max_height:
        raise InvalidPlan(step, f"stack {target} is already {max_height} high")
    box = stacks[source].pop()
    stacks[target].append(box)
    return box


def replay_brp(bay: Bay, moves: Sequence[Move], *, restricted: bool) -> int:
    """Check a retrieval plan and return its relocation count.

    Every move takes a top box; retrievals take the boxes in priority order; a restricted
    plan relocates only boxes lying above the next box to leave; the bay ends empty.
    """
    stacks = [list(stack) for stack in bay.stacks]
    remaining = sorted(p for stack in stacks for p in stack)
    relocations = 0
    for step, move in enumerate(moves, start=1):
        if move.op == "retrieve":
            source = _check_stack(stacks, move.source, step, "source")
            if not stacks[source]:
                raise InvalidPlan(step, f"retrieves from empty stack {source}")
            box = stacks[source][-1]
            if box != remaining[0]:
                raise InvalidPlan(
                    step, f"retrieves priority {box} while {remaining[0]} must leave first"
                )
            stacks[source].pop()
            remaining.pop(0)
            continue
        if restricted:
            target_stack = next(i for i, s in enumerate(stacks) if remaining[0] in s)
            if move.source != target_stack:
                raise InvalidPlan(
                    step,
                    f"restricted plan relocates from stack {move.source}, but the next box "
                    f"({remaining[0]}) lies in stack {target_stack}",
                )
        _relocate(stacks, move, bay.max_height, step)
        relocations += 1
    if remaining:
        raise InvalidPlan(len(moves), f"{len(remaining)} boxes are left in the bay")
    return relocations


def replay_cpmp(bay: Bay, moves: Sequence[Move]) -> list[list[int]]:
    """Check a pre-marshalling plan: legal moves ending in a bay where nothing blocks."""
    stacks = [list(stack) for stack in bay.stacks]
    for step, move in enumerate(moves, start=1):
        if move.op != "relocate":
            raise InvalidPlan(step, "pre-marshalling only relocates")
        _relocate(stacks, move, bay.max_height, step)
    final = Bay.of(stacks, bay.max_height)
    if final.badly_placed():
        raise InvalidPlan(
            len(moves), f"{final.badly_placed()} boxes are still badly placed at the end"
        )
    return stacks
