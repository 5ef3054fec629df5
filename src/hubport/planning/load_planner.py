"""Train load planning with OR-Tools CP-SAT: booked boxes onto wagon slots, every rule of
``load_plan`` kept, and a lexicographic objective solved stage by stage.

``plan_load`` first plans by wagon loads (``load_units``: two small models); where that
cannot place every load, or boxes are already on board, it plans with the model here,
over every wagon slot. Its stages, each solved with the ones before held at what they
reached (and hinted with the whole plan so far, starting from the first-fit plan, so a
stage never ends worse than it began):

1. the most committed (priority 1) TEU, then the most TEU in all (one objective, the
   committed TEU weighing more than all TEU together);
2. then the least work to fetch them: relocations (a box standing on a loaded box and not
   loaded itself is moved once) weighed as ``RELOCATION_AS_M`` metres of crane travel,
   plus the crane's travel from each box's yard position to its wagon;
3. then balance: the least mass moment about the middle of the train.

The plan is "optimal" when the TEU stage is proved; every stage reports its own status,
value and bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from hubport.domain.errors import InvalidLoadRequest
from hubport.planning.load_plan import (
    Assignment,
    LoadBox,
    LoadPlan,
    LoadRequest,
    Objective,
    Position,
    positions_for,
    slot_takes,
)
from hubport.planning.load_plan_baseline import first_fit_decreasing
from hubport.planning.load_plan_rules import why_left
from hubport.planning.load_units import DETERMINISTIC, STATUS_NAMES, cp_solver, plan_units

#: One relocation weighs as much as this much crane travel (a move of about 100 s against
#: a gantry at about 2 m/s).
RELOCATION_AS_M = 200
#: Masses enter the balance stage in these units (keeps its numbers small).
BALANCE_UNIT_KG = 100
#: Shares of the time limit for the stages (time a stage leaves unused goes on).
STAGE_SHARES = (0.5, 0.35, 0.15)


@dataclass
class _Model:
    model: cp_model.CpModel
    slot: dict[tuple[str, int, Position], cp_model.IntVar]
    loaded: dict[str, cp_model.LinearExpr]


def plan_load(
    request: LoadRequest, time_limit: float = 5.0, seed: int = 0, workers: int = 8
) -> LoadPlan:
    """The load plan of one train, within ``time_limit`` seconds in all (``workers``
    ``DETERMINISTIC``: in deterministic time on one worker, the same plan every time)."""
    began = time.perf_counter()
    boxes = [b for b in request.boxes if not b.hold]
    first_fit = first_fit_decreasing(request).assignments
    if not request.on_board:
        by_loads = plan_units(request, boxes, time_limit, seed, workers, first_fit)
        if by_loads is not None:
            return _read_back(
                request,
                boxes,
                by_loads.assignments,
                by_loads.objectives,
                by_loads.proved,
                by_loads.teu_bound,
                began,
            )
    return _plan_slots(
        request,
        boxes,
        first_fit,
        time_limit if workers == DETERMINISTIC else time_limit - (time.perf_counter() - began),
        seed,
        workers,
        began,
    )


def _plan_slots(
    request: LoadRequest,
    boxes: list[LoadBox],
    first_fit: tuple[Assignment, ...],
    time_limit: float,
    seed: int,
    workers: int,
    began: float,
) -> LoadPlan:
    """The model over every wagon slot (boxes on board, or loads that found no wagons)."""
    # -- data ---------------------------------------------------------------------------
    wagons = request.wagons
    index = {w.id: i for i, w in enumerate(wagons)}
    built = _build(request, boxes, index)
    model, slot = built.model, built.slot

    # -- objectives ---------------------------------------------------------------------
    committed = sum(b.teu * built.loaded[b.number] for b in boxes if b.priority == 1)
    teu = sum(b.teu * built.loaded[b.number] for b in boxes)
    work = _fetch_work(request, boxes, built, index)
    middle = len(wagons) - 1
    moment = sum(
        (box.gross_kg // BALANCE_UNIT_KG) * (2 * i - middle) * var
        for (number, i, _), var in slot.items()
        for box in (request.box(number),)
    )
    moment_limit = sum(b.gross_kg // BALANCE_UNIT_KG for b in boxes) * max(middle, 1) + 1
    # the balance stage minimises the moment's size: two one-sided bounds, added when it
    # comes (an absolute-value constraint from the start slows presolve badly)
    imbalance = model.new_int_var(0, moment_limit, "imbalance")
    # committed TEU first, then all TEU: one objective, committed TEU weighing more than
    # all TEU together (one solve, one presolve)
    scale = sum(b.teu for b in boxes) + 1
    stages: list[tuple[str, cp_model.LinearExprT, bool]] = [
        ("committed TEU, then TEU", scale * committed + teu, True),
        ("relocations and crane travel", work, False),
        ("balance (mass moment)", imbalance, False),
    ]

    # -- solve, stage by stage ----------------------------------------------------------
    objectives: list[Objective] = []
    # the first-fit plan is the first hint, and the plan if the solver finds none better
    chosen = {(a.box, index[a.wagon], a.position) for a in first_fit}
    solution = {key: int(key in chosen) for key in slot}
    budget = 0.0
    for (name, expression, maximise), share in zip(stages, STAGE_SHARES, strict=True):
        budget += time_limit * share
        left = time_limit * share
        if workers != DETERMINISTIC:
            left = max(0.05, budget - (time.perf_counter() - began))
        if expression is imbalance:
            model.add(imbalance >= moment)
            model.add(imbalance >= -moment)
        if maximise:
            model.maximize(expression)
        else:
            model.minimize(expression)
        # hint a whole solution: the plan so far with every helper variable filled in
        incumbent = _complete(model, slot, solution)
        model.clear_hints()  # type: ignore[no-untyped-call]
        if incumbent is not None:
            for proto_index, hinted in enumerate(incumbent[0]):
                model.add_hint(model.get_int_var_from_proto_index(proto_index), hinted)
        solver = cp_solver(left, seed, workers)
        status = solver.solve(model)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        value: float = round(solver.objective_value) if found else math.nan
        if incumbent is not None and (
            not found or (value < incumbent[1] if maximise else value > incumbent[1])
        ):
            value = incumbent[1]  # the search fell short of the plan it started from
        elif found:
            solution = {key: int(solver.value(var)) for key, var in slot.items()}
        if math.isnan(value):
            objectives.append(Objective(name, STATUS_NAMES[status], math.nan, math.nan))
            break
        bound = solver.best_objective_bound if found else math.nan
        objectives.append(Objective(name, STATUS_NAMES[status], value, bound))
        # hold this stage at what it reached
        if maximise:
            model.add(expression >= round(value))
        else:
            model.add(expression <= round(value))

    # -- read back ----------------------------------------------------------------------
    assignments = tuple(
        Assignment(wagons[i].id, position, number)
        for (number, i, position), chosen in sorted(solution.items(), key=lambda kv: kv[0][1])
        if chosen
    )
    return _read_back(
        request,
        boxes,
        assignments,
        tuple(objectives),
        objectives[0].status == "optimal",
        objectives[0].bound,
        began,
    )


def _read_back(
    request: LoadRequest,
    boxes: list[LoadBox],
    assignments: tuple[Assignment, ...],
    objectives: tuple[Objective, ...],
    proved: bool,
    teu_bound: float,
    began: float,
) -> LoadPlan:
    loaded = {a.box for a in assignments}
    loaded_teu = sum(b.teu for b in boxes if b.number in loaded)
    committed_teu = sum(b.teu for b in boxes if b.number in loaded and b.priority == 1)
    scale = sum(b.teu for b in boxes) + 1
    bound_teu = min(sum(b.teu for b in boxes), 2 * len(request.wagons))
    if not math.isnan(teu_bound):
        # no plan with as many committed TEU loads more than this
        bound_teu = min(bound_teu, math.floor(teu_bound + 1e-6) - scale * committed_teu)
    return LoadPlan(
        status="optimal" if proved else "feasible",
        assignments=assignments,
        left_behind=tuple(why_left(request, assignments, proved)),
        loaded_teu=loaded_teu,
        bound_teu=max(bound_teu, loaded_teu),
        priority_teu=committed_teu,
        seconds=time.perf_counter() - began,
        objectives=objectives,
    )


def _complete(
    model: cp_model.CpModel,
    slot: dict[tuple[str, int, Position], cp_model.IntVar],
    solution: dict[tuple[str, int, Position], int],
) -> tuple[list[int], float] | None:
    """Every variable's value, and the objective's, for the plan ``solution`` (None when it
    breaks the model as it now stands)."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for key, var in slot.items():
        model.add_hint(var, solution[key])
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution), solver.objective_value


