"""The trains of the generated traffic: each day's inbound corridor trains with their
boxes' fates (import, transfer, river), and its outbound trains filled with transfers and
export boxes (``traffic.py`` puts the day together)."""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from hubport.domain.container import (
    Container,
    CustomsStatus,
    LegMode,
    NextLeg,
)
from hubport.domain.places import Spot, WagonSlot
from hubport.domain.visits import TrainVisit, Wagon
from hubport.twin.boxes import Numbers, new_box
from hubport.twin.traffic_plan import DEMO_ARRIVALS_H, DEMO_DEPARTURES_H, DEMO_PLAN, TrafficPlan
from hubport.twin.traffic_river import barge_id

#: The demo's figures (``traffic_plan.DEMO_PLAN`` holds them; a scenario has its own).
WAGONS = DEMO_PLAN.wagons
#: Outbound departures, hours after the day's start (06:00): 10:30 ... 22:30.
OUTBOUND_DEPARTURES_H = DEMO_DEPARTURES_H
#: An outbound train stands on its loading track this long before it leaves (the cut-off).
ON_TRACK_BEFORE_H = 3.0
#: Inbound arrivals, hours after the day's start: 06:30, 11:00, 15:00, 19:00.
INBOUND_ARRIVALS_H = DEMO_ARRIVALS_H
#: The services of the day's trains (the site's ``[[train_services]]``; their timetables
#: hold these times) and their destinations; a busier day takes them in turn.
OUTBOUND_SERVICES = (
    ("RS-QZH", "CNQZH"),
    ("CL-VTE", "LAVTE"),
    ("RS-QZH", "CNQZH"),
    ("CL-BKK", "THBKK"),
    ("RS-QZH", "CNQZH"),
)
INBOUND_SERVICES = (
    ("CL-VTE-N", "LAVTE"),
    ("RS-QZH-N", "CNQZH"),
    ("HAN-CKG", "VNHAN"),
    ("RS-QZH-N", "CNQZH"),
)
#: An inbound train leaves its track at most this long after it arrives (assumed).
DISCHARGE_WINDOW_H = 3.0
#: Gate hours, as hours after the day's start: 06:30 to 22:30.
GATE_OPEN_H, GATE_CLOSE_H = 0.5, 16.5


@dataclass(frozen=True)
class InboundTrain:
    """A corridor train that arrives to be discharged."""

    visit: TrainVisit
    arrival_s: float
    consist: tuple[tuple[Container, WagonSlot], ...]

    @property
    def teu(self) -> float:
        return sum(container.teu for container, _ in self.consist)


@dataclass(frozen=True)
class OutboundTrain:
    """A corridor train that stands on a track from ``arrival_s`` and leaves at
    ``departure_s`` (or when its last box is on), with ``boxes`` loaded."""

    visit: TrainVisit
    arrival_s: float
    departure_s: float
    boxes: tuple[str, ...]
    teu: float


def day_start(day: int, first: datetime) -> datetime:
    """When day ``day`` (1-based) starts, day 1 starting at ``first``."""
    return first + timedelta(days=day - 1)


def outbound_id(day: int, index: int) -> str:
    return f"X{day:03d}O{index + 1}"


def inbound_id(day: int, index: int) -> str:
    return f"X{day:03d}I{index + 1}"


# -- inbound trains and the fate of their boxes ------------------------------------------


@dataclass(frozen=True)
class _Collection:
    number: str
    at: datetime
    forty: bool
    river: bool = False


@dataclass(frozen=True)
class _Transfer:
    number: str
    forty: bool
    train: str


@dataclass(frozen=True)
class InboundDay:
    trains: tuple[InboundTrain, ...]
    collections: tuple[_Collection, ...]
    transfers: tuple[_Transfer, ...]


