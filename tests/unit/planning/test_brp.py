from pathlib import Path

import pytest
from hypothesis import given, reject, settings

from hubport.domain.errors import InvalidBay
from hubport.planning import brp
from hubport.planning.bay import Bay, replay_brp
from hubport.planning.bay_files import read_bay
from hubport.planning.brp import Variant

from .brute import TooLarge, brp_optimum
from .strategies import full_bays, small_bays
from .switches import switched_off

DATA = Path(__file__).parents[2] / "data" / "bays"


@pytest.mark.parametrize(
    ("name", "restricted", "unrestricted"),
    [("data3-3-1.dat", 6, 6), ("data4-5-7.dat", 11, 11), ("data5-6-28.dat", 23, 21)],
)
def test_published_optima_are_reached_and_proved(name, restricted, unrestricted):
    bay = read_bay(DATA / name)
    for variant, optimum in (
        (Variant.RESTRICTED, restricted),
        (Variant.UNRESTRICTED, unrestricted),
    ):
        solution = brp.solve(bay, variant, time_limit=30)
        assert (solution.relocations, solution.lower_bound, solution.optimal) == (
            optimum,
            optimum,
            True,
        )
        assert replay_brp(bay, solution.moves, restricted=variant is Variant.RESTRICTED) == optimum


@settings(max_examples=300, deadline=None)
@given(small_bays(max_stacks=5))
def test_the_exact_solver_matches_exhaustive_search(bay):
    for variant in Variant:
        restricted = variant is Variant.RESTRICTED
        try:
            optimum = brp_optimum(
                [list(s) for s in bay.stacks], bay.max_height, restricted=restricted
            )
        except TooLarge:
            reject()  # too many states to enumerate in a test
        if optimum is None:
            with pytest.raises(InvalidBay, match="no retrieval plan exists"):
                brp.solve(bay, variant, time_limit=5)
            continue
        solution = brp.solve(bay, variant, time_limit=5)
        assert solution.optimal
        assert solution.relocations == optimum
        assert brp.lower_bound(bay, variant) <= optimum


@settings(max_examples=150, deadline=None)
@given(small_bays(max_stacks=5))
def test_the_heuristic_is_feasible_and_never_beats_the_optimum(bay):
    try:
        optimum = brp_optimum([list(s) for s in bay.stacks], bay.max_height, restricted=True)
    except TooLarge:
        reject()
    if optimum is None:
        return
    plan = brp.heuristic(bay)
    assert plan.relocations >= optimum
    assert replay_brp(bay, plan.moves, restricted=True) == plan.relocations


def test_at_its_time_limit_the_solver_returns_a_valid_plan_and_a_proved_bound():
    bay = read_bay(DATA / "data5-6-28.dat")
    solution = brp.solve(bay, Variant.UNRESTRICTED, time_limit=0.001)
    assert solution.lower_bound <= 21 <= solution.relocations
    assert solution.optimal == (solution.lower_bound == solution.relocations)
    assert replay_brp(bay, solution.moves, restricted=False) == solution.relocations


def test_the_carried_walk_bounds_a_hard_restricted_bay_at_its_optimum():
    """data5-8-18 took 77 million nodes to prove with the plain walk, whose bound is 28."""
    bay = read_bay(DATA / "data5-8-18.dat")
    with switched_off(128):
        plain = brp.lower_bound(bay, Variant.RESTRICTED)
    assert (plain, brp.lower_bound(bay, Variant.RESTRICTED)) == (28, 30)
    solution = brp.solve(bay, Variant.RESTRICTED, time_limit=60)
    assert (solution.relocations, solution.optimal) == (30, True)
    assert replay_brp(bay, solution.moves, restricted=True) == 30


@settings(max_examples=120, deadline=None)
@given(full_bays())
def test_on_full_bays_the_unrestricted_solver_and_its_bound_match_exhaustive_search(bay):
    """Full bays with no empty stack are where the layers bound counts."""
    try:
        optimum = brp_optimum([list(s) for s in bay.stacks], bay.max_height, restricted=False)
    except TooLarge:
        reject()
    if optimum is None:
        return
    assert brp.lower_bound(bay, Variant.UNRESTRICTED) <= optimum
    solution = brp.solve(bay, Variant.UNRESTRICTED, time_limit=5)
    assert (solution.relocations, solution.optimal) == (optimum, True)


def test_the_layers_bound_and_the_rules_prove_a_hard_unrestricted_bay():
    """data5-10-9: the walk alone bounds it at 25, with the layers bound at 26; the
    search with dominance rules proves 28 in under a second where the table's search took
    more than 5 s before the layers bound."""
    bay = read_bay(DATA / "data5-10-9.dat")
    with switched_off(1024):
        walk_only = brp.lower_bound(bay, Variant.UNRESTRICTED)
    assert (walk_only, brp.lower_bound(bay, Variant.UNRESTRICTED)) == (25, 26)
    solution = brp.solve(bay, Variant.UNRESTRICTED, time_limit=60)
    assert (solution.relocations, solution.lower_bound, solution.optimal) == (28, 28, True)
    assert replay_brp(bay, solution.moves, restricted=False) == 28


def test_repeated_priorities_are_refused_with_a_reason():
    with pytest.raises(InvalidBay, match="needs distinct priorities"):
        brp.solve(Bay.of([[1, 2], [2]], 3))


def test_a_bay_with_no_room_to_relocate_is_refused():
    with pytest.raises(InvalidBay, match="no retrieval plan exists within the maximum height 2"):
        brp.solve(Bay.of([[1, 2], [3, 4]], 2))


def test_any_priorities_work_when_distinct():
    solution = brp.solve(Bay.of([[30, 70, 10], [20, 60, 50], [80, 90, 40]], 5))
    assert solution.relocations == 6


def test_the_baseline_is_never_better_than_the_optimum():
    bay = read_bay(DATA / "data5-6-28.dat")
    assert brp.greedy_baseline(bay) >= 23


@settings(max_examples=60, deadline=None)
@given(small_bays(max_stacks=4))
def test_switching_parts_of_the_search_changes_no_optimum(bay):
    """The bound, the table and the dominance rules only prune, and the probe and the beam
    only find plans sooner: the optimum is the same without them (1 blocking count only, 2
    no table, 4 no probe, 128 no carried walk, 256 no dominance rules, 512 the table's
    search for the unrestricted variant, 1024 no layers bound) or with the beam at once
    (16)."""
    for variant in Variant:
        try:
            reference = brp.solve(bay, variant, time_limit=5)
        except InvalidBay:
            continue
        for flags in (1, 2, 3, 4, 16, 20, 128, 256, 512, 1024, 512 | 1024, 1 | 256):
            with switched_off(flags):
                plain = brp.solve(bay, variant, time_limit=5)
            assert (plain.relocations, plain.optimal) == (reference.relocations, True)