def _build(request: LoadRequest, boxes: list[LoadBox], index: dict[str, int]) -> _Model:
    """Variables and hard constraints."""
    model = cp_model.CpModel()
    wagons = request.wagons
    detached = request.detached()
    # -- variables: slot[box, wagon, position] = 1 when the box goes there ---------------
    slot: dict[tuple[str, int, Position], cp_model.IntVar] = {}
    for box in boxes:
        split = request.split_of(box.destination)
        for i, wagon in enumerate(wagons):
            if not slot_takes(box, wagon):
                continue
            if split is not None and wagon.id not in split.wagons:
                continue
            if split is None and wagon.id in detached:
                continue
            for position in positions_for(box, wagon):
                slot[box.number, i, position] = model.new_bool_var(
                    f"slot[{box.number},{wagon.id},{position}]"
                )
    loaded: dict[str, cp_model.LinearExpr] = {}
    for box in boxes:
        mine = [v for (number, _, _), v in slot.items() if number == box.number]
        loaded[box.number] = sum(mine)  # type: ignore[assignment]
        if mine:
            # -- constraint: a box at most once
            model.add(sum(mine) <= 1)
    # -- constraint: boxes on board stay where they are
    for placed in request.on_board:
        key = (placed.box, index[placed.wagon], placed.position)
        if key not in slot:
            raise InvalidLoadRequest(
                f"on_board box {placed.box}",
                f"may not stand on {placed.wagon} {placed.position} (a customs hold, its "
                "mass or its destination)",
            )
        model.add(slot[key] == 1)
    by_wagon: dict[int, list[tuple[str, Position, cp_model.IntVar]]] = {}
    for (number, i, position), var in slot.items():
        by_wagon.setdefault(i, []).append((number, position, var))
    used_twenty: dict[tuple[int, str], cp_model.IntVar] = {}
    for i, wagon in enumerate(wagons):
        items = by_wagon.get(i, [])
        mass = {number: request.box(number).gross_kg for number, _, _ in items}
        whole = [v for _, p, v in items if p == "AB"]
        for spot in ("A", "B"):
            half = [v for _, p, v in items if p == spot]
            # -- constraint: a slot holds one box (the whole platform covers both halves)
            model.add(sum(half) + sum(whole) <= 1)
            used = model.new_bool_var(f"used[{wagon.id},{spot}]")
            model.add(sum(half) == used)
            used_twenty[i, spot] = used
        # -- constraint: the wagon's payload
        model.add(sum(mass[n] * v for n, _, v in items) <= wagon.payload_kg)
        # -- constraint: two 20' boxes within the pair difference
        mass_a = sum(mass[n] * v for n, p, v in items if p == "A")
        mass_b = sum(mass[n] * v for n, p, v in items if p == "B")
        both = [used_twenty[i, "A"], used_twenty[i, "B"]]
        limit = request.train.max_pair_difference_kg
        model.add(mass_a - mass_b <= limit).only_enforce_if(both)
        model.add(mass_b - mass_a <= limit).only_enforce_if(both)
    # -- constraint: the train's gross mass
    model.add(
        sum(request.box(n).gross_kg * v for (n, _, _), v in slot.items())
        <= request.train.max_gross_kg - request.fixed_tare_kg
    )
    _separate_dangerous_goods(request, model, slot, len(wagons))
    return _Model(model, slot, loaded)


