"""Routing speed: Pareto quotes on the corridor network and on a synthetic million connections.

    python benchmarks/routing.py [--synthetic-connections 1000000] [--queries 20] [--seed 1]

For each network, the same queries run through
  * hubport's Pareto router (arrival, cost, transfers; all departures of a 7-day window), and
  * a plain baseline: networkx Dijkstra on the time-expanded graph (earliest arrival only,
    one criterion, the same minimum transfer times, no through transit).
Printed: milliseconds per query (mean, max) for both, Pareto set sizes, and a check that
the router's fastest arrival is never later than the baseline's earliest arrival.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from bisect import bisect_left
from datetime import datetime

import networkx as nx
from common import Report, progress

from hubport.adapters.corridor_files import load_network
from hubport.corridor.network import Network, Node, Place, Provenance, Service, Tariff
from hubport.corridor.router import Request, pareto
from hubport.corridor.timetable import Timetable, Trip

START = datetime(2026, 12, 1)
WINDOW = 7 * 1440
SOURCE = Provenance("synthetic", "2026-11-29", "all")


def time_expanded(network: Network, timetable: Timetable, trips: list[Trip]) -> nx.DiGraph:
    """Departure and arrival events; wait arcs along each place's departures."""
    graph = nx.DiGraph()
    departures: dict[str, list[tuple[int, int]]] = {}
    for index, trip in enumerate(trips):
        graph.add_edge(("d", index), ("a", index), weight=trip.arrives - trip.departs)
        departures.setdefault(trip.service.origin, []).append((trip.departs, index))
    for _place, events in departures.items():
        events.sort()
        for (t1, i1), (t2, i2) in itertools.pairwise(events):
            graph.add_edge(("d", i1), ("d", i2), weight=t2 - t1)
    times = {place: [t for t, _ in events] for place, events in departures.items()}
    graph.graph["departures"], graph.graph["times"] = departures, times

    for index, trip in enumerate(trips):
        node = network.nodes.get(trip.service.destination)
        wait = (
            0
            if node is None
            else round(60 * (node.handling_hours + node.cutoff_hours + node.customs_hours))
        )
        events = departures.get(trip.service.destination)
        if not events:
            continue
        position = bisect_left(times[trip.service.destination], trip.arrives + wait)
        if position < len(events):
            t, target = events[position]
            graph.add_edge(("a", index), ("d", target), weight=t - trip.arrives)
    return graph


def baseline_arrival(
    graph: nx.DiGraph, network: Network, trips: list[Trip], origin: str, destination: str
) -> float:
    """Earliest arrival at ``destination``: the box is ready at the origin at minute 0 and
    waits the origin's handling, cut-off and customs time, as in the router."""
    events = graph.graph["departures"].get(origin)
    if not events:
        return float("inf")
    node = network.nodes.get(origin)
    wait = (
        0 if node is None else 60 * (node.handling_hours + node.cutoff_hours + node.customs_hours)
    )
    position = bisect_left(graph.graph["times"][origin], wait)
    if position == len(events):
        return float("inf")
    first_time, first = events[position]
    lengths = nx.single_source_dijkstra_path_length(graph, ("d", first))
    best = float("inf")
    for event, length in lengths.items():
        if event[0] == "a" and trips[event[1]].service.destination == destination:
            best = min(best, first_time + length)
    return best


def synthetic(connections: int, seed: int) -> tuple[Network, Timetable]:
    """Places on a plane, each linked to its nearest neighbours by services every few hours."""
    rng = random.Random(seed)
    count = 1000
    coordinates = [(rng.uniform(0, 40), rng.uniform(80, 120)) for _ in range(count)]
    places = {
        f"S{i:04d}": Place(f"S{i:04d}", f"stop {i}", "XX", "synthetic", lat, lon, SOURCE)
        for i, (lat, lon) in enumerate(coordinates)
    }
    codes = list(places)
    services: dict[str, Service] = {}
    for i, code in enumerate(codes):
        here = places[code]
        nearest = sorted(codes, key=lambda other: here.km_to(places[other]))[1:4]
        for j, other in enumerate(nearest):
            km = here.km_to(places[other])
            mode = rng.choice(["rail", "rail", "river", "road"])
            sid = f"L{i:04d}-{j}"
            services[sid] = Service(
                sid,
                sid,
                mode,
                code,
                other,
                tuple(range(7)),
                0,
                max(1.0, km / rng.uniform(30, 60)),
                km,
                None,
                SOURCE,
            )
    per_day = connections / 60 / len(services)
    trips = []
    for service in services.values():
        for day in range(60):
            runs = int(per_day) + (rng.random() < per_day - int(per_day))
            for _ in range(runs):
                departs = day * 1440 + rng.randrange(1440)
                trips.append(Trip(service, departs, departs + round(60 * service.transit_hours)))
    tariffs = {
        sid: Tariff(sid, 50 + s.distance_km or 0, 80 + 1.5 * (s.distance_km or 0), "USD", SOURCE)
        for sid, s in services.items()
    }
    nodes = {
        code: Node(
            code,
            rng.choice([1, 2, 4]),
            rng.choice([0, 2, 6]),
            0,
            frozenset(),
            3,
            5,
            rng.choice([20, 40, 60]),
            0,
            0,
            SOURCE,
        )
        for code in codes
    }
    network = Network(
        places,
        services,
        nodes,
        tariffs,
        (),
        {
            "trucking_per_km_teu": "1",
            "trucking_per_km_feu": "1.5",
            "trucking_minimum": "50",
            "road_detour": "1.3",
            "sea_detour": "1.2",
            "currency": "USD",
        },
        {"rail": 22, "river": 32, "sea": 12, "road": 75},
    )
    return network, Timetable(START, trips)


