"""Customs at the hub, four ways: time from a box's arrival to its release, and its dwell.

A seeded week of the demo's inbound corridor trains (4 a day, 40 boxes each) is cleared:

- (a) declaration after arrival, with a manual arrival report (the process before the
  platform): the broker lodges once the goods are here, the site keys the arrival report,
  and customs reviews the declaration after both;
- (b) advance declaration with the automatic arrival report: run for real on the platform
  (SQLite store, bus commands): the declarations are lodged before the trains arrive, the
  arrival report is issued by the platform at the first set-down, and customs releases
  after its (shorter) review; the times are read back from the store;
- (c) sea–rail–river boxes (rail–sea trains from Qinzhou whose boxes go on by barge) with
  the transit re-declared at the hub: the next leg's declarant re-keys the transit data
  and lodges a new declaration, which customs accepts;
- (d) the same boxes with the transit carried over by the platform (``ContinueTransit``:
  the river leg's declaration derived from the rail leg's at the set-down, nothing keyed),
  run for real on the platform.

Every process time is a seeded triangular draw (low, mode, high) in ``PROCESS``, with its
source or the assumption it rests on; change them there. The differences come from those
times and the onward departures (a truck collection after release, the next daily barge),
never from a constant in the result. The figures are printed beside the published
averages and the site's claims.

    python benchmarks/customs.py [--days 7] [--seed 2024]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from common import Report, mean, progress

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.site_file import read_site_file
from hubport.domain.container import Container, LegMode
from hubport.domain.customs import Leg
from hubport.domain.hub_time import HUB_TIME
from hubport.planning.stacking import NoFreeSlot
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.queries import Queries
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from hubport.twin.traffic import InboundTrain, generate_day

FIRST = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


@dataclass(frozen=True)
class Step:
    low_h: float
    mode_h: float
    high_h: float
    source: str

    def draw(self, rng: random.Random) -> timedelta:
        return timedelta(hours=rng.triangular(self.low_h, self.high_h, self.mode_h))


PROCESS = {
    "lodge_after_arrival": Step(
        6, 12, 24, "assumed: the broker lodges the day the arrival notice and papers reach it"
    ),
    "manual_report": Step(
        2, 6, 12, "assumed: the site's clerk keys the arrival report into the single window"
    ),
    "review": Step(
        8,
        14,
        24,
        "assumed, chosen so that (a) comes near the national average import clearance of "
        "about 32 h in 2022 (Chongqing's was about 68 h in 2020)",
    ),
    "review_advance": Step(
        1,
        2,
        4,
        "assumed: an advance declaration is risk-screened before arrival; after the arrival "
        "report only the release remains",
    ),
    "rekey_transit": Step(
        12,
        24,
        36,
        "assumed: the next leg's declarant re-keys the transit data from the previous leg's "
        "papers and lodges",
    ),
    "accept_transit": Step(
        6, 12, 24, "assumed: customs accepts a transit declaration lodged at the hub"
    ),
    "accept_carried": Step(
        0.5, 1, 2, "assumed: a transit carried over is accepted on the data already cleared"
    ),
    "collect_after_release": Step(
        2, 6, 24, "assumed: the consignee's truck comes once the box is released"
    ),
}
#: Barges leave the Luohuang river port daily at this hour (assumed); the shuttle from the
#: rail station takes about half an hour for the 10 km.
BARGE_HOUR, SHUTTLE = 8, timedelta(minutes=30)
#: Boxes come off a train one after the other over its discharge (about 40 min for 40).
DISCHARGE_STEP = timedelta(minutes=1)
CLAIMS = {
    "advance + automatic report": "port time cut by 24 h or more (the site)",
    "carried-over transit": "nearly two days saved (the site)",
}


@dataclass
class Box:
    number: str
    train: str
    arrived: datetime  # its set-down in the yard
    leg: LegMode
    released: dict[str, datetime]


def week(days: int, seed: int) -> list[InboundTrain]:
    return [train for day in range(1, days + 1) for train in generate_day(day, seed, FIRST).inbound]


def _arrival(train: InboundTrain) -> datetime:
    if train.visit.arrives is None:
        raise ValueError(f"train {train.visit.id} has no planned arrival")
    return train.visit.arrives


def _set_downs(train: InboundTrain) -> dict[str, datetime]:
    arrival = _arrival(train)
    return {
        container.number.value: arrival + DISCHARGE_STEP * (index + 1)
        for index, (container, _slot) in enumerate(train.consist)
    }


def _transit(container: Container, train: InboundTrain) -> bool:
    """Sea–rail–river: came by the rail–sea train from Qinzhou and goes on by barge."""
    leg = container.next_leg
    return train.visit.origin == "CNQZH" and leg is not None and leg.mode is LegMode.RIVER


def model_after_arrival(
    trains: list[InboundTrain], boxes: dict[str, Box], rng: random.Random
) -> None:
    """(a) and (c): the manual process, step by step from the process times."""
    for train in trains:
        downs = _set_downs(train)
        first = min(downs.values())
        lodged = first + PROCESS["lodge_after_arrival"].draw(rng)
        reported = max(first + PROCESS["manual_report"].draw(rng), lodged)
        released = reported + PROCESS["review"].draw(rng)
        for container, _slot in train.consist:
            number = container.number.value
            if _transit(container, train):
                # the river leg declared again at the hub, once the box is here
                again = downs[number] + PROCESS["rekey_transit"].draw(rng)
                boxes[number].released["c"] = again + PROCESS["accept_transit"].draw(rng)
            else:
                boxes[number].released["a"] = max(released, downs[number])


def run_platform(trains: list[InboundTrain], boxes: dict[str, Box], rng: random.Random) -> int:
    """(b) and (d) on the platform: a SQLite store, the bus, a clock moved event by event."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'customs.db'}")
        migrate(engine)
        site, layout, source = read_site_file(None)
        install_site(engine, site, layout, source)
        site = load_site(engine)
        clock = ManualClock(FIRST - timedelta(days=1))
        bus = MessageBus(
            lambda: SqlUnitOfWork(engine, site), clock, COMMAND_HANDLERS, EVENT_HANDLERS
        )
        cranes = sorted(site.cranes)
        plan: list[tuple[datetime, int, commands.Command]] = []
        order = 0

        def at(moment: datetime, command: commands.Command) -> None:
            nonlocal order
            order += 1
            plan.append((moment, order, command))

        for train in trains:
            arrival = _arrival(train)
            downs = _set_downs(train)
            notice = arrival - timedelta(hours=24)  # the railway's COPRAR, the day before
            at(notice, commands.RegisterTrain(train.visit))
            for container, _slot in train.consist:
                at(notice, commands.AnnounceContainer(container))
            imports = [c for c, _ in train.consist if not _transit(c, train)]
            transits = [c for c, _ in train.consist if _transit(c, train)]
            origin = train.visit.origin or "CNQZH"
            if imports:
                at(
                    notice,
                    customs.LodgeDeclaration(
                        f"{train.visit.id}-IMP",
                        "import",
                        tuple(c.number for c in imports),
                        (Leg("rail", origin, "CNJGJ"),),
                    ),
                )
            if transits:
                # the rail leg's transit, cleared at Qinzhou before the train left
                at(
                    notice,
                    customs.LodgeDeclaration(
                        f"{train.visit.id}-SEA",
                        "transit",
                        tuple(c.number for c in transits),
                        (Leg("sea", "SGSIN", "CNQZH"), Leg("rail", "CNQZH", "CNJGJ")),
                        office="NNQZ",
                    ),
                )
                at(notice, customs.ReportArrival(f"{train.visit.id}-SEA"))
                at(notice, customs.ReleaseDeclaration(f"{train.visit.id}-SEA"))
            consist = tuple((c.number, slot) for c, slot in train.consist)
            at(arrival, commands.ArriveTrain(train.visit.id, "T1", consist))
            for index, (container, _slot) in enumerate(train.consist):
                # the four cranes share the train, each stacking in its own stretch
                crane = cranes[index % len(cranes)]
                down = downs[container.number.value]
                at(down, commands.MoveContainer(container.number, None, crane=crane))
            if transits:
                first = min(downs[c.number.value] for c in transits)
                at(
                    first,
                    customs.ContinueTransit(
                        f"{train.visit.id}-SEA",
                        f"{train.visit.id}-RIV",
                        (Leg("river", "CNLOH", "CNSHA"),),
                    ),
                )
                at(
                    first + PROCESS["accept_carried"].draw(rng),
                    customs.ReleaseDeclaration(f"{train.visit.id}-RIV"),
                )
            # customs releases the imports after its review of the arrival report, which
            # the platform issues at the first set-down (read back below)
            first_down = min(downs.values())
            if imports:
                at(
                    first_down + PROCESS["review_advance"].draw(rng),
                    customs.ReleaseDeclaration(f"{train.visit.id}-IMP"),
                )
            leaves = arrival + timedelta(hours=3)
            at(leaves, commands.DepartTrain(train.visit.id))
        plan.sort(key=lambda item: (item[0], item[1]))
        with progress() as bar:
            task = bar.add_task("the week on the platform", total=len(plan))
            for moment, _order, command in plan:
                clock.set(max(clock.now(), moment))
                if isinstance(command, commands.MoveContainer):
                    _set_down(bus, command, cranes)
                else:
                    bus.handle(command)
                bar.advance(task)
        queries = Queries(engine, site)
        for box in boxes.values():
            record = queries.customs_of(box.number)
            for declaration in record["declarations"]:
                released = declaration["released_at"]
                if declaration["state"] != "released" or released is None:
                    continue
                when = datetime.fromisoformat(released)
                if declaration["declaration"].endswith("-IMP"):
                    box.released["b"] = max(when, box.arrived)
                elif declaration["declaration"].endswith("-RIV"):
                    box.released["d"] = max(when, box.arrived)
                    reported = datetime.fromisoformat(declaration["arrived_at"])
                    assert reported >= box.arrived - timedelta(hours=1)
        engine.dispose()
        return len(plan)


