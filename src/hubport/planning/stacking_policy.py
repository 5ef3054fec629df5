"""Online stacking policies: which stack an arriving (or relocated) box goes to.

A policy sees the stacks as they stand and what is known of each box's departure: an
estimated time (a train's timetable, a vessel call, a truck appointment, or only a typical
dwell for its category) and a category (next leg and destination). Boxes that leave within
``tolerance`` hours of each other count as leaving together, as boxes of one train do.

The departure-aware policy puts a box where it blocks nothing that leaves earlier, on the
stack whose earliest departure is the closest above its own (keeping looser stacks and empty
ones for boxes that need them); when every stack would be blocked, it picks the one whose
earliest departure is the latest, so the relocation it causes comes as late as possible.
The others are the baselines a terminal would compare against.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Box:
    id: int
    due: float
    category: str


class Policy(Protocol):
    name: str

    def choose(
        self, stacks: Sequence[Sequence[Box]], box: Box, max_height: int, exclude: int | None
    ) -> int | None:
        """The stack for ``box``, or None when every allowed stack is full."""
        ...


def _open(stacks: Sequence[Sequence[Box]], max_height: int, exclude: int | None) -> list[int]:
    return [i for i, s in enumerate(stacks) if i != exclude and len(s) < max_height]


@dataclass
class RandomStack:
    seed: int = 0
    name: str = "random"

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def choose(
        self, stacks: Sequence[Sequence[Box]], box: Box, max_height: int, exclude: int | None
    ) -> int | None:
        options = _open(stacks, max_height, exclude)
        return self._random.choice(options) if options else None


@dataclass
class LowestStack:
    name: str = "lowest stack"

    def choose(
        self, stacks: Sequence[Sequence[Box]], box: Box, max_height: int, exclude: int | None
    ) -> int | None:
        options = _open(stacks, max_height, exclude)
        return min(options, key=lambda i: (len(stacks[i]), i)) if options else None


@dataclass
class SameCategory:
    """Stacks hold one category each where possible: on its own kind, else an empty stack."""

    name: str = "same category"

    def choose(
        self, stacks: Sequence[Sequence[Box]], box: Box, max_height: int, exclude: int | None
    ) -> int | None:
        options = _open(stacks, max_height, exclude)
        if not options:
            return None

        def key(i: int) -> tuple[int, int, int]:
            stack = stacks[i]
            if stack and all(b.category == box.category for b in stack):
                return (0, len(stack), i)
            if not stack:
                return (1, 0, i)
            return (2, len(stack), i)

        return min(options, key=key)


@dataclass
class DepartureAware:
    tolerance: float = 0.0
    name: str = "departure-aware"

    def choose(
        self, stacks: Sequence[Sequence[Box]], box: Box, max_height: int, exclude: int | None
    ) -> int | None:
        options = _open(stacks, max_height, exclude)
        if not options:
            return None
        inf = float("inf")

        def earliest(i: int) -> float:
            return min((b.due for b in stacks[i]), default=inf)

        fitting = [i for i in options if earliest(i) + self.tolerance >= box.due]
        nonempty = [i for i in fitting if stacks[i]]
        if nonempty:
            return min(nonempty, key=lambda i: (earliest(i), -len(stacks[i]), i))
        if fitting:
            return fitting[0]
        return max(options, key=lambda i: (earliest(i), -len(stacks[i]), -i))