def reachable_pairs(network: Network, queries: int, seed: int, hops: int) -> list[tuple[str, str]]:
    """Origin–destination pairs ``hops`` services apart (a corridor-length trip)."""
    rng = random.Random(seed)
    onward: dict[str, list[str]] = {}
    for service in network.services.values():
        onward.setdefault(service.origin, []).append(service.destination)
    codes = sorted(network.places)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < queries:
        origin = rng.choice(codes)
        frontier, seen = {origin}, {origin}
        for _ in range(hops):
            frontier = {n for place in frontier for n in onward.get(place, []) if n not in seen}
            seen |= frontier
        if frontier:
            pairs.append((origin, rng.choice(sorted(frontier))))
    return pairs


def measure(
    name: str,
    network: Network,
    timetable: Timetable,
    pairs: list[tuple[str, str]],
    report: Report,
    max_legs: int,
) -> None:
    trips = (
        [
            trip
            for service in network.services.values()
            for trip in timetable.between(service, 0, 10**9)
        ]
        if network.services
        else []
    )
    with progress() as bar:
        task = bar.add_task(f"{name}: time-expanded graph", total=1)
        graph = time_expanded(network, timetable, trips)
        bar.advance(task)
    ours, theirs, sizes, agree = [], [], [], 0
    with progress() as bar:
        task = bar.add_task(f"{name}: queries", total=len(pairs))
        for origin, destination in pairs:
            started = time.perf_counter()
            found = pareto(
                network, timetable, Request(origin, destination, 0, WINDOW, True, max_legs)
            )
            ours.append(time.perf_counter() - started)
            sizes.append(len(found))
            started = time.perf_counter()
            earliest = baseline_arrival(graph, network, trips, origin, destination)
            theirs.append(time.perf_counter() - started)
            fastest = min((it.legs[-1].arrives for it in found), default=float("inf"))
            agree += fastest <= earliest or earliest == float("inf")
            bar.advance(task)
    report.add_row(
        name,
        f"{timetable.connections:,}",
        str(len(pairs)),
        f"{1000 * statistics.mean(ours):.1f}",
        f"{1000 * max(ours):.1f}",
        f"{statistics.mean(sizes):.1f}",
        f"{1000 * statistics.mean(theirs):.1f}",
        f"{statistics.mean(theirs) / statistics.mean(ours):.1f}x",
        f"{agree}/{len(pairs)}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic-connections", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", action="store_true")
    arguments = parser.parse_args()
    report = Report(
        "Pareto quote time per query (ms), 7-day departure window, against networkx Dijkstra",
        [
            "network",
            "connections",
            "queries",
            "ours mean",
            "ours max",
            "Pareto size",
            "Dijkstra mean",
            "Dijkstra/ours",
            "fastest ≤ Dijkstra",
        ],
    )
    corridor = load_network()
    timetable = Timetable.weekly(corridor, START, 60)
    pairs = [(o, d) for o in ("CNJGJ", "CNCKG") for d in corridor.places if d not in (o,)]
    pairs += [("THLCH", "CNJGJ"), ("MYKUL", "CNJGJ"), ("THLCH", "CNWUH")]
    measure("corridor (60 days)", corridor, timetable, pairs, report, 6)
    network, synthetic_timetable = synthetic(arguments.synthetic_connections, arguments.seed)
    pairs = reachable_pairs(network, arguments.queries, arguments.seed, hops=6)
    measure("synthetic", network, synthetic_timetable, pairs, report, 12)
    report.print(arguments.markdown)


if __name__ == "__main__":
    main()
