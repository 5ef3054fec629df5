from pathlib import Path

import pytest
from hypothesis import given, settings

from hubport.domain.errors import InvalidBay
from hubport.planning import cpmp
from hubport.planning.bay import Bay, replay_cpmp
from hubport.planning.bay_files import read_bay

from .brute import cpmp_optimum
from .strategies import small_bays
from .switches import switched_off

DATA = Path(__file__).parents[2] / "data" / "bays"


@settings(max_examples=120, deadline=None)
@given(small_bays(groups=True, max_stacks=3))
def test_plans_replay_and_the_bound_never_exceeds_the_optimum(bay):
    optimum = cpmp_optimum([list(s) for s in bay.stacks], bay.max_height, limit=9)
    if optimum is None:
        return
    solution = cpmp.solve(bay, time_limit=0.5)
    replay_cpmp(bay, solution.moves)
    assert solution.lower_bound <= optimum <= solution.count
    if solution.optimal:
        assert solution.count == optimum


@settings(max_examples=60, deadline=None)
@given(small_bays(groups=True, max_stacks=4))
def test_each_ranking_of_the_beam_alone_and_the_simple_bound_alone_stay_valid(bay):
    """4096: no beams ranked by greedy completion; 8192: none ranked by bound; 2048: the
    simple bound only. Each still gives a replayable plan no shorter than the optimum."""
    optimum = cpmp_optimum([list(s) for s in bay.stacks], bay.max_height, limit=8)
    if optimum is None:
        return
    for flags in (4096, 8192, 2048):
        with switched_off(flags):
            solution = cpmp.solve(bay, time_limit=0.2)
        replay_cpmp(bay, solution.moves)
        assert solution.lower_bound <= optimum <= solution.count


def test_the_demand_supply_bound_counts_well_placed_boxes_that_must_make_room():
    """dlts 5x5_cv1 0: 17 badly placed boxes; no stack is sorted, so the smallest badly
    placed part (3 boxes) moves twice before anything lands well placed; and box 25 finds
    no slot over a well-placed 25, so a well-placed box must make room. The reference
    solver starts from 22 (it adds one for a case this bound leaves out); the optimum is
    26. The simple bound (bad boxes + the well-placed ones under 25 on the best stack)
    gives 18."""
    bay = read_bay(DATA / "dlts-5x5_cv1_test-0.dat")
    assert cpmp.solve(bay, time_limit=0.05).lower_bound == 21
    with switched_off(2048):
        assert cpmp.solve(bay, time_limit=0.05).lower_bound == 18


def test_dlts_instances_never_beat_their_proven_optima_and_stay_within_a_quarter():
    for name, optimum in (("dlts-5x5_cv1_test-0.dat", 26), ("dlts-5x5_cv2_test-3.dat", 27)):
        bay = read_bay(DATA / name)
        solution = cpmp.solve(bay, time_limit=1.0)
        replay_cpmp(bay, solution.moves)
        assert optimum <= solution.count <= optimum * 1.25


def test_a_bay_beyond_the_size_the_core_holds_is_refused_by_name():
    with pytest.raises(InvalidBay, match="up to 24 stacks and a maximum height of 16"):
        cpmp.solve(Bay.of([[1, 2]] + [[]] * 24, 4))
    with pytest.raises(InvalidBay, match="not 2 stacks and 17"):
        cpmp.solve(Bay.of([[1, 2], []], 17))


def test_a_sorted_bay_needs_no_move():
    bay = Bay.of([[3, 2, 1], [9, 9]], 4)
    solution = cpmp.solve(bay)
    assert (solution.count, solution.optimal) == (0, True)
