"""Where each crane reaches on the shared rail, and where a box too far for one crane is
set down on its way."""

from __future__ import annotations

from hubport.adapters.site_file import read_site_file
from hubport.domain.site import Crane, Site
from hubport.planning import cranes


def _site() -> Site:
    return read_site_file(None)[0]


def _within(site: Site, crane: Crane, x: float) -> bool:
    low, high = cranes.rail_reach(site, crane)
    return low <= x <= high


def test_each_crane_reaches_the_rail_less_a_gap_for_each_neighbour_beyond_it() -> None:
    site = _site()
    reaches = [cranes.rail_reach(site, c) for c in site.cranes_along_rail]
    gap = site.safety_gap_m
    assert [r[0] for r in reaches] == [reaches[0][0] + gap * i for i in range(len(reaches))]
    assert reaches[-1][1] - reaches[0][1] == gap * (len(reaches) - 1)


def test_a_move_from_one_end_of_the_rail_to_the_other_needs_a_relay_between() -> None:
    site = _site()
    low, high = cranes.whole_rail(site)
    assert cranes.one_crane_reaches(site, low + 30, high - 30)
    assert not cranes.one_crane_reaches(site, low + 1, high - 1)
    between = cranes.relay_reach(site, low + 1, high - 1)
    assert between is not None
    middle = sum(between) / 2
    assert any(_within(site, c, middle) for c in cranes.cranes_reaching(site, low + 1))
    assert any(_within(site, c, middle) for c in cranes.cranes_reaching(site, high - 1))
