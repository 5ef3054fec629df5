"""Load planning in two steps, each an OR-Tools CP-SAT model much smaller than one over
every wagon slot: first which boxes go, as wagon loads (a 40'/45' box, two 20' boxes
within the pair difference, or a lone 20'); then which wagon takes each load.

Wagons with the same figures and the same split point form a class, and a load is chosen
for a class, so the first step keeps every per-wagon rule exactly (lengths, payload, the
20' slot limit, the pair difference, split points) and the train's gross mass; only the
dangerous-goods separation, which depends on the wagons' order, waits for the second step.
When the second step cannot place every load, ``plan_units`` answers None and the planner
falls back on the model over every slot.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from hubport.planning.load_plan import Assignment, LoadBox, LoadRequest, Objective, WagonSpec

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}
#: As ``workers``: plan with one worker in deterministic time (plans that replay).
DETERMINISTIC = 0
#: Masses enter the balance objective in these units (keeps its numbers small).
BALANCE_UNIT_KG = 100


@dataclass(frozen=True)
class WagonLoad:
    """What one wagon carries: one box on the whole platform, or one or two 20' boxes."""

    boxes: tuple[LoadBox, ...]
    wagon_class: int

    @property
    def gross_kg(self) -> int:
        return sum(b.gross_kg for b in self.boxes)

    @property
    def dangerous(self) -> tuple[str, ...]:
        return tuple(b.imdg_class for b in self.boxes if b.imdg_class)


@dataclass(frozen=True)
class UnitsPlan:
    assignments: tuple[Assignment, ...]
    objectives: tuple[Objective, ...]
    #: The TEU stage is proved (every load found a wagon, so the proof holds for the train).
    proved: bool
    teu_bound: float


def wagon_classes(request: LoadRequest) -> list[list[WagonSpec]]:
    """Wagons alike in every figure a load depends on, and detached at the same point."""
    groups: dict[tuple[object, ...], list[WagonSpec]] = {}
    for wagon in request.wagons:
        split = next((s.at for s in request.splits if wagon.id in s.wagons), None)
        key = (wagon.payload_kg, wagon.max_box_ft, wagon.max_20ft_kg, wagon.platform_ft, split)
        groups.setdefault(key, []).append(wagon)
    return list(groups.values())


def _fits(request: LoadRequest, boxes: tuple[LoadBox, ...], wagon: WagonSpec) -> bool:
    split = next((s.at for s in request.splits if wagon.id in s.wagons), None)
    if any((request.split_of(b.destination) is not None) != (split is not None) for b in boxes):
        return False
    if split is not None and any(b.destination != split for b in boxes):
        return False
    if sum(b.gross_kg for b in boxes) > wagon.payload_kg:
        return False
    if len(boxes) == 1 and not boxes[0].is_twenty:
        return boxes[0].length_ft <= wagon.max_box_ft
    if any(not b.is_twenty or b.gross_kg > wagon.max_20ft_kg for b in boxes):
        return False
    if len(boxes) == 2:
        if abs(boxes[0].gross_kg - boxes[1].gross_kg) > request.train.max_pair_difference_kg:
            return False
        dangerous = [b.imdg_class for b in boxes if b.imdg_class]
        if len(dangerous) == 2 and max(request.separation(c) for c in dangerous) > 0:
            return False  # two dangerous boxes on one wagon are too close
    return True


def candidate_loads(request: LoadRequest, boxes: list[LoadBox]) -> list[WagonLoad]:
    classes = wagon_classes(request)
    twenties = sorted((b for b in boxes if b.is_twenty), key=lambda b: b.gross_kg)
    shapes: list[tuple[LoadBox, ...]] = [(b,) for b in boxes]
    limit = request.train.max_pair_difference_kg
    for i, first in enumerate(twenties):
        for second in twenties[i + 1 :]:
            if second.gross_kg - first.gross_kg > limit:
                break
            shapes.append((second, first))  # the heavier in slot A
    return [
        WagonLoad(shape, k)
        for shape in shapes
        for k, members in enumerate(classes)
        if _fits(request, shape, members[0])
    ]


