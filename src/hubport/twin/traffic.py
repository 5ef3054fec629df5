"""Seeded traffic for one day at the hub: an inbound corridor train, trucks, an outbound train."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from stdnum import iso6346

from hubport.domain.container import (
    Container,
    ContainerNumber,
    CustomsStatus,
    LegMode,
    NextLeg,
    SizeType,
)
from hubport.domain.places import Spot, WagonSlot
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon

_OWNERS = ("CSQ", "OOL", "TGH", "TRH", "CBH", "BMO", "SEG", "FCI", "TCL", "MSC", "EGH", "CXD")
_OPERATORS = ("COS", "OOL", "CMA", "MSC", "EMC", "SITC")


@dataclass(frozen=True)
class TruckCall:
    """A truck's visit: when it reaches the in-gate and what it brings or collects."""

    truck: TruckVisit
    arrival_s: float
    delivers: Container | None = None
    collects: str | None = None


@dataclass(frozen=True)
class DayTraffic:
    """Everything that will happen to the hub in one simulated day."""

    day: int
    start: datetime
    inbound: TrainVisit
    inbound_arrival_s: float
    inbound_consist: tuple[tuple[Container, WagonSlot], ...]
    outbound: TrainVisit
    outbound_arrival_s: float
    outbound_departure_s: float
    outbound_boxes: tuple[str, ...]
    trucks: tuple[TruckCall, ...]

    @property
    def inbound_teu(self) -> float:
        return sum(container.teu for container, _ in self.inbound_consist)


def container_number(rng: random.Random) -> ContainerNumber:
    """A random valid ISO 6346 number of a real-looking owner."""
    stem = f"{rng.choice(_OWNERS)}U{rng.randrange(1_000_000):06d}"
    return ContainerNumber(stem + iso6346.calc_check_digit(stem))


def generate_day(day: int, seed: int, start: datetime, wagons: int = 25) -> DayTraffic:
    """The traffic of day ``day`` (1-based): reproducible from ``seed`` and ``day``."""
    rng = random.Random(f"hubport-demo-{seed}-{day}")
    tag = f"D{day:03d}"
    out_id, in_id = f"X{tag}OUT", f"X{tag}IN"
    departure = start + timedelta(hours=14)
    outbound = TrainVisit(
        out_id,
        "Chongqing–Qinzhou rail–sea",
        "outbound",
        tuple(Wagon(number) for number in range(1, wagons + 1)),
        origin="CNJGJ",
        destination="CNQZH",
        scheduled=departure,
    )
    inbound = TrainVisit(
        in_id,
        "Vientiane–Chongqing (China–Laos)",
        "inbound",
        tuple(Wagon(number) for number in range(1, wagons + 1)),
        origin="LAVTE",
        destination="CNJGJ",
        scheduled=start + timedelta(hours=1),
    )
    consist: list[tuple[Container, WagonSlot]] = []
    trucks: list[TruckCall] = []
    outbound_boxes: list[str] = []
    used: set[str] = set()
    forty_wagons = set(rng.sample(range(1, wagons + 1), k=wagons * 2 // 5))
    for wagon in range(1, wagons + 1):
        spots: tuple[Spot, ...] = ("AB",) if wagon in forty_wagons else ("A", "B")
        for spot in spots:
            number = _unique(rng, used)
            roll = rng.random()
            if roll < 0.4:
                visit = f"TV{tag}{len(trucks) + 1:03d}"
                due = start + timedelta(hours=rng.uniform(4.0, 9.0))
                leg = NextLeg(LegMode.ROAD, visit, due, "CNCKG")
                trucks.append(
                    TruckCall(
                        TruckVisit(visit, _plate(rng), visit),
                        (due - start).total_seconds(),
                        collects=number.value,
                    )
                )
            elif roll < 0.7:
                leg = NextLeg(LegMode.RAIL, out_id, departure, "CNQZH")
                outbound_boxes.append(number.value)
            else:
                leg = NextLeg(LegMode.RIVER, f"BARGE{tag}", start + timedelta(days=2), "CNSHA")
            consist.append(
                (
                    _box(rng, number, forty=spot == "AB", leg=leg, customs=CustomsStatus.DECLARED),
                    WagonSlot(in_id, wagon, spot),
                )
            )
    for index in range(rng.randint(14, 18)):
        number = _unique(rng, used)
        visit = f"TV{tag}E{index + 1:02d}"
        leg = NextLeg(LegMode.RAIL, out_id, departure, "CNQZH")
        box = _box(rng, number, forty=rng.random() < 0.4, leg=leg, customs=CustomsStatus.RELEASED)
        trucks.append(
            TruckCall(
                TruckVisit(visit, _plate(rng), visit), rng.uniform(1.5, 7.5) * 3600, delivers=box
            )
        )
        outbound_boxes.append(number.value)
    trucks.sort(key=lambda call: call.arrival_s)
    return DayTraffic(
        day=day,
        start=start,
        inbound=inbound,
        inbound_arrival_s=3600.0,
        inbound_consist=tuple(consist),
        outbound=outbound,
        outbound_arrival_s=5 * 3600.0,
        outbound_departure_s=14 * 3600.0,
        outbound_boxes=tuple(outbound_boxes),
        trucks=tuple(trucks),
    )


def _unique(rng: random.Random, used: set[str]) -> ContainerNumber:
    while True:
        number = container_number(rng)
        if number.value not in used:
            used.add(number.value)
            return number


def _plate(rng: random.Random) -> str:
    return f"渝{rng.choice('ABCDF')}{rng.randrange(10000, 99999)}"


def _box(
    rng: random.Random, number: ContainerNumber, forty: bool, leg: NextLeg, customs: CustomsStatus
) -> Container:
    kind = rng.random()
    if forty:
        code = "45R1" if kind < 0.08 else ("42G1" if kind < 0.3 else "45G1")
    else:
        code = "22R1" if kind < 0.08 else ("22T1" if kind < 0.12 else "22G1")
    size = SizeType.of(code)
    return Container(
        number=number,
        size_type=size,
        gross_mass_kg=int(rng.uniform(size.tare_kg + 4_000, min(size.max_gross_kg, 28_000))),
        full=True,
        operator=rng.choice(_OPERATORS),
        reefer_setpoint_c=rng.choice((-18.0, 2.0, 5.0)) if size.is_reefer else None,
        imdg_class="3" if size.is_tank and rng.random() < 0.5 else None,
        next_leg=leg,
        customs_status=customs,
    )
