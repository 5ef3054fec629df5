from collections.abc import Sequence

def brp_solve(
    stacks: Sequence[Sequence[int]],
    max_height: int,
    restricted: bool,
    time_limit: float,
    table_bits: int,
    beam_first: float = 0.0,
) -> tuple[int, int, bool, int, list[tuple[int, int, int]] | None]: ...
def brp_heuristic(
    stacks: Sequence[Sequence[int]], max_height: int, restricted: bool
) -> tuple[int, list[tuple[int, int, int]] | None]: ...
def brp_bound(stacks: Sequence[Sequence[int]], max_height: int, restricted: bool) -> int: ...
def cpmp_solve(
    stacks: Sequence[Sequence[int]], max_height: int, time_limit: float
) -> tuple[int, int, bool, list[tuple[int, int]] | None]: ...
def _debug(flags: int) -> None: ...
