"""Reference solvers by exhaustive search, for bays small enough to enumerate."""

from __future__ import annotations

import itertools
from collections import deque

State = tuple[tuple[int, ...], ...]


def _canonical(stacks: list[list[int]]) -> State:
    return tuple(sorted(tuple(s) for s in stacks))


def _retrieve_ready(stacks: list[list[int]]) -> None:
    while any(stacks):
        target = min(p for s in stacks for p in s)
        holder = next(s for s in stacks if target in s)
        if holder[-1] != target:
            return
        holder.pop()


class TooLarge(Exception):
    """The exhaustive search would visit more states than it is allowed."""


def brp_optimum(
    stacks: list[list[int]], max_height: int, *, restricted: bool, max_states: int = 200_000
) -> int | None:
    """Fewest relocations by breadth-first search over relocation counts.

    Raises TooLarge past ``max_states`` states: a few unrestricted 5-stack bays have
    millions, which would take minutes and gigabytes to enumerate.
    """
    start = [list(s) for s in stacks]
    _retrieve_ready(start)
    seen = {_canonical(start)}
    frontier: deque[tuple[State, int]] = deque([(_canonical(start), 0)])
    while frontier:
        state, cost = frontier.popleft()
        current = [list(s) for s in state]
        if not any(current):
            return cost
        target = min(p for s in current for p in s)
        sources = range(len(current))
        if restricted:
            sources = [next(i for i, s in enumerate(current) if target in s)]
        for i in sources:
            if not current[i]:
                continue
            for j in range(len(current)):
                if j == i or len(current[j]) >= max_height:
                    continue
                nxt = [list(s) for s in current]
                nxt[j].append(nxt[i].pop())
                _retrieve_ready(nxt)
                key = _canonical(nxt)
                if key not in seen:
                    seen.add(key)
                    frontier.append((key, cost + 1))
                    if len(seen) > max_states:
                        raise TooLarge(f"more than {max_states} states")
    return None


def _sorted(state: State) -> bool:
    return all(all(a >= b for a, b in itertools.pairwise(s)) for s in state)


def cpmp_optimum(stacks: list[list[int]], max_height: int, limit: int = 12) -> int | None:
    """Fewest moves to a bay where nothing lies above a later box (up to ``limit``)."""
    start = _canonical([list(s) for s in stacks])
    if _sorted(start):
        return 0
    seen = {start}
    frontier: deque[tuple[State, int]] = deque([(start, 0)])
    while frontier:
        state, cost = frontier.popleft()
        if cost >= limit:
            return None
        current = [list(s) for s in state]
        for i in range(len(current)):
            if not current[i]:
                continue
            for j in range(len(current)):
                if j == i or len(current[j]) >= max_height:
                    continue
                nxt = [list(s) for s in current]
                nxt[j].append(nxt[i].pop())
                key = _canonical(nxt)
                if _sorted(key):
                    return cost + 1
                if key not in seen:
                    seen.add(key)
                    frontier.append((key, cost + 1))
    return None
