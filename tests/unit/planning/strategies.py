"""Hypothesis strategies for small bays."""

from __future__ import annotations

from hypothesis import strategies as st

from hubport.planning.bay import Bay


@st.composite
def small_bays(draw: st.DrawFn, *, groups: bool = False, max_stacks: int = 4) -> Bay:
    stacks = draw(st.integers(2, max_stacks))
    max_height = draw(st.integers(2, 4))
    heights = [draw(st.integers(0, max_height)) for _ in range(stacks)]
    if sum(heights) >= stacks * max_height:
        heights[0] -= 1  # leave room for one relocation
    total = sum(heights)
    if groups:
        pool = [draw(st.integers(1, max(1, total // 2))) for _ in range(total)]
    else:
        pool = draw(st.permutations(list(range(1, total + 1))))
    out, index = [], 0
    for h in heights:
        out.append(pool[index : index + h])
        index += h
    return Bay.of(out, max_height)


@st.composite
def full_bays(draw: st.DrawFn, *, max_stacks: int = 4, max_tiers: int = 3) -> Bay:
    """Bays in the shape of the Caserta–Voss files: every stack holds the same number of
    boxes, with one or two tiers of room above (no empty stack to start with)."""
    stacks = draw(st.integers(2, max_stacks))
    tiers = draw(st.integers(2, max_tiers))
    pool = draw(st.permutations(list(range(1, stacks * tiers + 1))))
    out = [list(pool[i * tiers : (i + 1) * tiers]) for i in range(stacks)]
    return Bay.of(out, tiers + draw(st.integers(1, 2)))