def _set_down(bus: MessageBus, move: commands.MoveContainer, cranes: list[str]) -> None:
    """Into the yard by the crane the plan named, or by another when its stretch has no
    legal slot for the box (reefer plugs, the dangerous-goods zone)."""
    start = cranes.index(move.crane) if move.crane in cranes else 0
    for turn in range(len(cranes)):
        crane = cranes[(start + turn) % len(cranes)]
        try:
            bus.handle(dataclasses.replace(move, crane=crane))
            return
        except NoFreeSlot:
            continue
    raise NoFreeSlot(f"no crane's stretch can take {move.number}")


def onward(box: Box, released: datetime, rng: random.Random) -> datetime:
    """When the box leaves the hub once released: by truck, or on the next daily barge."""
    if box.leg is LegMode.RIVER:
        at_port = released + SHUTTLE
        barge = at_port.replace(hour=BARGE_HOUR, minute=0, second=0, microsecond=0)
        return barge if barge >= at_port else barge + timedelta(days=1)
    return released + PROCESS["collect_after_release"].draw(rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    trains = week(args.days, args.seed)
    boxes: dict[str, Box] = {}
    for train in trains:
        downs = _set_downs(train)
        for container, _slot in train.consist:
            leg = container.next_leg
            boxes[container.number.value] = Box(
                container.number.value,
                train.visit.id,
                downs[container.number.value],
                leg.mode if leg is not None else LegMode.ROAD,
                {},
            )
    rng = random.Random(args.seed)
    model_after_arrival(trains, boxes, rng)
    commands_run = run_platform(trains, boxes, random.Random(args.seed + 1))
    dwell_rng = random.Random(args.seed + 2)
    rows = []
    for way, title in (
        ("a", "(a) declared after arrival, manual report"),
        ("b", "(b) advance declaration, automatic report"),
        ("c", "(c) sea–rail–river, transit re-declared"),
        ("d", "(d) sea–rail–river, transit carried over"),
    ):
        chosen = [box for box in boxes.values() if way in box.released]
        to_release = [(b.released[way] - b.arrived).total_seconds() / 3600 for b in chosen]
        dwell = [
            (onward(b, b.released[way], dwell_rng) - b.arrived).total_seconds() / 3600
            for b in chosen
        ]
        rows.append((way, title, len(chosen), mean(to_release), mean(dwell)))
    report = Report(
        f"Customs over {args.days} days of inbound trains ({len(boxes)} boxes; "
        f"{commands_run} commands on the platform for (b) and (d))",
        ["way", "boxes", "arrival → release h", "dwell h"],
    )
    for _way, title, count, release_h, dwell_h in rows:
        report.add_row(title, str(count), f"{release_h:.1f}", f"{dwell_h:.1f}")
    report.print(args.markdown)
    by = {way: (release_h, dwell_h) for way, _t, _c, release_h, dwell_h in rows}
    print(
        f"advance + automatic report: release {by['a'][0] - by['b'][0]:.1f} h sooner, "
        f"dwell {by['a'][1] - by['b'][1]:.1f} h shorter; {CLAIMS['advance + automatic report']}"
    )
    print(
        f"carried-over transit: release {by['c'][0] - by['d'][0]:.1f} h sooner, "
        f"dwell {by['c'][1] - by['d'][1]:.1f} h shorter; {CLAIMS['carried-over transit']}"
    )
    print(
        "published: national import clearance about 32 h (2022); Chongqing import about 68 h (2020)"
    )
    print("process times (triangular low/mode/high hours):")
    for name, step in PROCESS.items():
        print(f"  {name}: {step.low_h:g}/{step.mode_h:g}/{step.high_h:g} h — {step.source}")


if __name__ == "__main__":
    main()
