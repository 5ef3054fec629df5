from datetime import timedelta

import pytest

from hubport.domain.container import LegMode, NextLeg
from hubport.domain.errors import InvalidBay
from hubport.domain.inventory import Inventory
from hubport.domain.places import YardSlot
from hubport.planning import brp, cpmp
from hubport.planning.bay import replay_brp, replay_cpmp
from hubport.planning.yard_bay import yard_bay
from tests.conftest import T0, box
from tests.unit.domain.test_inventory import into_yard


def leaving(index: int, hours: float | None, code: str = "22G1"):
    leg = NextLeg(LegMode.RAIL, "QZH", T0 + timedelta(hours=hours)) if hours is not None else None
    return box(index, code, next_leg=leg)


def build(inventory: Inventory, layout: dict[int, list[float | None]], bay: int = 3) -> None:
    index = 1
    for row, dues in layout.items():
        for tier, hours in enumerate(dues, start=1):
            into_yard(inventory, leaving(index, hours), YardSlot("A", bay, row, tier))
            index += 1


def test_a_live_bay_becomes_stacks_ranked_by_departure(inventory):
    build(inventory, {1: [30, 10, 20], 2: [5], 3: [None, 10]})
    plan = yard_bay(inventory, "A", 3)
    assert plan.bay_plan.stacks[:3] == ((4, 2, 3), (1,), (5, 2))
    assert plan.bay_plan.stacks[3:] == ((),) * 5
    assert plan.distinct.has_distinct_priorities()
    assert plan.bay_plan.max_height == inventory.site.block("A").max_tiers


def test_the_plans_of_a_live_bay_replay(inventory):
    build(inventory, {1: [30, 10, 20, 1], 2: [5, 40], 3: [50, 10]})
    plan = yard_bay(inventory, "A", 3)
    retrieval = brp.solve(plan.distinct)
    assert retrieval.optimal
    assert replay_brp(plan.distinct, retrieval.moves, restricted=True) == retrieval.relocations
    marshalling = cpmp.solve(plan.bay_plan, 0.2)
    replay_cpmp(plan.bay_plan, marshalling.moves)
    assert marshalling.count >= plan.bay_plan.badly_placed()


def test_a_twenty_foot_bay_with_a_forty_on_it_is_refused(inventory):
    into_yard(inventory, leaving(1, 5, "42G1"), YardSlot("A", 4, 1, 1))
    with pytest.raises(InvalidBay, match="spans another bay; plan the 40' bay instead"):
        yard_bay(inventory, "A", 3)
    assert yard_bay(inventory, "A", 4).bay_plan.stacks[0] == (1,)


def test_an_empty_or_unknown_bay_is_refused(inventory):
    with pytest.raises(InvalidBay, match="bay 03 is empty"):
        yard_bay(inventory, "A", 3)
    with pytest.raises(InvalidBay, match="has no bay 99"):
        yard_bay(inventory, "A", 99)
