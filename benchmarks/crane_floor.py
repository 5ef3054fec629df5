"""The crane floor on a seeded hub scenario: a 50-TEU inbound train discharged and a
50-TEU outbound train loaded by the 4 cranes, with trucks collecting boxes, run in process
on a SQLite store (dispatcher, crane jobs, virtual controllers, interlock).

Printed, never asserted: moves per crane-hour, each train's handling time (first order to
last set-down), truck waiting, crane-seconds held by the anti-collision interlock, and, for
the same jobs, the dispatcher's planned makespan against a lower bound and against the
fixed-zone, nearest-job-first baseline.

    python benchmarks/crane_floor.py [--seed 7] [--trucks 8]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.site_file import read_site_file
from hubport.cranes.floor import CraneFloor
from hubport.cranes.window import work_of
from hubport.domain.container import CustomsStatus, LegMode, NextLeg, SizeType
from hubport.domain.places import TruckSlot, WagonSlot
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon
from hubport.planning.dispatch import (
    CraneAvailability,
    CraneWork,
    Rail,
    dispatch,
    fixed_zone_baseline,
)
from hubport.services import commands
from hubport.services import crane_commands as jobs
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from hubport.twin.boxes import Numbers, new_box

START = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
WAGONS = 25
TRUCK_SERVICE_S = 900.0  # a truck under the crane should be served within 15 min


def _train_boxes(rng: random.Random, numbers: Numbers, train: str) -> list:
    """50 TEU on 25 wagons: a 40' or two 20's per wagon, general dry boxes (reefers and
    dangerous goods have zones of their own; this scenario measures the cranes)."""
    leg = NextLeg(LegMode.RAIL, "OUT1", None, "CNQZH")
    consist = []
    for wagon in range(1, WAGONS + 1):
        forty = rng.random() < 0.5
        for spot in ("AB",) if forty else ("A", "B"):
            box = new_box(rng, numbers.next(), forty, leg, CustomsStatus.NOT_REQUIRED)
            dry = SizeType.of("45G1" if forty else "22G1")
            box = dataclasses.replace(box, size_type=dry, reefer_setpoint_c=None, imdg_class=None)
            consist.append((box, WagonSlot(train, wagon, spot)))
    return consist


def _arrive(bus: MessageBus, train: str, direction: str, track: str, consist: list) -> None:
    wagons = tuple(Wagon(n) for n in range(1, WAGONS + 1))
    bus.handle(commands.RegisterTrain(TrainVisit(train, "benchmark", direction, wagons)))
    for box, _slot in consist:
        bus.handle(commands.AnnounceContainer(box))
    bus.handle(commands.ArriveTrain(train, track, tuple((b.number, s) for b, s in consist)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trucks", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    numbers = Numbers(rng, 901, 0)
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    site = load_site(engine)
    clock = ManualClock(START)
    bus = MessageBus(lambda: SqlUnitOfWork(engine, site), clock, COMMAND_HANDLERS, EVENT_HANDLERS)
    floor = CraneFloor(bus, site, clock)

    # set-up, not measured: a train brings the boxes the outbound train and trucks take
    setup = _train_boxes(rng, numbers, "SETUP")
    _arrive(bus, "SETUP", "inbound", "T1", setup)
    for box, _ in setup:
        floor.control.plan(
            jobs.PlanCraneJob(f"setup:{box.number}", box.number, "discharge"), clock.now()
        )
    floor.run(6 * 3600, until=lambda: not floor.control.jobs)
    bus.handle(commands.DepartTrain("SETUP"))
    floor.control.finished.clear()

    # the measured scenario
    began = clock.now()
    inbound = _train_boxes(rng, numbers, "IN1")
    _arrive(bus, "IN1", "inbound", "T1", inbound)
    wagons = tuple(Wagon(n) for n in range(1, WAGONS + 1))
    bus.handle(commands.RegisterTrain(TrainVisit("OUT1", "benchmark", "outbound", wagons)))
    bus.handle(commands.ArriveTrain("OUT1", "T2", ()))
    collected = [box for box, _ in setup[: args.trucks]]
    loaded = [box for box, _ in setup[args.trucks :]]
    for box, _ in inbound:
        floor.control.plan(
            jobs.PlanCraneJob(f"in:{box.number}", box.number, "discharge"), clock.now()
        )
    for box in loaded:
        floor.control.plan(
            jobs.PlanCraneJob(f"out:{box.number}", box.number, "load", train_id="OUT1"), clock.now()
        )
    gate_in = {}
    for index, box in enumerate(collected):
        visit = f"TV{index}"
        bus.handle(commands.GateIn(TruckVisit(visit, f"渝A{10000 + index}")))
        spot = "AB" if box.size_type.is_forty else "A"
        due = clock.now() + timedelta(seconds=TRUCK_SERVICE_S)
        floor.control.plan(
            jobs.PlanCraneJob(
                f"truck:{box.number}", box.number, "delivery", TruckSlot(visit, spot), due=due
            ),
            clock.now(),
        )
        gate_in[f"truck:{box.number}"] = clock.now()
    work = _planning_view(floor, site)
    wall = time.monotonic()
    floor.run(8 * 3600, until=lambda: not floor.control.jobs)
    wall = time.monotonic() - wall
    done = floor.control.finished
    span_h = (max(d.done_at for d in done) - began).total_seconds() / 3600
    moves = len(done)

    def handling(prefix: str) -> float:
        mine = [d for d in done if d.job.startswith(prefix)]
        first = min(d.sent_at for d in mine)
        return (max(d.done_at for d in mine) - first).total_seconds() / 60

    waits = [(d.done_at - gate_in[d.job]).total_seconds() / 60 for d in done if d.job in gate_in]
    held = sum(c.held_s for c in floor.controllers.values())
    print(
        f"scenario: {len(inbound)} boxes in (50 TEU), {len(loaded)} boxes out, "
        f"{len(collected)} trucks; seed {args.seed}; {wall:.1f} s wall"
    )
    print(
        f"moves: {moves} ({sum(d.reason == 'relocation' for d in done)} relocations) "
        f"in {span_h * 60:.0f} min: {moves / (4 * span_h):.1f} moves per crane-hour"
    )
    print(
        f"inbound IN1 discharged in {handling('in:'):.0f} min; "
        f"outbound OUT1 loaded in {handling('out:'):.0f} min"
    )
    print(
        f"truck wait, gate-in to box on truck: mean {sum(waits) / len(waits):.0f} min, "
        f"max {max(waits):.0f} min"
    )
    print(f"interlock: cranes held {held / 60:.1f} crane-minutes")
    for crane in site.cranes_along_rail:
        count = sum(d.crane == crane.id for d in done)
        print(f"  {crane.id}: {count} moves")
    _compare_plans(work, site)


def _planning_view(floor: CraneFloor, site) -> list[CraneWork]:
    control = floor.control
    work = []
    for job in control.jobs.values():
        pick, place = control._points(job)
        work.append(work_of(site, job, pick, place, START))
    return work


def _compare_plans(work: list[CraneWork], site) -> None:
    kind = site.cranes_along_rail[0].kind
    rail = Rail(
        site.safety_gap_m,
        kind.gantry.speed_empty_mps,
        kind.gantry.speed_empty_mps / kind.gantry.acceleration_mps2,
    )
    cranes = [CraneAvailability(c.id, c.home_m) for c in site.cranes_along_rail]
    zones = {c.id: (c.zone_start_m, c.zone_end_m) for c in site.cranes_along_rail}
    ours = dispatch(work, cranes, rail, time_limit=10.0)
    base = fixed_zone_baseline(work, cranes, rail, zones)
    total = sum(
        w.handling_s + abs(w.place_m - w.pick_m) / rail.gantry_speed_mps + rail.ramp_s for w in work
    )
    bound = total / len(cranes)
    print(
        f"plan of all {len(work)} jobs at the start: dispatcher {ours.makespan_s / 60:.0f} min, "
        f"fixed-zone baseline {base.makespan_s / 60:.0f} min, "
        f"lower bound (work / 4 cranes) {bound / 60:.0f} min; "
        f"interference waits {ours.interference_wait_s / 60:.0f} vs "
        f"{base.interference_wait_s / 60:.0f} crane-min"
    )


if __name__ == "__main__":
    main()
