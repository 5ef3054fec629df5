from hypothesis import given
from hypothesis import strategies as st

from hubport.planning.stacking_policy import (
    Box,
    DepartureAware,
    LowestStack,
    RandomStack,
    SameCategory,
)


def b(index: int, due: float, category: str = "rail") -> Box:
    return Box(index, due, category)


def test_departure_aware_sets_a_box_where_it_blocks_nothing_with_the_tightest_fit():
    stacks = [[b(1, 50)], [b(2, 12)], [b(3, 30)], []]
    assert DepartureAware().choose(stacks, b(9, 10), 4, None) == 1


def test_departure_aware_keeps_empty_stacks_for_boxes_that_need_them():
    stacks = [[], [b(1, 80)]]
    assert DepartureAware().choose(stacks, b(9, 10), 4, None) == 1


def test_when_every_stack_would_be_blocked_the_latest_earliest_departure_wins():
    stacks = [[b(1, 5)], [b(2, 20), b(3, 8)], [b(4, 15)]]
    assert DepartureAware().choose(stacks, b(9, 30), 4, None) == 2


def test_boxes_of_one_train_count_as_leaving_together_within_the_tolerance():
    stacks = [[b(1, 20.0)], [b(2, 90.0)]]
    assert DepartureAware(tolerance=0.5).choose(stacks, b(9, 20.2), 4, None) == 0


def test_same_category_stacks_on_its_own_kind_then_on_an_empty_stack():
    stacks = [[b(1, 5, "road")], [b(2, 5, "rail")], []]
    policy = SameCategory()
    assert policy.choose(stacks, b(9, 5, "rail"), 4, None) == 1
    assert policy.choose(stacks, b(9, 5, "river"), 4, None) == 2


def test_lowest_stack_picks_the_lowest():
    assert LowestStack().choose([[b(1, 1), b(2, 2)], [b(3, 3)]], b(9, 9), 4, None) == 1


@given(
    st.lists(st.lists(st.floats(0, 100), max_size=3), min_size=1, max_size=5),
    st.floats(0, 100),
    st.integers(0, 4),
)
def test_every_policy_respects_height_and_the_excluded_stack(dues, due, exclude):
    stacks = [[b(k, d) for k, d in enumerate(stack)] for stack in dues]
    for policy in (DepartureAware(), LowestStack(), SameCategory(), RandomStack(3)):
        chosen = policy.choose(stacks, b(99, due), 3, exclude)
        allowed = [i for i, s in enumerate(stacks) if i != exclude and len(s) < 3]
        assert chosen in allowed if allowed else chosen is None
