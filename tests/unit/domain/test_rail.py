"""Rail as data: wagon types and train services from the site file, a train visit held to
its wagons' types and its service, an announced consist held to its wagons."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from hubport.adapters.site_file import default_site_text, site_from_text
from hubport.domain.container import Container
from hubport.domain.errors import SiteError, VisitError
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import WagonSlot
from hubport.domain.rail import check_consist, check_visit
from hubport.domain.site import Site
from hubport.domain.visits import TrainVisit, Wagon
from hubport.twin.traffic import generate_day
from tests.conftest import box, valid_number

FIRST_BOX, SECOND_BOX = valid_number(1).value, valid_number(2).value
FIRST = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


def _visit(wagons: int = 3, kind: str = "NX70A", service: str = "RS-QZH") -> TrainVisit:
    return TrainVisit(
        "T1", service, "outbound", tuple(Wagon(n, kind) for n in range(1, wagons + 1))
    )


def test_every_site_has_the_shipped_wagon_types_with_a_source(site: Site) -> None:
    nx70a, x6k = site.wagon_types["NX70A"], site.wagon_types["X6K"]
    assert (nx70a.length_m, nx70a.tare_kg, nx70a.payload_kg) == (13.966, 23_800, 70_000)
    assert (x6k.length_m, x6k.tare_kg, x6k.payload_kg, x6k.max_box_ft) == (
        13.23,
        18_000,
        61_000,
        40,
    )
    assert all(kind.source for kind in site.wagon_types.values())


def test_a_site_adds_its_own_wagon_type_and_may_replace_a_shipped_one() -> None:
    own = """
[[wagon_types]]
code = "NX70A"
length_m = 13.966
tare_kg = 24_000
payload_kg = 69_000
max_20ft_kg = 34_500
max_box_ft = 45

