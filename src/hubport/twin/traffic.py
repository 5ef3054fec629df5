"""Seeded traffic of the hub at its 2024 volume, day after day.

The reference site sent 1,804 corridor trains and about 90,000 TEU in 2024: about 5 trains
and 250 TEU a day. A simulated day (06:00 to 06:00 hub time) has:

- **5 outbound corridor trains** of 25 wagons, each loaded full (50 TEU): about 20 % of
  their boxes are rail–rail transfers from the inbound trains of the two days before, the
  rest export boxes that trucks deliver between 30 h and 3.5 h before departure (the
  cut-off is the train's arrival on its loading track, 3 h before it leaves);
- **4 inbound corridor trains** of 25 wagons (50 TEU each, 40 % of wagons with one 40').
  Their boxes are, at random: imports (62 %), collected by truck after a dwell drawn from
  a log-normal distribution (median 36 h, sigma 0.6, between 3 h and 7 days), moved into
  the gate hours; transfers to an outbound train of the next two days (20 %); and river
  boxes (18 %), taken by shuttle truck to the Luohuang river port (about 10 km) 12–60 h
  after arrival, for the day's barge;
- **a barge** at Luohuang from 06:30 to 23:30: it brings about 15 % of the export boxes
  (each discharged onto a shuttle at the time a truck would have delivered it) and takes
  the river boxes due that day;
- the trucks that deliver and collect the other boxes, between 06:30 and 22:30.

Every box has a due time for its next leg, so stacking can keep early leavers on top. The
traffic of day N is a pure function of the seed and N: boxes announced on day N that
leave on day N + k appear in day N + k's traffic as collections or loads.
"""

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
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon
from hubport.twin.boxes import Numbers, new_box, plate
from hubport.twin.traffic_plan import (
    DEMO_ARRIVALS_H,
    DEMO_DEPARTURES_H,
    DEMO_PLAN,
    TrafficPlan,
)
from hubport.twin.traffic_river import (
    BARGE_WINDOW_H,
    BargeCall,
    RiverBox,
    barge,
    barge_id,
    by_barge,
)

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
#: The barge's hold: cells for 20' and for 40' boxes it brings (``traffic_river``); an
#: export box beyond them comes by truck.
BARGE_CELLS = {False: 64, True: 48}
_LOOKBACK_DAYS = 8


@dataclass(frozen=True)
class TruckCall:
    """A truck's visit: when it reaches the in-gate and what it brings or collects."""

    truck: TruckVisit
    arrival_s: float
    delivers: Container | None = None
    collects: str | None = None
    spot: Spot = "A"
    """The chassis spot of the box it brings or collects (AB for a 40')."""


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


@dataclass(frozen=True)
class DayTraffic:
    """Everything that happens to the hub in one simulated day."""

    day: int
    start: datetime
    inbound: tuple[InboundTrain, ...]
    outbound: tuple[OutboundTrain, ...]
    trucks: tuple[TruckCall, ...]
    barge: BargeCall | None = None

    @property
    def inbound_teu(self) -> float:
        return sum(train.teu for train in self.inbound)

    @property
    def outbound_teu(self) -> float:
        return sum(train.teu for train in self.outbound)

    @property
    def arriving(self) -> frozenset[str]:
        """The boxes that enter the hub today (by train or truck)."""
        numbers = {c.number.value for train in self.inbound for c, _ in train.consist}
        numbers |= {call.delivers.number.value for call in self.trucks if call.delivers}
        if self.barge is not None:
            numbers |= {box.number for box, _cell in self.barge.brings}
        return frozenset(numbers)


def day_start(day: int, first: datetime) -> datetime:
    """When day ``day`` (1-based) starts, day 1 starting at ``first``."""
    return first + timedelta(days=day - 1)


def outbound_id(day: int, index: int) -> str:
    return f"X{day:03d}O{index + 1}"


def inbound_id(day: int, index: int) -> str:
    return f"X{day:03d}I{index + 1}"