def plan_units(
    request: LoadRequest,
    boxes: list[LoadBox],
    time_limit: float,
    seed: int,
    workers: int,
    hint: tuple[Assignment, ...],
) -> UnitsPlan | None:
    """The plan by loads, or None when the loads chosen cannot all be given wagons."""
    began = time.perf_counter()
    classes = wagon_classes(request)
    loads = candidate_loads(request, boxes)
    # -- step 1: which loads (data, variables, constraints) -------------------------------
    model = cp_model.CpModel()
    take = [model.new_bool_var(f"take[{i}]") for i in range(len(loads))]
    holding: dict[str, list[cp_model.IntVar]] = {b.number: [] for b in boxes}
    for load, var in zip(loads, take, strict=True):
        for box in load.boxes:
            holding[box.number].append(var)
    loaded: dict[str, Any] = {}
    for number, vars_ in holding.items():
        if vars_:
            model.add_at_most_one(vars_)  # a box in one load at most
        loaded[number] = sum(vars_) if vars_ else 0
    for k, members in enumerate(classes):
        model.add(
            sum(v for load, v in zip(loads, take, strict=True) if load.wagon_class == k)
            <= len(members)
        )
    model.add(
        sum(load.gross_kg * v for load, v in zip(loads, take, strict=True))
        <= request.train.max_gross_kg - request.fixed_tare_kg
    )
    # -- objectives -----------------------------------------------------------------------
    scale = sum(b.teu for b in boxes) + 1
    teu = sum(b.teu * loaded[b.number] for b in boxes)
    committed = sum(b.teu * loaded[b.number] for b in boxes if b.priority == 1)
    moved = []
    blockers: dict[str, list[str]] = {}
    for box in boxes:
        for above in box.blocked_by:
            blockers.setdefault(above, []).append(box.number)
    for above, under in blockers.items():
        flag = model.new_bool_var(f"relocated[{above}]")
        for number in under:
            model.add(flag >= loaded[number] - loaded.get(above, 0))
        moved.append(flag)
    # -- solve: most committed TEU and TEU, then fewest relocations -------------------------
    start = _hint_of(request, classes, loads, hint)
    for i, var in enumerate(take):
        model.add_hint(var, int(i in start))
    objectives = []
    stages: list[tuple[str, Any, bool, float]] = [
        ("committed TEU, then TEU", scale * committed + teu, True, 0.3),
        ("relocations", sum(moved), False, 0.3),
    ]
    chosen: list[int] | None = None
    for name, expression, maximise, share in stages:
        (model.maximize if maximise else model.minimize)(expression)
        if chosen is not None:
            model.clear_hints()  # type: ignore[no-untyped-call]
            for i, var in enumerate(take):
                model.add_hint(var, chosen[i])
        solver = cp_solver(time_limit * share, seed, workers)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        value = round(solver.objective_value)
        objectives.append(Objective(name, STATUS_NAMES[status], value, solver.best_objective_bound))
        chosen = [int(solver.value(v)) for v in take]
        model.add(expression >= value if maximise else expression <= value)
    if chosen is None:
        return None  # no stage ran (no time)
    picked = [load for load, on in zip(loads, chosen, strict=True) if on]
    # -- step 2: which wagon takes each load ------------------------------------------------
    left = time_limit * 0.4
    if workers != DETERMINISTIC:
        left = max(0.2, time_limit - (time.perf_counter() - began))
    placed = _assign(request, classes, picked, left, seed, workers, objectives)
    if placed is None:
        return None
    return UnitsPlan(
        placed,
        tuple(objectives),
        objectives[0].status == "optimal",
        objectives[0].bound,
    )


def _hint_of(
    request: LoadRequest,
    classes: list[list[WagonSpec]],
    loads: list[WagonLoad],
    plan: tuple[Assignment, ...],
) -> set[int]:
    """The loads of a plan (the first-fit one), as indices into ``loads``."""
    class_of = {w.id: k for k, members in enumerate(classes) for w in members}
    index = {
        (frozenset(b.number for b in load.boxes), load.wagon_class): i
        for i, load in enumerate(loads)
    }
    per_wagon: dict[str, set[str]] = {}
    for item in plan:
        per_wagon.setdefault(item.wagon, set()).add(item.box)
    found = set()
    for wagon_id, numbers in per_wagon.items():
        i = index.get((frozenset(numbers), class_of[wagon_id]))
        if i is not None:
            found.add(i)
    return found