@functools.lru_cache(maxsize=64)
def inbound_day(seed: int, day: int, first: datetime, plan: TrafficPlan) -> InboundDay:
    rng = random.Random(f"hubport-inbound-{seed}-{day}")
    start = day_start(day, first)
    numbers = Numbers(rng, day, 0)
    trains: list[InboundTrain] = []
    collections: list[_Collection] = []
    transfers: list[_Transfer] = []
    wagons = plan.wagons
    for index, arrival_h in enumerate(plan.arrivals_h(day)):
        train_id = inbound_id(day, index)
        service, origin = INBOUND_SERVICES[index % len(INBOUND_SERVICES)]
        arrival = start + timedelta(hours=arrival_h)
        visit = _train(
            train_id,
            service,
            "inbound",
            origin,
            "CNJGJ",
            arrival,
            (arrival, arrival + timedelta(hours=DISCHARGE_WINDOW_H)),
            wagons,
        )
        consist: list[tuple[Container, WagonSlot]] = []
        k = round(wagons * plan.inbound_forty_wagons)
        forty_wagons = set(rng.sample(range(1, wagons + 1), k=k))
        for wagon in range(1, wagons + 1):
            spots: tuple[Spot, ...] = ("AB",) if wagon in forty_wagons else ("A", "B")
            for spot in spots:
                number = numbers.next()
                forty = spot == "AB"
                roll = rng.random()
                if roll < plan.import_share:
                    at = _into_gate_hours(
                        arrival + timedelta(hours=_import_dwell_h(rng, plan)), rng
                    )
                    leg = NextLeg(LegMode.ROAD, f"TC{number.value}", at, "CNCKG")
                    collections.append(_Collection(number.value, at, forty))
                elif roll < plan.import_share + plan.transfer_share and (
                    later := _transfer_day(rng, day, plan)
                ):
                    departures = plan.departures_h(later)
                    slot_index = rng.randrange(len(departures))
                    target = outbound_id(later, slot_index)
                    departure = day_start(later, first) + timedelta(hours=departures[slot_index])
                    destination = OUTBOUND_SERVICES[slot_index % len(OUTBOUND_SERVICES)][1]
                    leg = NextLeg(LegMode.RAIL, target, departure, destination)
                    transfers.append(_Transfer(number.value, forty, target))
                else:
                    at = _into_gate_hours(
                        arrival + timedelta(hours=rng.uniform(*plan.river_dwell_h)), rng
                    )
                    barge = barge_id(start + timedelta(days=(at - start).days))
                    leg = NextLeg(LegMode.RIVER, barge, at, "CNSHA")
                    collections.append(_Collection(number.value, at, forty, river=True))
                box = new_box(rng, number, forty=forty, leg=leg, customs=CustomsStatus.DECLARED)
                consist.append((box, WagonSlot(train_id, wagon, spot)))
        trains.append(InboundTrain(visit, arrival_h * 3600, tuple(consist)))
    return InboundDay(tuple(trains), tuple(collections), tuple(transfers))


def _transfer_day(rng: random.Random, day: int, plan: TrafficPlan) -> int | None:
    """The day of the outbound train a transfer box goes on (the next day, or the one
    after); None when that day has no train (the box then goes on by river)."""
    later = day + rng.choice((1, 1, 2))
    return later if plan.outbound_on(later) else None


def _import_dwell_h(rng: random.Random, plan: TrafficPlan) -> float:
    hours = rng.lognormvariate(math.log(plan.import_dwell_median_h), plan.import_dwell_sigma)
    return min(max(hours, plan.import_dwell_min_h), plan.import_dwell_max_h)


def _into_gate_hours(moment: datetime, rng: random.Random) -> datetime:
    """The moment, or the next gate opening (plus up to 3 h) when the gate is shut."""
    day_of = moment.replace(hour=6, minute=0, second=0, microsecond=0)
    if moment < day_of:
        day_of -= timedelta(days=1)
    hours = (moment - day_of).total_seconds() / 3600
    if GATE_OPEN_H <= hours <= GATE_CLOSE_H:
        return moment
    if hours > GATE_CLOSE_H:
        day_of += timedelta(days=1)
    return day_of + timedelta(hours=GATE_OPEN_H + rng.uniform(0.0, 3.0))


