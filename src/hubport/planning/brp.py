"""Block relocation: take every box out of a bay in priority order with fewest relocations.

Two variants: *restricted* (only a box above the next one to leave may be relocated) and
*unrestricted* (any top box may move at any time). The exact solver is an iterative-deepening
A* in the compiled core (``_bay.c``); it is anytime: at its time limit it returns the best
plan found, the lower bound it has proved, and whether the two meet. The heuristic is a
pilot (rollout) method over the classic min-max rule and takes milliseconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from hubport.domain.errors import InvalidBay
from hubport.planning import _bay
from hubport.planning.bay import Bay, Move, replay_brp

#: Transposition table size of the exact search, as a power of two entries of 32 bytes.
TABLE_BITS = 22
HEURISTIC_BEAM_SHARE = 0.5  # of the heuristic's budget, before its exact search


class Variant(StrEnum):
    RESTRICTED = "restricted"
    UNRESTRICTED = "unrestricted"


@dataclass(frozen=True)
class BrpSolution:
    relocations: int
    lower_bound: int
    optimal: bool
    seconds: float
    moves: tuple[Move, ...]
    nodes: int = 0

    @property
    def gap(self) -> int:
        return self.relocations - self.lower_bound


def _prepared(bay: Bay) -> Bay:
    if not bay.has_distinct_priorities():
        raise InvalidBay(
            "block relocation needs distinct priorities (a strict retrieval order); "
            "bays with groups are pre-marshalling instances"
        )
    return bay.ranked()


def _moves(raw: list[tuple[int, int, int]] | None) -> tuple[Move, ...]:
    return tuple(
        Move("retrieve", source) if op == 1 else Move("relocate", source, target)
        for op, source, target in raw or []
    )


def _infeasible(bay: Bay) -> InvalidBay:
    return InvalidBay(
        f"no retrieval plan exists within the maximum height {bay.max_height}: "
        "the bay has no room to relocate"
    )


def lower_bound(bay: Bay, variant: Variant = Variant.RESTRICTED) -> int:
    """The solver's lower bound on the relocations the bay needs."""
    ranked = _prepared(bay)
    return _bay.brp_bound(ranked.stacks, ranked.max_height, variant is Variant.RESTRICTED)


def solve(bay: Bay, variant: Variant = Variant.RESTRICTED, time_limit: float = 10.0) -> BrpSolution:
    """Exact search with a time limit; ``optimal`` is true only when proved."""
    if time_limit <= 0:
        raise InvalidBay(f"the time limit must be positive, not {time_limit}")
    ranked = _prepared(bay)
    restricted = variant is Variant.RESTRICTED
    started = time.perf_counter()
    relocations, bound, optimal, nodes, raw = _bay.brp_solve(
        ranked.stacks, ranked.max_height, restricted, time_limit, TABLE_BITS
    )
    seconds = time.perf_counter() - started
    if relocations < 0:
        raise _infeasible(bay)
    moves = _moves(raw)
    replay_brp(bay, moves, restricted=restricted)
    return BrpSolution(relocations, bound, optimal, seconds, moves, nodes)


def heuristic(bay: Bay, variant: Variant = Variant.RESTRICTED, budget: float = 0.08) -> BrpSolution:
    """A fast plan for large bays and real-time use.

    The rollout plan (restricted moves, valid for both variants), then a beam search ranked
    by relocations + bound (moves of the variant) for half of ``budget`` seconds, then the
    exact search with a small table for the rest; the best plan wins. ``budget=0`` gives the
    rollout alone.
    """
    ranked = _prepared(bay)
    restricted = variant is Variant.RESTRICTED
    started = time.perf_counter()
    if budget > 0:
        # the search starts from the rollout plan and stops at once when it meets the bound
        relocations, bound, optimal, nodes, raw = _bay.brp_solve(
            ranked.stacks, ranked.max_height, restricted, budget, 18, HEURISTIC_BEAM_SHARE
        )
    else:
        relocations, raw = _bay.brp_heuristic(ranked.stacks, ranked.max_height, True)
        bound = _bay.brp_bound(ranked.stacks, ranked.max_height, restricted)
        optimal, nodes = relocations == bound, 0
    seconds = time.perf_counter() - started
    if relocations < 0:
        raise _infeasible(bay)
    moves = _moves(raw)
    replay_brp(bay, moves, restricted=restricted)
    return BrpSolution(relocations, bound, optimal, seconds, moves, nodes)


def rollout(bay: Bay) -> BrpSolution:
    """The pilot method alone: every destination tried, each finished by the min-max rule."""
    return heuristic(bay, Variant.RESTRICTED, budget=0)


def greedy_baseline(bay: Bay) -> int:
    """Relocations of the plain min-max rule with no look-ahead: the benchmarks' baseline."""
    ranked = _prepared(bay)
    stacks = [list(stack) for stack in ranked.stacks]
    relocations = 0
    for target in range(1, ranked.boxes + 1):
        source = next(i for i, stack in enumerate(stacks) if target in stack)
        while stacks[source][-1] != target:
            box = stacks[source].pop()
            options = [
                i for i, s in enumerate(stacks) if i != source and len(s) < ranked.max_height
            ]
            if not options:
                raise _infeasible(bay)
            lowest = {i: min(stacks[i], default=ranked.boxes + 1) for i in options}
            fitting = [i for i in options if lowest[i] > box]
            if fitting:
                chosen = min(fitting, key=lambda i: (lowest[i], len(stacks[i])))
            else:
                chosen = max(options, key=lambda i: (lowest[i], -len(stacks[i])))
            stacks[chosen].append(box)
            relocations += 1
        stacks[source].pop()
    return relocations