[[wagon_types]]
code = "SITE1"
length_m = 12.0
tare_kg = 20_000
payload_kg = 60_000
max_20ft_kg = 30_000
"""
    site = site_from_text(default_site_text() + own, "own.toml")
    assert site.wagon_types["SITE1"].payload_kg == 60_000
    assert site.wagon_types["NX70A"].tare_kg == 24_000
    assert "X6K" in site.wagon_types


def test_services_carry_route_timetable_operator_limits_and_split_points(site: Site) -> None:
    qinzhou = site.train_services["RS-QZH"]
    assert qinzhou.route == ("CNJGJ", "CNQZH") and qinzhou.operator
    assert qinzhou.limits.max_pair_difference_kg == 5_000 and qinzhou.limits.max_wagons == 50
    day = datetime(2026, 12, 1, tzinfo=HUB_TIME)
    assert [f"{d:%H:%M}" for d in qinzhou.departures(day, day + timedelta(days=1))] == [
        "10:30",
        "16:30",
        "22:30",
    ]
    nong_khai = site.train_services["CL-NKY"]
    week = nong_khai.departures(day, day + timedelta(days=7))
    assert {f"{d:%a}" for d in week} == {"Mon", "Thu"}
    (split,) = nong_khai.splits
    assert split.at == "LAVTE" and list(split.wagons(25)) == [21, 22, 23, 24, 25]


BROKEN_SERVICES = [
    ('route = ["CNJGJ", "CNQZH"]', 'route = ["CNJGJ"]', "#1: route: a route has at least"),
    ('times = ["10:30", "16:30", "22:30"]', 'times = ["25:00"]', "#1: times: '25:00' is not a"),
    ('wagon_type = "NX70A"\nwagons = 25', 'wagon_type = "X99"\nwagons = 25', "#1: wagon_type"),
    ('days = "daily"', 'days = "Mon Fry"', "#1: days: 'Mon Fry'"),
]


@pytest.mark.parametrize(("field", "broken", "message"), BROKEN_SERVICES)
def test_a_broken_service_is_refused_naming_the_table_and_field(
    field: str, broken: str, message: str
) -> None:
    text = default_site_text()
    start = text.index("[[train_services]]")
    text = text[:start] + text[start:].replace(field, broken, 1)
    with pytest.raises(SiteError, match=r"x\.toml: \[\[train_services\]\] " + message):
        site_from_text(text, "x.toml")


def test_a_split_point_must_be_a_stop_on_the_way() -> None:
    text = default_site_text().replace('at = "LAVTE"', 'at = "THNKY"', 1)
    with pytest.raises(SiteError, match="'THNKY' is not an intermediate stop"):
        site_from_text(text, "x.toml")


def test_the_demo_trains_run_in_their_services_timetables_and_fit_them(site: Site) -> None:
    for day in (1, 2):
        traffic = generate_day(day, 2024, FIRST)
        for train in (*traffic.inbound, *traffic.outbound):
            visit = train.visit
            service = site.train_services[visit.service]
            assert visit.scheduled is not None and service.runs_at(visit.scheduled), visit.id
            assert service.direction == visit.direction
            check_visit(visit, site.wagon_types, service)


def test_a_wagon_of_an_unknown_type_is_refused_naming_the_wagon(site: Site) -> None:
    visit = _visit(kind="X99")
    with pytest.raises(VisitError, match=r"train T1 wagon 01: type 'X99' is not a wagon type"):
        check_visit(visit, site.wagon_types, site.train_services["RS-QZH"])


def test_a_wagon_heavier_than_its_type_allows_is_refused(site: Site) -> None:
    visit = dataclasses.replace(
        _visit(), wagons=(Wagon(1), Wagon(2, "X6K", max_payload_kg=70_000), Wagon(3))
    )
    with pytest.raises(VisitError, match="wagon 02: payload 70,000 kg is above its type X6K"):
        check_visit(visit, site.wagon_types, None)


def test_a_train_longer_than_its_service_allows_is_refused(site: Site) -> None:
    with pytest.raises(VisitError, match="51 wagons, service RS-QZH allows 50"):
        check_visit(_visit(51), site.wagon_types, site.train_services["RS-QZH"])


def test_a_visit_in_the_wrong_direction_for_its_service_is_refused(site: Site) -> None:
    with pytest.raises(VisitError, match="service RS-QZH-N is inbound, not outbound"):
        check_visit(_visit(service="RS-QZH-N"), site.wagon_types, site.train_services["RS-QZH-N"])


NUMBERS = {"first": 1, "second": 2}


def _consist(*lines: tuple[str, int, str, int]) -> list[tuple[Container, WagonSlot]]:
    return [
        (
            box(NUMBERS[name], "42G1" if spot == "AB" else "22G1", gross),
            WagonSlot("T1", wagon, spot),  # type: ignore[arg-type]
        )
        for name, wagon, spot, gross in lines
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [("first", 1, "A", 20_000), ("first", 2, "A", 20_000)],
            f"box {FIRST_BOX} is announced twice on train T1",
        ),
        (
            [("first", 1, "A", 20_000), ("second", 1, "A", 20_000)],
            f"slot wagon:T1:01:A is double-booked: {FIRST_BOX} and {SECOND_BOX}",
        ),
        (
            [("first", 1, "A", 20_000), ("second", 1, "AB", 20_000)],
            r"slot wagon:T1:01:AB is double-booked",
        ),
        (
            [("first", 2, "B", 28_000)],
            rf"box {FIRST_BOX}: 28,000 kg is heavier than slot wagon:T1:02:B takes \(25,000 kg\)",
        ),
        ([("first", 4, "A", 20_000)], "train T1 has wagons 1..3, not 4"),
    ],
)
def test_a_consist_that_does_not_fit_the_wagons_is_refused_naming_it(
    site: Site, lines: list[tuple[str, int, str, int]], message: str
) -> None:
    # wagon 2 is rated below its type, at 25 t
    visit = dataclasses.replace(
        _visit(), wagons=(Wagon(1), Wagon(2, max_payload_kg=25_000), Wagon(3))
    )
    with pytest.raises(VisitError, match=message):
        check_consist(visit, site.wagon_types, _consist(*lines))


def test_a_consist_that_fits_is_accepted(site: Site) -> None:
    check_consist(
        _visit(),
        site.wagon_types,
        _consist(("first", 1, "A", 30_000), ("second", 1, "B", 28_000)),
    )