def _assign(
    request: LoadRequest,
    classes: list[list[WagonSpec]],
    picked: list[WagonLoad],
    time_limit: float,
    seed: int,
    workers: int,
    objectives: list[Objective],
) -> tuple[Assignment, ...] | None:
    """Loads onto wagons of their class: dangerous goods apart, the least crane travel, then
    the best balance."""
    wagons = request.wagons
    order = {w.id: i for i, w in enumerate(wagons)}
    model = cp_model.CpModel()
    on: dict[tuple[int, int], cp_model.IntVar] = {}
    for u, load in enumerate(picked):
        for wagon in classes[load.wagon_class]:
            on[u, order[wagon.id]] = model.new_bool_var(f"on[{u},{wagon.id}]")
        model.add_exactly_one(v for (unit, _), v in on.items() if unit == u)
    for i in range(len(wagons)):
        here = [v for (_, w), v in on.items() if w == i]
        if here:
            model.add_at_most_one(here)
    # dangerous goods apart: a load with a class and one with another, max(s, t) wagons
    dangerous = [(u, c) for u, load in enumerate(picked) for c in load.dangerous]
    for (u, first), (v, second) in itertools.combinations(dangerous, 2):
        if u == v:
            continue
        apart = max(request.separation(first), request.separation(second))
        for (unit_a, i), var_a in on.items():
            if unit_a != u:
                continue
            for j in range(max(0, i - apart), min(len(wagons), i + apart + 1)):
                if (v, j) in on:
                    model.add(var_a + on[v, j] <= 1)
    travel = []
    for (u, i), var in on.items():
        x = wagons[i].x_m
        metres = sum(
            abs(b.yard_x_m - x) for b in picked[u].boxes if b.yard_x_m is not None and x is not None
        )
        if metres:
            travel.append(round(metres) * var)
    middle = len(wagons) - 1
    moment = sum(
        (picked[u].gross_kg // BALANCE_UNIT_KG) * (2 * i - middle) * var
        for (u, i), var in on.items()
    )
    imbalance = model.new_int_var(
        0, sum(p.gross_kg // BALANCE_UNIT_KG for p in picked) * max(middle, 1) + 1, "imbalance"
    )
    model.add(imbalance >= moment)
    model.add(imbalance >= -moment)
    chosen: dict[tuple[int, int], int] | None = None
    for name, expression, share in (
        ("crane travel", sum(travel), 0.6),
        ("balance (mass moment)", imbalance, 0.4),
    ):
        model.minimize(expression)
        if chosen is not None:
            model.clear_hints()  # type: ignore[no-untyped-call]
            for key, var in on.items():
                model.add_hint(var, chosen[key])
        solver = cp_solver(max(0.1, time_limit * share), seed, workers)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if chosen is None:
                return None  # the loads cannot all be placed
            objectives.append(Objective(name, STATUS_NAMES[status], math.nan, math.nan))
            break
        value = round(solver.objective_value)
        objectives.append(Objective(name, STATUS_NAMES[status], value, solver.best_objective_bound))
        chosen = {key: int(solver.value(var)) for key, var in on.items()}
        model.add(expression <= value)
    if chosen is None:
        return None
    result = []
    for (u, i), flag in sorted(chosen.items(), key=lambda kv: kv[0][1]):
        if not flag:
            continue
        load = picked[u]
        spots = ("AB",) if not load.boxes[0].is_twenty else ("A", "B")
        for spot, box in zip(spots, load.boxes, strict=False):
            result.append(Assignment(wagons[i].id, spot, box.number))  # type: ignore[arg-type]
    return tuple(result)


def cp_solver(seconds: float, seed: int, workers: int) -> cp_model.CpSolver:
    """A solver for ``seconds``; with ``workers`` 0, one worker and a deterministic time
    limit instead, so that the same request always gets the same plan."""
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    if workers == DETERMINISTIC:
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = max(0.05, seconds)
        solver.parameters.max_time_in_seconds = max(1.0, 20 * seconds)  # a safety net only
    else:
        solver.parameters.num_workers = workers
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
    return solver


__all__ = [
    "DETERMINISTIC",
    "STATUS_NAMES",
    "UnitsPlan",
    "WagonLoad",
    "candidate_loads",
    "cp_solver",
    "plan_units",
    "wagon_classes",
]
