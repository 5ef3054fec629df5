"""First-fit decreasing: the simple load plan to measure CP-SAT's against. Committed boxes
first, then the larger and heavier; each on the first slot from the locomotive that every
rule allows."""

from __future__ import annotations

import time

from hubport.planning.load_plan import (
    Assignment,
    LoadPlan,
    LoadRequest,
    positions_for,
)
from hubport.planning.load_plan_rules import PlanState, why_left


def first_fit_decreasing(request: LoadRequest) -> LoadPlan:
    began = time.perf_counter()
    assignments = list(request.on_board)
    state = PlanState(request, assignments)
    aboard = {a.box for a in assignments}
    waiting = sorted(
        (b for b in request.boxes if not b.hold and b.number not in aboard),
        key=lambda b: (-b.priority, -b.teu, -b.gross_kg, b.number),
    )
    for box in waiting:
        for wagon in request.wagons:
            spot = next(
                (p for p in positions_for(box, wagon) if state.refusal(box, wagon, p) is None),
                None,
            )
            if spot is not None:
                state.add(box, wagon.id, spot)
                assignments.append(Assignment(wagon.id, spot, box.number))
                break
    loaded = {a.box for a in assignments}
    teu = sum(b.teu for b in request.boxes if b.number in loaded)
    return LoadPlan(
        status="heuristic",
        assignments=tuple(assignments),
        left_behind=tuple(why_left(request, assignments, proved=True)),
        loaded_teu=teu,
        bound_teu=teu,
        priority_teu=sum(b.teu for b in request.boxes if b.number in loaded and b.priority),
        seconds=time.perf_counter() - began,
    )


__all__ = ["first_fit_decreasing"]
