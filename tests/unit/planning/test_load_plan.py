"""Train load plans: every rule kept (checked by an independent validator), CP-SAT never
behind first-fit, proved optima equal to brute force, and bad requests refused by name."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from stdnum import iso6346

from hubport.domain.errors import InvalidLoadRequest
from hubport.planning.load_plan import (
    Assignment,
    LoadBox,
    LoadRequest,
    Split,
    TrainLimits,
    WagonSpec,
    positions_for,
)
from hubport.planning.load_plan_baseline import first_fit_decreasing
from hubport.planning.load_planner import plan_load, relocations
from hubport.planning.load_units import DETERMINISTIC
from tests.unit.planning.load_plan_validator import violations

LIMITS = TrainLimits(max_gross_kg=5_000_000, max_length_m=800, max_pair_difference_kg=5_000)


def number(index: int) -> str:
    stem = f"LPTU{index:06d}"
    return stem + iso6346.calc_check_digit(stem)


def wagon(index: int, **kw: object) -> WagonSpec:
    figures = dict(length_m=13.966, tare_kg=23_800, payload_kg=70_000, x_m=15.4 * index + 7.7)
    figures.update(kw)
    return WagonSpec(id=f"W{index + 1:02d}", **figures)  # type: ignore[arg-type]


def box(index: int, length_ft: int = 20, gross_kg: int = 20_000, **kw: object) -> LoadBox:
    return LoadBox(number(index), length_ft, gross_kg, **kw)  # type: ignore[arg-type]


def seeded(seed: int, wagons: int, boxes: int) -> LoadRequest:
    """A train and its booked boxes with masses, priorities, stacks and a few holds."""
    rng = random.Random(seed)
    booked = []
    stacks: dict[int, list[str]] = {}
    for i in range(boxes):
        length = rng.choices([20, 40, 45], [0.45, 0.45, 0.10])[0]
        stack = rng.randrange(max(1, boxes // 3))
        stacks.setdefault(stack, []).append(number(seed * 1000 + i))
        booked.append(
            box(
                seed * 1000 + i,
                length,
                rng.randint(4_000, 30_000 if length == 20 else 32_000),
                priority=int(rng.random() < 0.4),
                imdg_class=rng.choice(["3", "8"]) if rng.random() < 0.08 else None,
                hold=rng.random() < 0.05,
                yard_x_m=float(8 + 6.5 * (stack % 50)),
            )
        )
    above = {n: tuple(s[k + 1 :]) for s in stacks.values() for k, n in enumerate(s)}
    booked = [replace(b, blocked_by=above[b.number]) for b in booked]
    return LoadRequest(LIMITS, tuple(wagon(i) for i in range(wagons)), tuple(booked))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plans_keep_every_rule_and_never_load_fewer_teu_than_first_fit(seed: int) -> None:
    request = seeded(seed, wagons=12, boxes=40)
    plan = plan_load(request, time_limit=3.0, workers=2)
    baseline = first_fit_decreasing(request)
    assert violations(request, plan.assignments) == []
    assert violations(request, baseline.assignments) == []
    assert (plan.priority_teu, plan.loaded_teu) >= (baseline.priority_teu, baseline.loaded_teu)
    assert plan.loaded_teu <= plan.bound_teu
    loaded = {a.box for a in plan.assignments}
    left = {item.box for item in plan.left_behind}
    assert loaded | left == {b.number for b in request.boxes} and not loaded & left
    assert relocations(request, plan.assignments) <= relocations(request, baseline.assignments)


def _brute_force(request: LoadRequest) -> tuple[int, int]:
    """The best (committed TEU, TEU) over every assignment of boxes to slots or nowhere."""
    options = []
    for b in request.boxes:
        spots = [None] + [(w.id, p) for w in request.wagons for p in positions_for(b, w)]
        options.append(spots)
    best = (0, 0)
    for choice in itertools.product(*options):
        plan = [
            Assignment(w, p, b.number)
            for b, spot in zip(request.boxes, choice, strict=True)
            if spot
            for w, p in (spot,)
        ]
        if violations(request, plan):
            continue
        loaded = {a.box for a in plan}
        teu = [(b.teu, b.priority) for b in request.boxes if b.number in loaded]
        best = max(best, (sum(t for t, p in teu if p), sum(t for t, _ in teu)))
    return best


@pytest.mark.parametrize("seed", range(4))
def test_a_proved_plan_of_a_small_train_equals_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    boxes = tuple(
        box(
            seed * 100 + i,
            rng.choice([20, 20, 40]),
            rng.randint(8_000, 34_000),
            priority=rng.randint(0, 1),
            imdg_class="3" if rng.random() < 0.2 else None,
        )
        for i in range(6)
    )
    limits = replace(LIMITS, max_gross_kg=2 * 23_800 + rng.randint(60_000, 120_000))
    request = LoadRequest(limits, (wagon(0), wagon(1, payload_kg=45_000)), boxes)
    plan = plan_load(request, time_limit=5.0, workers=2)
    assert plan.status == "optimal"
    assert (plan.priority_teu, plan.loaded_teu) == _brute_force(request)
    assert violations(request, plan.assignments) == []


def test_a_box_under_a_customs_hold_is_never_planned_and_says_so() -> None:
    request = LoadRequest(LIMITS, (wagon(0),), (box(1, hold=True), box(2)))
    plan = plan_load(request, time_limit=1.0, workers=2)
    assert [a.box for a in plan.assignments] == [number(2)]
    assert [(b.box, b.reason) for b in plan.left_behind] == [(number(1), "under a customs hold")]


def test_dangerous_goods_are_kept_a_wagon_apart_and_the_rest_leave_with_the_reason() -> None:
    boxes = tuple(box(i, imdg_class="3") for i in range(4))
    request = LoadRequest(LIMITS, tuple(wagon(i) for i in range(3)), boxes)
    plan = plan_load(request, time_limit=2.0, workers=2)
    wagons = sorted(a.wagon for a in plan.assignments)
    assert wagons == ["W01", "W03"], "one box per wagon, never on neighbours"
    assert {b.reason for b in plan.left_behind} == {
        "no free slot is far enough from the other dangerous goods"
    }
    loose = LoadRequest(LIMITS, request.wagons, boxes, dg_separation={"3": 0})
    assert plan_load(loose, time_limit=2.0, workers=2).loaded_teu == 4


def test_boxes_for_a_split_point_ride_on_the_wagons_detached_there() -> None:
    boxes = (box(1, destination="CNNNG"), box(2, destination="CNNNG"), box(3), box(4))
    split = Split("CNNNG", ("W03",))
    request = LoadRequest(LIMITS, tuple(wagon(i) for i in range(3)), boxes, splits=(split,))
    plan = plan_load(request, time_limit=2.0, workers=2)
    on = {a.box: a.wagon for a in plan.assignments}
    assert on[number(1)] == on[number(2)] == "W03"
    assert on[number(3)] != "W03" and on[number(4)] != "W03"


def test_two_twenty_footers_on_a_wagon_stay_within_the_pair_difference() -> None:
    boxes = (box(1, gross_kg=28_000), box(2, gross_kg=10_000))
    plan = plan_load(LoadRequest(LIMITS, (wagon(0),), boxes), time_limit=1.0, workers=2)
    assert len(plan.assignments) == 1
    assert "differ too much in mass" in plan.left_behind[0].reason


def test_a_box_on_board_stays_where_it_is() -> None:
    aboard = Assignment("W02", "AB", number(1))
    request = LoadRequest(
        LIMITS, (wagon(0), wagon(1)), (box(1, 40), box(2, 40), box(3, 40)), on_board=(aboard,)
    )
    plan = plan_load(request, time_limit=1.0, workers=2)
    assert aboard in plan.assignments and len(plan.assignments) == 2


def test_an_overfull_train_gets_the_best_partial_plan_with_a_reason_for_each_box() -> None:
    request = seeded(7, wagons=5, boxes=30)
    plan = plan_load(request, time_limit=2.0, workers=2)
    assert plan.loaded_teu == 10 and plan.status == "optimal"
    assert len(plan.left_behind) == 30 - len(plan.assignments)
    assert all(item.reason for item in plan.left_behind)


def test_fetching_prefers_boxes_nobody_stands_on() -> None:
    # two equal boxes for one slot: the one under another box costs a relocation
    under, free, top = box(1), box(2), box(3)
    under = replace(under, blocked_by=(top.number,), yard_x_m=10.0)
    free = replace(free, yard_x_m=10.0)
    request = LoadRequest(LIMITS, (wagon(0, payload_kg=20_000),), (under, free))
    plan = plan_load(request, time_limit=1.0, workers=2)
    assert [a.box for a in plan.assignments] == [free.number]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda r: replace(r, boxes=(*r.boxes, r.boxes[0])), "booked twice"),
        (lambda r: replace(r, boxes=(box(9, gross_kg=80_000),)), "heavier than any slot"),
        (
            lambda r: replace(
                r,
                on_board=(Assignment("W01", "A", number(1)), Assignment("W01", "AB", number(2))),
                boxes=(box(1), box(2, 40)),
            ),
            "double-booked",
        ),
        (lambda r: replace(r, wagons=(wagon(0), wagon(0))), "appears twice"),
        (lambda r: replace(r, train=replace(LIMITS, max_length_m=10)), "more than max_length_m"),
    ],
)
def test_a_request_that_contradicts_itself_is_refused_by_name(change, named) -> None:  # type: ignore[no-untyped-def]
    request = LoadRequest(LIMITS, (wagon(0), wagon(1)), (box(1), box(2)))
    with pytest.raises(InvalidLoadRequest, match=named):
        change(request)


def test_a_deterministic_plan_is_the_same_plan_every_time() -> None:
    request = seeded(11, wagons=10, boxes=30)
    plans = [plan_load(request, time_limit=1.0, workers=DETERMINISTIC) for _ in range(3)]
    assert plans[0].assignments == plans[1].assignments == plans[2].assignments
    assert violations(request, plans[0].assignments) == []
