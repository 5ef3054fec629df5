from pathlib import Path

from hypothesis import given, settings

from hubport.planning import cpmp
from hubport.planning.bay import Bay, replay_cpmp
from hubport.planning.bay_files import read_bay

from .brute import cpmp_optimum
from .strategies import small_bays

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


def test_dlts_instances_never_beat_their_proven_optima_and_stay_within_a_quarter():
    for name, optimum in (("dlts-5x5_cv1_test-0.dat", 26), ("dlts-5x5_cv2_test-3.dat", 27)):
        bay = read_bay(DATA / name)
        solution = cpmp.solve(bay, time_limit=1.0)
        replay_cpmp(bay, solution.moves)
        assert optimum <= solution.count <= optimum * 1.25


def test_a_sorted_bay_needs_no_move():
    bay = Bay.of([[3, 2, 1], [9, 9]], 4)
    solution = cpmp.solve(bay)
    assert (solution.count, solution.optimal) == (0, True)
