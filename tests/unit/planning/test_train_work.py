"""A train's work in order: each crane's wagons from the locomotive, dues spread over the
train's time on its track, and a box never before the boxes of the work stacked on it."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hubport.domain.site import Site
from hubport.planning.cranes import crane_at
from hubport.planning.train_work import CYCLE, TrainMove, sequence
from tests.conftest import T0


def _moves(site: Site, wagons: range) -> list[TrainMove]:
    track = site.tracks["T1"]
    return [
        TrainMove(f"BOX{wagon:02d}{spot}", wagon, spot, track.x_of(wagon))
        for wagon in reversed(wagons)
        for spot in ("B", "A")
    ]


def test_each_crane_works_its_wagons_in_order_from_the_locomotive(site: Site) -> None:
    worked = sequence(_moves(site, range(1, 26)), site, T0, T0 + timedelta(hours=3))
    assert len(worked) == 50
    by_crane: dict[str | None, list[tuple[int, str]]] = {}
    for item in worked:
        by_crane.setdefault(item.crane, []).append((item.move.wagon, item.move.spot))
    assert len(by_crane) >= 2, "the train spans several cranes' stretches"
    for crane, order in by_crane.items():
        assert order == sorted(order), crane
        assert all(crane == crane_at(site, site.tracks["T1"].x_of(w)).id for w, _ in order)


def test_dues_are_spread_over_the_train_time_and_never_after_it_leaves(site: Site) -> None:
    leaves = T0 + timedelta(hours=3)
    worked = sequence(_moves(site, range(1, 26)), site, T0, leaves)
    assert max(item.due for item in worked) == leaves
    assert [item.due for item in worked] == sorted(item.due for item in worked)
    for crane in {item.crane for item in worked}:
        dues = [item.due for item in worked if item.crane == crane]
        assert all(b - a >= CYCLE for a, b in itertools.pairwise(dues))


def test_without_a_departure_moves_are_due_a_cycle_apart(site: Site) -> None:
    worked = sequence(_moves(site, range(1, 3)), site, T0)
    assert [item.due for item in worked if item.rank == 0] == [T0 + CYCLE]
    assert max(item.due for item in worked) == T0 + CYCLE * 4


def test_a_box_comes_after_the_boxes_of_the_work_that_stand_on_it(site: Site) -> None:
    track = site.tracks["T1"]
    under = TrainMove("UNDER", 1, "A", track.x_of(1), after=("ON_TOP", "NOT_IN_WORK"))
    on_top = TrainMove("ON_TOP", 20, "A", track.x_of(20))
    worked = sequence([under, on_top], site, T0, T0 + timedelta(hours=3))
    assert [item.move.number for item in worked] == ["ON_TOP", "UNDER"]
    assert worked[1].due > worked[0].due