def _separate_dangerous_goods(
    request: LoadRequest,
    model: cp_model.CpModel,
    slot: dict[tuple[str, int, Position], cp_model.IntVar],
    wagon_count: int,
) -> None:
    """Two dangerous-goods boxes of classes with separations s and t stand at least
    max(s, t) wagons apart: per class and wagon, whether any box of it stands there."""
    classes: dict[str, list[tuple[int, cp_model.IntVar]]] = {}
    for (number, i, _), var in slot.items():
        imdg = request.box(number).imdg_class
        if imdg:
            classes.setdefault(imdg, []).append((i, var))
    present: dict[tuple[str, int], cp_model.IntVar] = {}
    for imdg, items in classes.items():
        for i in range(wagon_count):
            here = [v for at, v in items if at == i]
            if not here:
                continue
            flag = model.new_bool_var(f"dangerous[{imdg},{i}]")
            model.add(sum(here) <= len(here) * flag)
            present[imdg, i] = flag
            if request.separation(imdg) > 0:
                model.add(sum(here) <= 1)  # two of them on one wagon are too close
    names = sorted(classes)
    for a, first in enumerate(names):
        for second in names[a:]:
            apart = max(request.separation(first), request.separation(second))
            if apart == 0:
                continue
            for i in range(wagon_count):
                for j in range(i + 1 if first == second else max(0, i - apart), i + apart + 1):
                    if (
                        (first, i) in present
                        and (second, j) in present
                        and (first, i) != (second, j)
                    ):
                        model.add(present[first, i] + present[second, j] <= 1)


def _fetch_work(
    request: LoadRequest, boxes: list[LoadBox], built: _Model, index: dict[str, int]
) -> cp_model.LinearExprT:
    """Relocations (as metres) plus crane travel, from the yard to the wagons."""
    model, slot, loaded = built.model, built.slot, built.loaded
    terms: list[cp_model.LinearExprT] = []
    for (number, i, _), var in slot.items():
        box = request.box(number)
        wagon_x = request.wagons[i].x_m
        if box.yard_x_m is not None and wagon_x is not None:
            terms.append(round(abs(box.yard_x_m - wagon_x)) * var)
    blockers: dict[str, list[str]] = {}
    for box in boxes:
        for above in box.blocked_by:
            blockers.setdefault(above, []).append(box.number)
    for above, under in blockers.items():
        under = [n for n in under if not isinstance(loaded[n], int)]
        if not under:
            continue  # none of the boxes under it can be loaded
        moved = model.new_bool_var(f"relocated[{above}]")
        for number in under:
            # a box on a loaded one is relocated unless it is loaded itself
            model.add(moved >= loaded[number] - loaded.get(above, 0))
        terms.append(RELOCATION_AS_M * moved)
    return sum(terms) if terms else 0


def relocations(request: LoadRequest, assignments: Iterable[Assignment]) -> int:
    """Boxes that must be moved aside to fetch the loaded ones (each counted once)."""
    loaded = {a.box for a in assignments}
    return len(
        {above for b in request.boxes if b.number in loaded for above in b.blocked_by} - loaded
    )


__all__ = ["RELOCATION_AS_M", "plan_load", "relocations"]
