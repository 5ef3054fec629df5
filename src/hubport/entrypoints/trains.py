"""``hubport train``: a departing train's load plan from the live yard, a train's progress,
and the trains registered at the hub."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

train_app = typer.Typer(help="Train visits: load plans, progress, timetable.", no_args_is_help=True)
console = Console()


@train_app.command("plan")
def train_plan(
    visit: Annotated[str, typer.Argument(help="outbound train visit id, e.g. X002O1")],
    time_limit: Annotated[float, typer.Option(min=0.1, help="seconds for the search")] = 5.0,
    as_json: Annotated[bool, typer.Option("--json", help="print the plan as JSON")] = False,
) -> None:
    """The load plan of a departing train, wagon by wagon, from the yard as it stands
    (it moves nothing: the train's crane jobs follow the plan when the train is worked)."""
    from hubport.bootstrap import bootstrap
    from hubport.entrypoints.views import load_plan_tables
    from hubport.planning.load_plan_file import plan_json
    from hubport.planning.load_planner import plan_load

    hub = bootstrap()
    try:
        request = hub.queries.load_request(visit)
    finally:
        hub.close()
    plan = plan_load(request, time_limit)
    document = {"train": visit, **plan_json(request, plan)}
    if as_json:
        print(json.dumps(document))
        return
    for table in load_plan_tables(f"load plan · train {visit}", request, plan, document):
        console.print(table)


@train_app.command("show")
def train_show(
    visit: Annotated[str, typer.Argument(help="train visit id, e.g. X001I1")],
) -> None:
    """A train's visit: where it stands, its boxes, and its crane moves by state."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        view = hub.queries.train(visit)
        moves = hub.queries.train_moves(visit)
    finally:
        hub.close()
    record = view.record
    train = record.train
    table = Table(title=f"train {train.id} · {train.service}", show_header=False)
    table.add_row("direction", train.direction)
    table.add_row("state", record.state)
    table.add_row("track", record.track or "")
    table.add_row("scheduled", f"{train.scheduled:%Y-%m-%d %H:%M}" if train.scheduled else "")
    table.add_row("wagons", str(len(train.wagons)))
    table.add_row("boxes on it now", str(len(view.boxes)))
    for reason, states in sorted(moves.items()):
        done = states.get("done", 0)
        open_ = sum(n for state, n in states.items() if state not in ("done", "cancelled"))
        table.add_row(f"crane moves: {reason}", f"{done} done, {open_} open")
    console.print(table)


@train_app.command("timetable")
def train_timetable(
    at: Annotated[str | None, typer.Option(help="from when, ISO date-time (default: now)")] = None,
    count: Annotated[int, typer.Option(min=1, help="departures shown per service")] = 3,
) -> None:
    """The corridor's rail services from the hub and their next departures, then the
    train visits registered at the hub (next departures first, then those on the tracks,
    then the latest that left)."""
    from datetime import UTC, datetime

    from hubport.adapters.corridor_files import load_network
    from hubport.bootstrap import bootstrap
    from hubport.config import Settings
    from hubport.corridor.timetable import Timetable
    from hubport.domain.hub_time import HUB_TIME

    settings = Settings()
    start = datetime.fromisoformat(at) if at else datetime.now(UTC)
    # services keep hub time (China Standard Time)
    start = start.replace(tzinfo=HUB_TIME) if start.tzinfo is None else start.astimezone(HUB_TIME)
    network = load_network(settings.corridor_data)
    hub = bootstrap(settings)
    try:
        home = hub.site.locode
        records = hub.queries.trains()
    finally:
        hub.close()
    timetable = Timetable.weekly(network, start, days=14)
    services = Table("service", "to", "days", "next departures", title=f"rail services from {home}")
    now = timetable.minute(start)
    for service in sorted(network.services.values(), key=lambda s: s.id):
        if service.mode != "rail" or service.origin != home:
            continue
        trips = timetable.between(service, now, now + 14 * 1440)[:count]
        days = " ".join("Mon Tue Wed Thu Fri Sat Sun".split()[d] for d in service.weekdays)
        shown = ", ".join(f"{timetable.time(t.departs):%a %d %b %H:%M}" for t in trips)
        services.add_row(f"{service.id} {service.name}", service.destination, days, shown)
    console.print(services)
    order = {"expected": 0, "on_site": 1, "departed": 2}
    table = Table(
        "train", "service", "direction", "scheduled", "state", "to", title="trains at the hub"
    )
    shown_records = sorted(
        records,
        key=lambda r: (order.get(r.state, 3), r.train.scheduled is None, r.train.scheduled),
    )
    for record in shown_records[:40]:
        train = record.train
        table.add_row(
            train.id,
            train.service,
            train.direction,
            f"{train.scheduled:%a %d %b %H:%M}" if train.scheduled else "",
            record.state,
            train.destination or "",
        )
    console.print(table)