# -- outbound trains ---------------------------------------------------------------------


@dataclass(frozen=True)
class OutboundPlan:
    visit: TrainVisit
    arrival_s: float
    departure_s: float
    transfers: tuple[str, ...]
    exports: tuple[tuple[Container, datetime], ...]
    teu: float


@functools.lru_cache(maxsize=64)
def outbound_plans(
    seed: int, day: int, first: datetime, plan: TrafficPlan
) -> tuple[OutboundPlan, ...]:
    rng = random.Random(f"hubport-outbound-{seed}-{day}")
    start = day_start(day, first)
    numbers = Numbers(rng, day, 1)
    incoming = [
        transfer
        for earlier in (day - 2, day - 1)
        if earlier >= 1
        for transfer in inbound_day(seed, earlier, first, plan).transfers
    ]
    plans = []
    wagons = plan.wagons
    for index, departure_h in enumerate(plan.departures_h(day)):
        train_id = outbound_id(day, index)
        service, destination = OUTBOUND_SERVICES[index % len(OUTBOUND_SERVICES)]
        departure = start + timedelta(hours=departure_h)
        visit = _train(
            train_id,
            service,
            "outbound",
            "CNJGJ",
            destination,
            departure,
            (departure - timedelta(hours=ON_TRACK_BEFORE_H), departure),
            wagons,
        )
        transfers = [transfer for transfer in incoming if transfer.train == train_id]
        fortys = sum(1 for transfer in transfers if transfer.forty)
        twenties = len(transfers) - fortys
        exports: list[tuple[Container, datetime]] = []
        leg = NextLeg(LegMode.RAIL, train_id, departure, destination)
        while True:
            used = fortys + (twenties + 1) // 2
            if used >= wagons and twenties % 2 == 0:
                break
            forty = used < wagons and twenties % 2 == 0 and rng.random() < plan.export_forty
            number = numbers.next()
            box = new_box(rng, number, forty=forty, leg=leg, customs=CustomsStatus.RELEASED)
            exports.append((box, _delivery(rng, departure, plan)))
            fortys += forty
            twenties += not forty
        teu = 2.0 * fortys + twenties
        plans.append(
            OutboundPlan(
                visit,
                (departure_h - ON_TRACK_BEFORE_H) * 3600,
                departure_h * 3600,
                tuple(transfer.number for transfer in transfers),
                tuple(exports),
                teu,
            )
        )
    return tuple(plans)


def _delivery(rng: random.Random, departure: datetime, plan: TrafficPlan) -> datetime:
    """When an export box reaches the gate: before the cut-off, in gate hours."""
    earliest, latest = plan.export_lead_h
    for _attempt in range(50):
        at = departure - timedelta(hours=rng.uniform(latest, earliest))
        if _into_gate_hours(at, rng) == at:
            return at
    return departure - timedelta(hours=latest)


# -- trains and boxes --------------------------------------------------------------------


def _train(
    train_id: str,
    service: str,
    direction: Literal["inbound", "outbound"],
    origin: str,
    destination: str,
    scheduled: datetime,
    on_track: tuple[datetime, datetime],
    count: int = WAGONS,
) -> TrainVisit:
    wagons = tuple(Wagon(number) for number in range(1, count + 1))
    return TrainVisit(
        train_id,
        service,
        direction,
        wagons,
        origin=origin,
        destination=destination,
        scheduled=scheduled,
        arrives=on_track[0],
        departs=on_track[1],
    )


__all__ = [
    "GATE_CLOSE_H",
    "GATE_OPEN_H",
    "InboundDay",
    "InboundTrain",
    "OutboundPlan",
    "OutboundTrain",
    "day_start",
    "inbound_day",
    "inbound_id",
    "outbound_id",
    "outbound_plans",
]
