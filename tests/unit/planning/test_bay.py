import pytest

from hubport.domain.errors import InvalidBay, InvalidPlan
from hubport.planning.bay import Bay, Move, replay_brp, replay_cpmp

BAY = Bay.of([[3, 7, 1], [2, 6, 5], [8, 9, 4]], 5)


def test_blocking_counts_boxes_with_an_earlier_box_below():
    assert BAY.blocking() == 4


def test_badly_placed_counts_everything_above_the_first_break():
    assert Bay.of([[5, 3, 4, 2]], 4).badly_placed() == 2


def test_a_stack_taller_than_the_limit_is_refused():
    with pytest.raises(InvalidBay, match="stack 0 holds 3 boxes, above the maximum height 2"):
        Bay.of([[1, 2, 3]], 2)


def test_ranked_keeps_order_and_ties():
    assert Bay.of([[40, 10], [10, 25]], 3).ranked().stacks == ((3, 1), (1, 2))


def test_a_retrieval_out_of_order_does_not_replay():
    with pytest.raises(InvalidPlan, match="retrieves priority 4 while 1 must leave first"):
        replay_brp(BAY, [Move("retrieve", 2)], restricted=True)


def test_a_restricted_plan_may_not_dig_elsewhere():
    with pytest.raises(InvalidPlan, match="restricted plan relocates from stack 2"):
        replay_brp(BAY, [Move("retrieve", 0), Move("relocate", 2, 0)], restricted=True)


def test_a_move_onto_a_full_stack_does_not_replay():
    bay = Bay.of([[2, 1], [3, 4]], 2)
    with pytest.raises(InvalidPlan, match="stack 1 is already 2 high"):
        replay_brp(bay, [Move("relocate", 0, 1)], restricted=False)


def test_a_plan_that_leaves_boxes_behind_does_not_replay():
    with pytest.raises(InvalidPlan, match="boxes are left in the bay"):
        replay_brp(BAY, [Move("retrieve", 0)], restricted=True)


def test_a_pre_marshalling_plan_must_end_sorted():
    bay = Bay.of([[1, 2], []], 3)
    with pytest.raises(InvalidPlan, match="1 boxes are still badly placed"):
        replay_cpmp(bay, [])
    assert replay_cpmp(bay, [Move("relocate", 0, 1)]) == [[1], [2]]
