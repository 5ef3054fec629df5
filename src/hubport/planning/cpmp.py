"""Pre-marshalling: re-sort a bay in idle time so that no box lies above a later one.

Priorities may repeat (groups leave together). The compiled core runs a beam search,
widening the beam while time is left; the result's ``optimal`` is true only when the plan
meets the lower bound (badly placed boxes plus the well-placed boxes that must make room
for the latest-leaving badly placed one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from hubport.domain.errors import InvalidBay
from hubport.planning import _bay
from hubport.planning.bay import Bay, Move, replay_cpmp

# The beam copies the bay for every child, so its core holds bays of this size at most.
MAX_STACKS = 24
MAX_HEIGHT = 16


@dataclass(frozen=True)
class CpmpSolution:
    moves: tuple[Move, ...]
    lower_bound: int
    optimal: bool
    seconds: float

    @property
    def count(self) -> int:
        return len(self.moves)


def greedy(bay: Bay) -> CpmpSolution:
    """The greedy alone (stack filling and dismantling, no search): the baseline."""
    return solve(bay, time_limit=0.0, search=False)


def solve(bay: Bay, time_limit: float = 1.0, *, search: bool = True) -> CpmpSolution:
    """The best plan found within ``time_limit`` seconds."""
    if search and time_limit <= 0:
        raise InvalidBay(f"the time limit must be positive, not {time_limit}")
    if len(bay.stacks) > MAX_STACKS or bay.max_height > MAX_HEIGHT:
        raise InvalidBay(
            f"pre-marshalling takes bays of up to {MAX_STACKS} stacks and a maximum height "
            f"of {MAX_HEIGHT}, not {len(bay.stacks)} stacks and {bay.max_height}"
        )
    ranked = bay.ranked()
    started = time.perf_counter()
    count, bound, optimal, raw = _bay.cpmp_solve(
        ranked.stacks, ranked.max_height, time_limit if search else 0.0
    )
    seconds = time.perf_counter() - started
    if count < 0 or raw is None:
        raise InvalidBay(
            f"no pre-marshalling plan was found within {time_limit:g} s under the maximum "
            f"height {bay.max_height}"
        )
    moves = tuple(Move("relocate", source, target) for source, target in raw)
    replay_cpmp(bay, moves)
    return CpmpSolution(moves, bound, optimal, seconds)