def generate_day(day: int, seed: int, first: datetime, plan: TrafficPlan = DEMO_PLAN) -> DayTraffic:
    """The traffic of day ``day``: reproducible from ``seed``, ``day``, day 1's start and
    the plan."""
    start = day_start(day, first)
    end = start + timedelta(days=1)
    trucks: list[TruckCall] = []
    brought: list[RiverBox] = []
    taken: list[RiverBox] = []
    by_river = {False: 0, True: 0}
    for later in range(day, day + 3):
        for train in _outbound(seed, later, first, plan):
            for index, (box, delivery) in enumerate(train.exports):
                at = delivery
                if day == 1 and at < start:
                    # the first day has no day before: its early deliveries come at opening
                    at = start + timedelta(hours=GATE_OPEN_H, minutes=index % 30)
                forty = box.size_type.is_forty
                barged = (
                    start <= at < end
                    and by_barge(box.number.value, plan.barge_export_share)
                    and by_river[forty] < BARGE_CELLS[forty]
                )
                if barged:
                    by_river[forty] += 1
                    due_s = max((at - start).total_seconds(), BARGE_WINDOW_H[0] * 3600)
                    brought.append(RiverBox(box.number.value, due_s, forty, box))
                elif start <= at < end:
                    visit = f"TV{box.number.value}"
                    truck = TruckVisit(visit, plate(box.number.value), visit)
                    spot: Spot = "AB" if box.size_type.is_forty else "A"
                    trucks.append(
                        TruckCall(truck, (at - start).total_seconds(), delivers=box, spot=spot)
                    )
    for earlier in range(max(1, day - _LOOKBACK_DAYS), day + 1):
        for fate in _inbound(seed, earlier, first, plan).collections:
            if start <= fate.at < end and fate.river:
                taken.append(RiverBox(fate.number, (fate.at - start).total_seconds(), fate.forty))
            elif start <= fate.at < end:
                visit = f"TC{fate.number}"
                truck = TruckVisit(visit, plate(fate.number), visit)
                arrival_s = (fate.at - start).total_seconds()
                spot = "AB" if fate.forty else "A"
                trucks.append(TruckCall(truck, arrival_s, collects=fate.number, spot=spot))
    trucks.sort(key=lambda call: (call.arrival_s, call.truck.id))
    outbound = tuple(
        OutboundTrain(
            made.visit,
            made.arrival_s,
            made.departure_s,
            made.transfers + tuple(box.number.value for box, _ in made.exports),
            made.teu,
        )
        for made in _outbound(seed, day, first, plan)
    )
    return DayTraffic(
        day=day,
        start=start,
        inbound=_inbound(seed, day, first, plan).trains,
        outbound=outbound,
        trucks=tuple(trucks),
        barge=barge(start, brought, taken),
    )


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
class _InboundDay:
    trains: tuple[InboundTrain, ...]
    collections: tuple[_Collection, ...]
    transfers: tuple[_Transfer, ...]


@functools.lru_cache(maxsize=64)
def _inbound(seed: int, day: int, first: datetime, plan: TrafficPlan) -> _InboundDay:
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
    return _InboundDay(tuple(trains), tuple(collections), tuple(transfers))


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
class _OutboundPlan:
    visit: TrainVisit
    arrival_s: float
    departure_s: float
    transfers: tuple[str, ...]
    exports: tuple[tuple[Container, datetime], ...]
    teu: float


@functools.lru_cache(maxsize=64)
def _outbound(seed: int, day: int, first: datetime, plan: TrafficPlan) -> tuple[_OutboundPlan, ...]:
    rng = random.Random(f"hubport-outbound-{seed}-{day}")
    start = day_start(day, first)
    numbers = Numbers(rng, day, 1)
    incoming = [
        transfer
        for earlier in (day - 2, day - 1)
        if earlier >= 1
        for transfer in _inbound(seed, earlier, first, plan).transfers
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
            _OutboundPlan(
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
