"""Pareto routing: every itinerary not beaten on arrival, cost and transfers at once.

A multi-criteria search in rounds (the McRAPTOR idea; a round adds one leg). Each service
here runs direct between two places, so a round boards, from every new label, the first
departure of each service it can still make; at the origin every departure in the window
is tried (waiting at the shipper's door costs nothing). Road links are usable at any time.

Dominance at a place is exact under storage charges: label A beats label B at the same
place and arriving mode when A is no later, has no more transfers, and is cheaper even
after paying storage for the extra time it may wait (``storage rate × (B.arrival -
A.arrival)``): every continuation of B is open to A at no greater cost. Equal labels
both stay, so ties show. A label that a finished itinerary already beats is dropped.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

from hubport.corridor.network import Network, Node, Provenance, RoadLink, Service
from hubport.corridor.timetable import Timetable, Trip
from hubport.domain.errors import HubportError

#: Places the data does not describe: nothing to wait for, nothing to pay.
_NO_SOURCE = Provenance("no node data for this place: no times or charges", "")


class CostLine(NamedTuple):
    """One line of the landing bill."""

    kind: str  # freight, handling, port, customs, storage, trucking
    place: str
    text: str
    amount: float


@dataclass(frozen=True)
class Leg:
    """One carrier movement of an itinerary."""

    mode: str
    origin: str
    destination: str
    departs: int  # minutes since the timetable's epoch
    arrives: int
    service: Service | None  # None for a road leg
    distance_km: float
    customs: str  # at the leg's origin: declared, through transit, none


@dataclass(frozen=True)
class Label:
    place: str
    mode: str  # how the box arrived at ``place``; "" at the origin door
    arrival: int
    cost: float
    transfers: int
    legs: tuple[Leg, ...]
    lines: tuple[CostLine, ...]
    declared: bool  # a customs declaration covers the box right now


@dataclass(frozen=True)
class Itinerary:
    """A door-to-door option: legs, cost lines, and when the box is ready at the end."""

    legs: tuple[Leg, ...]
    lines: tuple[CostLine, ...]
    ready: int  # at the destination, after handling and import clearance
    cost: float
    transfers: int
    customs_saved_hours: float

    @property
    def key(self) -> tuple[int, float, int]:
        return (self.ready, round(self.cost, 2), self.transfers)


@dataclass(frozen=True)
class Request:
    origin: str
    destination: str
    window_start: int
    window_end: int
    feu: bool
    max_legs: int = 6
    #: The search's budget: labels it may create before it gives up (a bound on its time).
    max_labels: int = 200_000


class SearchTooLarge(HubportError):
    """A search that would pass its budget; a narrower window or fewer legs would do."""


def pareto(network: Network, timetable: Timetable, request: Request) -> list[Itinerary]:
    """The Pareto set of itineraries for ``request``, sorted by arrival then cost."""
    search = _Search(network, timetable, request)
    return search.run()


class _Search:
    def __init__(self, network: Network, timetable: Timetable, request: Request):
        self.network, self.timetable, self.request = network, timetable, request
        self.units = 2 if request.feu else 1
        self.bags: dict[tuple[str, str], list[Label]] = {}
        self.results: list[Itinerary] = []
        self.created = 0

    def run(self) -> list[Itinerary]:
        request = self.request
        start = Label(request.origin, "", request.window_start, 0.0, -1, (), (), False)
        frontier = [start]
        self._arrive(start)
        for _round in range(request.max_legs):
            created: list[Label] = []
            for label in frontier:
                if self._beaten_by_result(label):
                    continue
                for service in self.timetable.services_from(label.place):
                    for trip in self._trips(label, service):
                        created += self._board(label, trip)
                for neighbour, link in self.network.road_links(label.place):
                    created += self._drive(label, neighbour, link)
            self.created += len(created)
            if self.created > request.max_labels:
                raise SearchTooLarge(
                    f"the search passed its budget of {request.max_labels} labels; "
                    "ask for a narrower window"
                )
            frontier = [
                label for label in created if label in self.bags.get((label.place, label.mode), [])
            ]
            if not frontier:
                break
        self.results.sort(key=lambda itinerary: (itinerary.key, _route(itinerary)))
        return self.results

    # -- moves --------------------------------------------------------------------------

    def _trips(self, label: Label, service: Service) -> list[Trip]:
        node = self._node(label.place)
        if label.transfers < 0:
            earliest = max(self.request.window_start, label.arrival) + 60 * (
                node.handling_hours + node.cutoff_hours + node.customs_hours
            )
            return self.timetable.between(
                service, earliest, self.request.window_end + 60 * node.cutoff_hours
            )
        through = (label.mode, service.mode) in node.through_transit and label.declared
        wait = node.handling_hours + node.cutoff_hours + (0 if through else node.customs_hours)
        trip = self.timetable.first_after(service, label.arrival + 60 * wait)
        return [trip] if trip is not None else []

    def _board(self, label: Label, trip: Trip) -> list[Label]:
        service = trip.service
        node = self._node(label.place)
        label = self._just_in_time(label, node, trip)
        at_door = label.transfers < 0
        through = (
            not at_door and (label.mode, service.mode) in node.through_transit and label.declared
        )
        lines = list(self._node_lines(label, node, trip.departs, declare=not through))
        tariff = self.network.tariffs[service.id]
        freight = tariff.per_feu if self.units == 2 else tariff.per_teu
        lines.append(CostLine("freight", service.id, f"{service.name}", freight))
        leg = Leg(
            service.mode,
            service.origin,
            service.destination,
            trip.departs,
            trip.arrives,
            service,
            self._distance(service.origin, service.destination, service.distance_km, service.mode),
            "through transit (declared once)" if through else "declared",
        )
        return self._offer(label, service.destination, service.mode, trip.arrives, leg, lines)

    def _just_in_time(self, label: Label, node: Node, trip: Trip) -> Label:
        """A truck from the door leaves as late as still makes ``trip`` (within the window):
        the box waits at the shipper's, not in the terminal."""
        if len(label.legs) != 1 or label.legs[0].service is not None:
            return label
        road = label.legs[0]
        wait = round(60 * (node.handling_hours + node.cutoff_hours + node.customs_hours))
        shift = min(trip.departs - wait - road.arrives, self.request.window_end - road.departs)
        if shift <= 0:
            return label
        moved = dataclasses.replace(
            road, departs=road.departs + shift, arrives=road.arrives + shift
        )
        return dataclasses.replace(label, legs=(moved,), arrival=label.arrival + shift)

    def _drive(self, label: Label, neighbour: str, link: RoadLink) -> list[Label]:
        node = self._node(label.place)
        at_door = label.transfers < 0
        departs = label.arrival if at_door else label.arrival + round(60 * node.handling_hours)
        departs = max(departs, self.request.window_start)
        lines = [] if at_door else list(self._node_lines(label, node, departs, declare=False))
        per_km = self.network.parameter(
            "trucking_per_km_feu" if self.units == 2 else "trucking_per_km_teu"
        )
        charge = max(self.network.parameter("trucking_minimum"), per_km * link.distance_km)
        lines.append(CostLine("trucking", label.place, f"truck to {neighbour}", charge))
        leg = Leg(
            "road",
            label.place,
            neighbour,
            departs,
            departs + round(60 * link.hours),
            None,
            link.distance_km,
            "none",
        )
        return self._offer(label, neighbour, "road", leg.arrives, leg, lines)

    def _charges(self, node: Node, customs: str | None) -> list[CostLine]:
        """Handling and port charges at ``node``, and its customs charge when ``customs``
        names what is declared there."""
        units = self.units
        lines = [
            CostLine("handling", node.place, "terminal handling", node.handling_per_teu * units)
        ]
        if node.port_charge_per_teu:
            lines.append(
                CostLine("port", node.place, "port charges", node.port_charge_per_teu * units)
            )
        if customs is not None and node.customs_charge:
            lines.append(CostLine("customs", node.place, customs, node.customs_charge))
        return lines

    def _node_lines(self, label: Label, node: Node, departs: int, declare: bool) -> list[CostLine]:
        units = self.units
        lines = self._charges(node, "customs declaration" if declare else None)
        if label.transfers >= 0:
            # Waiting beyond the handling, cut-off and customs the box needs anyway.
            process = (
                node.handling_hours + node.cutoff_hours + (node.customs_hours if declare else 0)
            )
            dwell_days = (departs - label.arrival - 60 * process) / 1440
            extra = max(0.0, dwell_days - node.free_storage_days)
            if extra > 0 and node.storage_per_teu_day:
                lines.append(
                    CostLine(
                        "storage",
                        node.place,
                        f"storage {extra:.1f} days beyond free time",
                        extra * node.storage_per_teu_day * units,
                    )
                )
        return lines

    def _offer(
        self, label: Label, place: str, mode: str, arrival: int, leg: Leg, lines: list[CostLine]
    ) -> list[Label]:
        new = Label(
            place,
            mode,
            arrival,
            label.cost + sum(line.amount for line in lines),
            label.transfers + 1,
            (*label.legs, leg),
            (*label.lines, *lines),
            declared=True,
        )
        if any(step.origin == place for step in label.legs) or place == self.request.origin:
            return []  # never come back to a place already left
        if self._beaten_by_result(new) or not self._insert(new):
            return []
        self._arrive(new)
        return [new]

    def _arrive(self, label: Label) -> None:
        """A label at the destination is an itinerary once the box is handled and cleared."""
        if label.place != self.request.destination or label.transfers < 0:
            return
        node = self._node(label.place)
        lines = self._charges(node, "import clearance")
        ready = label.arrival + round(60 * (node.handling_hours + node.customs_hours))
        saved = sum(
            self._node(leg.origin).customs_hours
            for leg in label.legs
            if leg.customs.startswith("through")
        )
        itinerary = Itinerary(
            label.legs,
            (*label.lines, *lines),
            ready,
            label.cost + sum(line.amount for line in lines),
            label.transfers,
            saved,
        )
        if any(_dominates(other.key, itinerary.key) for other in self.results):
            return
        for index, other in enumerate(self.results):
            if other.key == itinerary.key and _route(other) == _route(itinerary):
                # The same services and outcome: keep the later start (less waiting).
                if itinerary.legs[0].departs > other.legs[0].departs:
                    self.results[index] = itinerary
                return
        self.results = [other for other in self.results if not _dominates(itinerary.key, other.key)]
        self.results.append(itinerary)

    # -- bags -----------------------------------------------------------------------------

    def _insert(self, new: Label) -> bool:
        bag = self.bags.setdefault((new.place, new.mode), [])
        rate = self._node(new.place).storage_per_teu_day * self.units / 1440
        for other in bag:
            if _beats(other, new, rate):
                return False
        bag[:] = [other for other in bag if not _beats(new, other, rate)]
        bag.append(new)
        return True

    def _beaten_by_result(self, label: Label) -> bool:
        """Costs and times only grow: a finished itinerary strictly better than the label
        is better than anything the label can still become (an equal one may tie)."""
        bound = (label.arrival, round(label.cost, 2), label.transfers)
        return any(_dominates(result.key, bound) for result in self.results)

    def _node(self, place: str) -> Node:
        node = self.network.nodes.get(place)
        if node is None:
            return Node(place, 0, 0, 0, frozenset(), 0, 0, 0, 0, 0, _NO_SOURCE)
        return node

    def _distance(self, origin: str, destination: str, known: float | None, mode: str) -> float:
        if known is not None:
            return known
        places = self.network.places
        detour = self.network.parameter("sea_detour" if mode == "sea" else "road_detour")
        return places[origin].km_to(places[destination]) * detour


def _beats(a: Label, b: Label, storage_per_minute: float) -> bool:
    """``a`` dominates ``b`` at the same place and arriving mode (see the module doc)."""
    if a.arrival > b.arrival or a.transfers > b.transfers:
        return False
    penalty = storage_per_minute * (b.arrival - a.arrival)
    if a.cost + penalty > b.cost + 1e-9:
        return False
    return (a.arrival, round(a.cost, 6), a.transfers) != (b.arrival, round(b.cost, 6), b.transfers)


def _dominates(a: tuple[int, float, int], b: tuple[int, float, int]) -> bool:
    return a != b and all(x <= y for x, y in zip(a, b, strict=True))


def _route(itinerary: Itinerary) -> tuple[str, ...]:
    return tuple(
        leg.service.id if leg.service else f"road:{leg.destination}" for leg in itinerary.legs
    )
