"""Small networks whose Pareto sets are known by hand."""

from __future__ import annotations

from datetime import datetime

from hubport.corridor.network import Network, Node, Place, Provenance, RoadLink, Service, Tariff
from hubport.corridor.router import Itinerary, Request, pareto
from hubport.corridor.timetable import Timetable

SOURCE = Provenance("test", "2026-01-01")
MONDAY = datetime(2026, 11, 30)  # a Monday


def place(code: str) -> Place:
    return Place(code, code, code[:2], "test", 0.0, 0.0, SOURCE)


def service(
    sid: str,
    origin: str,
    destination: str,
    hours: float,
    depart: str = "08:00",
    days: tuple[int, ...] = tuple(range(7)),
    mode: str = "rail",
) -> Service:
    hh, mm = depart.split(":")
    return Service(
        sid,
        sid,
        mode,
        origin,
        destination,
        days,
        int(hh) * 60 + int(mm),
        hours,
        100.0,
        None,
        SOURCE,
    )


def node(
    code: str,
    handling: float = 0,
    cutoff: float = 0,
    customs: float = 0,
    through: frozenset[tuple[str, str]] = frozenset(),
    storage: float = 0,
    free_days: float = 0,
) -> Node:
    return Node(code, handling, cutoff, customs, through, free_days, storage, 0, 0, 0, SOURCE)


def network(
    services: list[Service],
    tariffs: dict[str, float],
    nodes: list[Node] = (),  # type: ignore[assignment]
    roads: tuple[RoadLink, ...] = (),
) -> Network:
    codes = {s.origin for s in services} | {s.destination for s in services}
    codes |= {r.origin for r in roads} | {r.destination for r in roads}
    return Network(
        places={code: place(code) for code in codes},
        services={s.id: s for s in services},
        nodes={n.place: n for n in nodes},
        tariffs={sid: Tariff(sid, cost, cost, "USD", SOURCE) for sid, cost in tariffs.items()},
        roads=roads,
        parameters={
            "trucking_per_km_teu": "1",
            "trucking_per_km_feu": "2",
            "trucking_minimum": "10",
            "road_detour": "1.3",
            "sea_detour": "1.2",
        },
        emissions={"rail": 20.0, "river": 30.0, "sea": 10.0, "road": 80.0},
    )


def routes(
    net: Network, origin: str = "AAAAA", destination: str = "DDDDD", window_days: float = 1
) -> list[tuple[tuple[str, ...], float, float, int]]:
    timetable = Timetable.weekly(net, MONDAY, 14)
    found = pareto(
        net, timetable, Request(origin, destination, 0, round(window_days * 1440), False)
    )
    return [_summary(itinerary) for itinerary in found]


def _summary(itinerary: Itinerary) -> tuple[tuple[str, ...], float, float, int]:
    names = tuple(
        leg.service.id if leg.service else f"road:{leg.destination}" for leg in itinerary.legs
    )
    return names, itinerary.ready / 60, itinerary.cost, itinerary.transfers


def test_pareto_set_keeps_fast_and_cheap_and_drops_the_dominated() -> None:
    net = network(
        [
            service("FAST", "AAAAA", "DDDDD", 10),
            service("SLOW1", "AAAAA", "CCCCC", 10),
            service("SLOW2", "CCCCC", "DDDDD", 10, depart="20:00"),
            service("BAD", "AAAAA", "DDDDD", 40),  # slower and dearer than FAST
        ],
        {"FAST": 900, "SLOW1": 200, "SLOW2": 200, "BAD": 1000},
    )
    assert routes(net) == [
        (("FAST",), 18.0, 900.0, 0),
        (("SLOW1", "SLOW2"), 30.0, 400.0, 1),
    ]


