"""The runtime as separate processes: recovery after ``kill -9`` and failover to a standby.

Each run brings up a hub of its own (a Mosquitto on a free port, ``hubport serve``,
``hubport operate`` and four ``hubport crane-sim`` at ×SPEED) and drives it through the
HTTP API only, as the world would. Figures are printed, never asserted; the references
in the same run are the goals of the runtime issue (0 jobs lost, 0 jobs done twice,
takeover within 15 s).

- **Recovery** (SQLite): a train of BOXES boxes is discharged while the runtime is
  killed with ``kill -9`` KILLS times at random moments and started again each time.
  Time to resume: from the restart to the next box set down in the yard. Jobs lost:
  boxes still on the train when the cranes are idle. Jobs done twice: moves the cranes
  made beyond the jobs the store has done.
- **Failover** (PostgreSQL): two runtimes on one store; the leader is killed TRIES
  times mid-discharge (a new standby started after each takeover). Time from the kill
  to the first order the new leader sends to a crane (an MQTT spy on the order topics).

    .venv/bin/python benchmarks/runtime.py                       # both, 5 kills, 5 tries
    .venv/bin/python benchmarks/runtime.py --only recovery --kills 3 --boxes 20
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
from common import Report, progress
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import create_engine, text

from hubport.domain.container import Container, ContainerNumber, SizeType
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import WagonSlot
from hubport.domain.visits import TrainVisit, Wagon
from hubport.twin.client import HttpHubClient
from hubport.twin.stage import CRANES, Stage

START = "2026-12-07T09:00:00+08:00"
#: Day 1 of the simulated traffic (``hubport demo``'s first day).
START_DAY = "2026-12-01T06:00:00+08:00"
POSTGRES = os.environ.get(
    "HUBPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def numbers(first: int, count: int) -> list[ContainerNumber]:
    from stdnum import iso6346

    out = []
    for index in range(first, first + count):
        text_ = f"BNCU{index:06d}"
        out.append(ContainerNumber(text_ + iso6346.calc_check_digit(text_)))
    return out


def train(train_id: str, first: int, boxes: int) -> tuple[TrainVisit, tuple[Container, ...]]:
    arrives = datetime.fromisoformat(START)
    containers = tuple(
        Container(number, SizeType.of("22G1" if i % 3 else "45G1"), 14_000 + 100 * i)
        for i, number in enumerate(numbers(first, boxes))
    )
    consist, wagon, spot = [], 1, "A"
    for container in containers:
        if container.size_type.is_forty:
            if spot == "B":
                wagon, spot = wagon + 1, "A"
            consist.append((container.number, WagonSlot(train_id, wagon, "AB")))
            wagon += 1
        else:
            consist.append((container.number, WagonSlot(train_id, wagon, spot)))  # type: ignore[arg-type]
            wagon, spot = (wagon, "B") if spot == "A" else (wagon + 1, "A")
    wagons = consist[-1][1].wagon
    visit = TrainVisit(
        train_id,
        "CL-VTE-N",
        "inbound",
        tuple(Wagon(n) for n in range(1, wagons + 1)),
        arrives=arrives,
        departs=arrives + timedelta(hours=8),
        consist=tuple(consist),
    )
    return visit, containers


def in_yard(client: HttpHubClient, boxes: list[str]) -> int:
    return sum(client.box(b).in_yard for b in boxes)


def crane_moves(stage: Stage) -> int:
    total = 0
    for crane in CRANES:
        process = stage.processes.pop(crane)
        process.send_signal(2)
        process.wait(15)
        total += int(stage.log(crane).strip().splitlines()[-1].split(":")[1].split()[0])
    return total


def done_jobs(stage: Stage) -> int:
    table = stage.run("cranes", "status").stdout
    return sum(
        int(line.split("│")[5].strip()) for line in table.splitlines() if line.startswith("│ ARMG")
    )


def recovery(kills: int, boxes: int, speed: float, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as directory:
        stage = Stage(Path(directory), speed=speed, start_at=START)
        try:
            client = stage.start()
            visit, containers = train("REC1", 1000, boxes)
            wanted = [c.number.value for c in containers]
            client.register_train(visit, containers)
            client.train_arrives("REC1", "T1")
            client.order_discharge("REC1", ())
            resumes: list[float] = []
            name = "operate"
            with progress() as bar:
                task = bar.add_task("kill -9 and restart", total=kills)
                for kill in range(kills):
                    time.sleep(rng.uniform(2.0, 8.0))
                    stage.kill(name)
                    before = in_yard(client, wanted)
                    name = f"operate-{kill + 1}"
                    restarted = time.monotonic()
                    stage.start_runtime(name)
                    while in_yard(client, wanted) <= before and before < len(wanted):
                        time.sleep(0.2)
                        if time.monotonic() - restarted > 120:
                            break
                    resumes.append(time.monotonic() - restarted)
                    bar.advance(task)
            deadline = time.monotonic() + 600
            while in_yard(client, wanted) < len(wanted) and time.monotonic() < deadline:
                time.sleep(1.0)
            lost = len(wanted) - in_yard(client, wanted)
            twice = crane_moves(stage) - done_jobs(stage)
            sound = "sound" in stage.run("check").stdout
        finally:
            stage.stop()
    return {
        "kills": kills,
        "resume_p50_s": statistics.median(resumes),
        "resume_max_s": max(resumes),
        "lost": lost,
        "twice": twice,
        "sound": float(sound),
    }


@contextmanager
def postgres_schema() -> Iterator[str]:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    schema = f"hubport_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def failover(tries: int, boxes: int, speed: float) -> dict[str, float]:
    takeovers: list[float] = []
    with tempfile.TemporaryDirectory() as directory, postgres_schema() as url:
        stage = Stage(Path(directory), speed=speed, database_url=url, start_at=START)
        orders: list[tuple[float, str]] = []
        lock = threading.Lock()
        try:
            stage.directory.mkdir(parents=True, exist_ok=True)
            stage.start_broker()
            spy = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-spy")

            def received(_c: mqtt.Client, _d: object, message: mqtt.MQTTMessage) -> None:
                with lock:
                    orders.append((time.monotonic(), json.loads(message.payload)["orderId"]))

            spy.on_message = received
            spy.connect("127.0.0.1", stage.mqtt_port)
            spy.subscribe("hubport/v1/XNY/+/order", qos=1)
            spy.loop_start()
            stage.start_store()
            stage.start_server()
            stage.start_cranes()
            leader = stage.start_runtime("runtime-0")
            time.sleep(2.0)
            stage.start_runtime("runtime-1")
            client = stage.client()
            for name, first, track in (("FO1", 2000, "T1"), ("FO2", 3000, "T2")):
                visit, containers = train(name, first, boxes)
                client.register_train(visit, containers)
                client.train_arrives(name, track)
                client.order_discharge(name, ())
            names = {leader.pid: "runtime-0", stage.processes["runtime-1"].pid: "runtime-1"}
            with progress() as bar:
                task = bar.add_task("kill the leader", total=tries)
                for attempt in range(tries):
                    time.sleep(4.0)
                    health = client.runtime()
                    victim = names[health.leader_pid or 0]
                    killed = time.monotonic()
                    stage.kill(victim)
                    while True:
                        with lock:
                            after = [at for at, _ in orders if at > killed]
                        if after:
                            takeovers.append(after[0] - killed)
                            break
                        if time.monotonic() - killed > 60:
                            takeovers.append(float("inf"))
                            break
                        time.sleep(0.1)
                    fresh = stage.start_runtime(f"runtime-{attempt + 2}")
                    names[fresh.pid] = f"runtime-{attempt + 2}"
                    bar.advance(task)
            spy.loop_stop()
        finally:
            stage.stop()
    return {
        "tries": tries,
        "takeover_p50_s": statistics.median(takeovers),
        "takeover_max_s": max(takeovers),
    }


def day_figures(engine_url: str) -> dict[str, float]:
    """A day's figures from a store: moves, moves per crane-hour, relocations, trains
    handled and on time, truck turn (mean, p90), read the same way for both runs."""
    from sqlalchemy import func, select

    from hubport.adapters import tables
    from hubport.adapters.database import load_site, make_engine
    from hubport.services.queries import Queries

    engine = make_engine(engine_url)
    try:
        queries = Queries(engine, load_site(engine))
        kpis = queries.kpis(datetime.fromisoformat(START_DAY).date())
        with engine.connect() as connection:
            jobs = tables.crane_jobs
            counts = dict(
                connection.execute(
                    select(jobs.c.reason, func.count())
                    .where(jobs.c.state == "done")
                    .group_by(jobs.c.reason)
                ).all()
            )
            trains = connection.execute(
                select(tables.trains.c.visit, tables.trains.c.departed_at).where(
                    tables.trains.c.departed_at.is_not(None)
                )
            ).all()
    finally:
        engine.dispose()
    on_time = 0
    for visit, departed in trains:
        departs = json.loads(visit).get("departs")
        if departs is None:
            on_time += 1
            continue
        # SQLite keeps the hub's local time without its zone; PostgreSQL the moment
        departed_utc = departed if departed.tzinfo else departed.replace(tzinfo=HUB_TIME)
        on_time += departed_utc <= datetime.fromisoformat(departs) + timedelta(minutes=1)
    cranes = kpis["cranes"]
    return {
        "moves": float(sum(counts.values())),
        "per_crane_hour": float(cranes.get("moves_per_crane_hour") or 0.0),
        "relocations": float(counts.get("relocation", 0)),
        "trains": float(len(trains)),
        "on_time": float(on_time),
        "truck_turn_mean_min": float(kpis["trucks"].get("mean_min") or 0.0),
        "truck_turn_p90_min": float(kpis["trucks"].get("p90_min") or 0.0),
    }


def live_day(speed: float) -> tuple[dict[str, float], float]:
    """Day 1 as separate processes: serve, operate, 4 crane-sims on Mosquitto, and the
    world over HTTP; its figures and the wall time it took."""
    with tempfile.TemporaryDirectory() as directory:
        stage = Stage(Path(directory), speed=speed, start_at=START_DAY)
        try:
            stage.directory.mkdir(parents=True, exist_ok=True)
            stage.start_broker()
            stage.start_store()
            admin = json.loads(
                stage.run("user", "add", "world", "--role", "admin", "--json").stdout
            )
            stage.start_server()
            stage.start_cranes()
            stage.start_runtime()
            began = time.monotonic()
            world = stage.spawn(
                "world",
                "world",
                "--api",
                f"http://127.0.0.1:{stage.api_port}",
                "--token",
                admin["token"],
                "--days",
                "1",
                "--day",
                "1",
            )
            with progress() as bar:
                task = bar.add_task(f"day 1 at ×{speed:g}", total=24 * 3600 / speed)
                while world.poll() is None:
                    time.sleep(1.0)
                    bar.update(task, completed=time.monotonic() - began)
            wall = time.monotonic() - began
            figures = day_figures(f"sqlite:///{stage.directory / 'var' / 'hubport.db'}")
            print(stage.log("world").strip().splitlines()[-1])
        finally:
            stage.stop()
    return figures, wall


def demo_day() -> tuple[dict[str, float], float]:
    """The same day in one process: the world and the runtime (``hubport demo``)."""
    with tempfile.TemporaryDirectory() as directory:
        stage = Stage(Path(directory))
        stage.run("init")
        began = time.monotonic()
        stage.run("demo", "--day", "1")
        wall = time.monotonic() - began
        return day_figures(f"sqlite:///{Path(directory) / 'var' / 'hubport.db'}"), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("recovery", "failover", "day"))
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--boxes", type=int, default=30)
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--day-speed", type=float, default=120.0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.only in (None, "day"):
        live, live_wall = live_day(args.day_speed)
        world, world_wall = demo_day()
        report = Report(
            f"Day 1 of the 2024 traffic: separate processes at ×{args.day_speed:g} (world over "
            "HTTP, runtime, 4 crane-sims on Mosquitto), the world and the runtime in one "
            "process (hubport demo)",
            [
                "run",
                "moves",
                "moves/crane-h",
                "relocations",
                "trains",
                "on time",
                "truck turn mean (min)",
                "p90 (min)",
                "wall (s)",
            ],
        )
        runs = (
            ("processes", live, live_wall),
            ("world + runtime, one process", world, world_wall),
        )
        for name, found, wall in runs:
            report.add_row(
                name,
                f"{found['moves']:.0f}",
                f"{found['per_crane_hour']:.1f}",
                f"{found['relocations']:.0f}",
                f"{found['trains']:.0f}",
                f"{found['on_time']:.0f}",
                f"{found['truck_turn_mean_min']:.1f}",
                f"{found['truck_turn_p90_min']:.1f}",
                f"{wall:.0f}",
            )
        report.print(args.markdown)
    if args.only in (None, "recovery"):
        found = recovery(args.kills, args.boxes, args.speed, args.seed)
        report = Report(
            f"Recovery: {args.boxes} boxes discharged at ×{args.speed:g}, runtime killed "
            f"{args.kills} times (SQLite)",
            ["resume p50 (s)", "resume max (s)", "jobs lost", "done twice", "check", "goal"],
        )
        report.add_row(
            f"{found['resume_p50_s']:.1f}",
            f"{found['resume_max_s']:.1f}",
            f"{found['lost']:.0f}",
            f"{found['twice']:.0f}",
            "sound" if found["sound"] else "VIOLATIONS",
            "0 lost, 0 twice",
        )
        report.print(args.markdown)
    if args.only in (None, "failover"):
        found = failover(args.tries, args.boxes, args.speed / 2)
        report = Report(
            f"Failover on PostgreSQL: the leader killed {args.tries} times (lease 10 s)",
            ["takeover p50 (s)", "takeover max (s)", "goal (s)"],
        )
        report.add_row(f"{found['takeover_p50_s']:.1f}", f"{found['takeover_max_s']:.1f}", "≤ 15")
        report.print(args.markdown)


if __name__ == "__main__":
    main()
