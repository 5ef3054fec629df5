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

from dataclasses import dataclass
from datetime import datetime, timedelta

from hubport.domain.container import Container
from hubport.domain.places import Spot
from hubport.domain.visits import TruckVisit
from hubport.twin.boxes import plate
from hubport.twin.traffic_plan import DEMO_PLAN, TrafficPlan
from hubport.twin.traffic_river import (
    BARGE_WINDOW_H,
    BargeCall,
    RiverBox,
    barge,
    by_barge,
)
from hubport.twin.traffic_trains import (
    GATE_OPEN_H,
    WAGONS,
    InboundTrain,
    OutboundTrain,
    day_start,
    inbound_day,
    inbound_id,
    outbound_id,
    outbound_plans,
)

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
        for train in outbound_plans(seed, later, first, plan):
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
        for fate in inbound_day(seed, earlier, first, plan).collections:
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
        for made in outbound_plans(seed, day, first, plan)
    )
    return DayTraffic(
        day=day,
        start=start,
        inbound=inbound_day(seed, day, first, plan).trains,
        outbound=outbound,
        trucks=tuple(trucks),
        barge=barge(start, brought, taken),
    )


__all__ = [
    "WAGONS",
    "DayTraffic",
    "InboundTrain",
    "OutboundTrain",
    "TruckCall",
    "day_start",
    "generate_day",
    "inbound_id",
    "outbound_id",
]