def test_a_tie_shows_both_routes() -> None:
    net = network(
        [
            service("VIA-B1", "AAAAA", "BBBBB", 5),
            service("VIA-B2", "BBBBB", "DDDDD", 5, depart="14:00"),
            service("VIA-C1", "AAAAA", "CCCCC", 5),
            service("VIA-C2", "CCCCC", "DDDDD", 5, depart="14:00"),
        ],
        {"VIA-B1": 100, "VIA-B2": 100, "VIA-C1": 150, "VIA-C2": 50},
    )
    assert routes(net) == [
        (("VIA-B1", "VIA-B2"), 19.0, 200.0, 1),
        (("VIA-C1", "VIA-C2"), 19.0, 200.0, 1),
    ]


def test_a_missed_cutoff_means_the_next_departure() -> None:
    services = [service("IN", "AAAAA", "BBBBB", 5), service("OUT", "BBBBB", "DDDDD", 5, "14:00")]
    tariffs = {"IN": 100, "OUT": 100}
    # Arrive 13:00; 1 h handling: the 14:00 departure is made without a cut-off…
    made = routes(network(services, tariffs, [node("BBBBB", handling=1)]))
    assert made == [(("IN", "OUT"), 19.0, 200.0, 1)]
    # …and missed with a 2 h cut-off on top: the next day's 14:00.
    missed = routes(network(services, tariffs, [node("BBBBB", handling=1, cutoff=2)]))
    assert missed == [(("IN", "OUT"), 19.0 + 24, 200.0, 1)]


def test_through_transit_skips_the_second_declaration() -> None:
    services = [
        service("SEA", "AAAAA", "BBBBB", 5, mode="sea"),
        service("RAIL", "BBBBB", "DDDDD", 5, "20:00", mode="rail"),
    ]
    tariffs = {"SEA": 100, "RAIL": 100}
    declared = network(services, tariffs, [node("BBBBB", customs=8)])
    through = network(
        services, tariffs, [node("BBBBB", customs=8, through=frozenset({("sea", "rail")}))]
    )
    assert routes(declared)[0][1] == 25.0 + 24  # 13:00 + 8 h customs misses 20:00
    timetable = Timetable.weekly(through, MONDAY, 14)
    (itinerary,) = pareto(through, timetable, Request("AAAAA", "DDDDD", 0, 1440, False))
    assert itinerary.ready == 25 * 60
    assert [leg.customs for leg in itinerary.legs] == [
        "declared",
        "through transit (declared once)",
    ]
    assert itinerary.customs_saved_hours == 8


def test_storage_beyond_free_time_is_charged_and_cheaper_later_starts_win() -> None:
    services = [
        service("FEEDER", "AAAAA", "BBBBB", 5),
        service("WEEKLY", "BBBBB", "DDDDD", 5, "08:00", days=(4,)),  # Fridays only
    ]
    net = network(
        services, {"FEEDER": 100, "WEEKLY": 100}, [node("BBBBB", storage=10, free_days=1)]
    )
    ((names, ready, cost, _transfers),) = routes(net, window_days=4)
    # The box leaves the door on Thursday, so it waits less than a day at B: no storage.
    assert names == ("FEEDER", "WEEKLY") and cost == 200.0 and ready == 4 * 24 + 13


def test_road_legs_reach_places_without_services() -> None:
    net = network(
        [service("MAIN", "AAAAA", "BBBBB", 5)],
        {"MAIN": 100},
        roads=(RoadLink("BBBBB", "DDDDD", 50, 2, SOURCE),),
    )
    assert routes(net) == [(("MAIN", "road:DDDDD"), 15.0, 150.0, 1)]


def test_a_truck_from_the_door_leaves_just_in_time() -> None:
    net = network(
        [service("MAIN", "BBBBB", "DDDDD", 5, depart="20:00")],
        {"MAIN": 100},
        [node("BBBBB", handling=1, cutoff=2, storage=50)],
        roads=(RoadLink("AAAAA", "BBBBB", 50, 2, SOURCE),),
    )
    timetable = Timetable.weekly(net, MONDAY, 14)
    (itinerary,) = pareto(net, timetable, Request("AAAAA", "DDDDD", 0, 1440, False))
    truck, train = itinerary.legs
    assert (truck.departs, truck.arrives, train.departs) == (15 * 60, 17 * 60, 20 * 60)
    assert [line.kind for line in itinerary.lines if line.kind == "storage"] == []
