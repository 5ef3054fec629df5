"""The HTTP API at volume, on loopback: ingestion, lookups beside 50,000 boxes, the stream.

Each figure is printed beside a reference measured in the same run: the same work done in
process, without HTTP (the gateway, the query module, one client of the stream).

- **Ingestion**: the railway's COPRAR discharge orders of a seeded week (28 trains, 1,120
  boxes), each POSTed to ``/api/edi/messages`` into PostgreSQL; boxes per second, and the
  count in against the count stored (nothing lost).
- **Lookups**: ``GET /api/containers/{number}`` of random boxes beside 50,000 in the store
  (SQLite and PostgreSQL); p50 and p99.
- **Stream**: 50 clients read the event log's backlog from ``/api/events`` at once; events
  per second delivered in all.
- **Console**: the control room, its yard and crane panels, the KPIs and the customs desk
  beside 100 and beside 50,000 boxes; p50 and p99 (the smaller store is the reference: a
  page's cost must not grow with the store).

    .venv/bin/python benchmarks/api.py [--lookups 300] [--clients 50] [--pages 40]
                                       [--only ingestion|lookups|stream|console]
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx2
import uvicorn
from common import Report
from sqlalchemy import Engine, func, select
from store import SITE, bus_on, database, fill, number

from hubport.adapters import tables
from hubport.bootstrap import Hub
from hubport.config import Settings
from hubport.domain.access import new_token, token_digest
from hubport.domain.hub_time import HUB_TIME
from hubport.entrypoints.api import create_app
from hubport.services.access_commands import AddUser
from hubport.services.queries import Queries
from hubport.twin.partners import discharge_order
from hubport.twin.traffic import generate_day

FIRST = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


@contextmanager
def served(engine: Engine) -> Iterator[tuple[str, str, Hub]]:
    """The API of a hub on ``engine``, served by uvicorn on a free loopback port; its URL
    and an admin token."""
    bus = bus_on(engine)
    hub = Hub(Settings(data_dir=Path(tempfile.mkdtemp())), engine, SITE, bus)
    token = new_token()
    bus.handle(AddUser(f"bench-{token[:6]}", "admin", token_digest(token)))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(hub), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/api", token, hub
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return 1000 * statistics.median(ordered), 1000 * ordered[int(0.99 * (len(ordered) - 1))]


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    seconds = []
    for call in calls:
        began = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - began)
    return seconds


def ingestion(report: Report, folder: Path) -> None:
    interchanges = [
        discharge_order(train, "CNJGJ", 2024, "HUBPORT", train.visit.scheduled or FIRST)
        for day in range(1, 8)
        for train in generate_day(day, 2024, FIRST).inbound
    ]
    boxes = sum(text.count("EQD+CN+") for text in interchanges)
    for way in ("API (HTTP, loopback)", "gateway in process"):
        with database("postgresql", folder) as engine, served(engine) as (url, token, hub):
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"}
            with httpx2.Client(headers=headers, timeout=60) as client:
                began = time.perf_counter()
                for text in interchanges:
                    if way.startswith("API"):
                        answer = client.post(f"{url}/edi/messages", content=text).json()
                    else:
                        answer = hub.edi_gateway().receive(text, "bench").as_json()
                    if answer["status"] != "applied":
                        raise SystemExit(f"not applied: {answer['problems']}")
                took = time.perf_counter() - began
            with engine.connect() as connection:
                stored = connection.execute(
                    select(func.count()).select_from(tables.containers)
                ).scalar()
        report.add_row(
            "ingest COPRAR → PostgreSQL",
            way,
            f"{boxes / took:,.0f} boxes/s",
            f"{len(interchanges)} interchanges, {boxes} boxes in, {stored} stored",
        )


def _direct(queries: Queries, number_: str) -> None:
    queries.container(number_)
    queries.history(number_)


def _over_http(client: httpx2.Client, url: str, number_: str) -> None:
    client.get(f"{url}/containers/{number_}").raise_for_status()


def lookups(report: Report, folder: Path, count: int) -> None:
    rng = random.Random(2024)
    for kind in ("sqlite", "postgresql"):
        with database(kind, folder) as engine:
            fill(engine, 50_000, rng)
            with served(engine) as (url, token, hub):
                wanted = [number(rng.randrange(50_000)).value for _ in range(count)]
                direct = _timed([lambda n=n, q=hub.queries: _direct(q, n) for n in wanted])
                with httpx2.Client(headers={"Authorization": f"Bearer {token}"}) as client:
                    over_http = _timed(
                        [lambda n=n, c=client: _over_http(c, url, n) for n in wanted]
                    )
            for way, seconds in (("API (HTTP, loopback)", over_http), ("query module", direct)):
                p50, p99 = _percentiles(seconds)
                report.add_row(
                    f"box lookup beside 50,000 ({kind})",
                    way,
                    f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                    f"{count} random boxes",
                )


def stream(report: Report, folder: Path, clients: int) -> None:
    with database("sqlite", folder) as engine:
        fill(engine, 2_000, random.Random(7))
        with served(engine) as (url, token, _hub):
            headers = {"Authorization": f"Bearer {token}"}

            def read() -> int:
                with httpx2.Client(headers=headers, timeout=120) as client:
                    text = client.get(f"{url}/events?follow=false").text
                return text.count("\nevent: ")

            for many in (1, clients):
                began = time.perf_counter()
                with ThreadPoolExecutor(max_workers=many) as pool:
                    delivered = sum(pool.map(lambda _i: read(), range(many)))
                took = time.perf_counter() - began
                report.add_row(
                    "event stream backlog",
                    f"{many} client{'s' if many > 1 else ''}",
                    f"{delivered / took:,.0f} events/s",
                    f"{delivered:,} events delivered in {took:.1f} s",
                )


#: The console's pages as a control room and a customs desk read them, again and again.
PAGES = (
    "/console/control",
    "/console/parts/yard",
    "/console/parts/cranes",
    "/console/kpi",
    "/console/customs",
)


def console(report: Report, folder: Path, count: int) -> None:
    """The console's pages beside 100 and 50,000 boxes: a page reads the stack summaries,
    the open jobs and one day's rows, so its cost must not grow with the store."""
    rng = random.Random(11)
    for boxes in (100, 50_000):
        with database("sqlite", folder) as engine:
            fill(engine, boxes, rng)
            with served(engine) as (url, token, _hub):
                base = url.removesuffix("/api")
                with httpx2.Client(base_url=base, timeout=60, follow_redirects=True) as client:
                    client.post("/console/login", data={"token": token}).raise_for_status()
                    for path in PAGES:
                        client.get(path).raise_for_status()  # warm the templates
                        seconds = _timed(
                            [lambda c=client, p=path: c.get(p).raise_for_status()] * count
                        )
                        p50, p99 = _percentiles(seconds)
                        report.add_row(
                            f"console page beside {boxes:,} boxes (sqlite)",
                            path,
                            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                            f"{count} requests, logged in",
                        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pages", type=int, default=40, help="requests per console page")
    parser.add_argument("--only", choices=("ingestion", "lookups", "stream", "console"))
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    report = Report("the HTTP API on loopback", ["what", "way", "figure", "detail"])
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "ingestion"):
            ingestion(report, Path(folder))
        if args.only in (None, "lookups"):
            lookups(report, Path(folder), args.lookups)
        if args.only in (None, "stream"):
            stream(report, Path(folder), args.clients)
        if args.only in (None, "console"):
            console(report, Path(folder), args.pages)
    report.print(args.markdown)


if __name__ == "__main__":
    main()
