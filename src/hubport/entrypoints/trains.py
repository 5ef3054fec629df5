"""``hubport train``: a departing train's load plan from the live yard, a train's progress,
and the trains registered at the hub."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hubport.domain.rail import WEEKDAYS
from hubport.domain.records import TrainRecord
from hubport.domain.site import Site

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
    for label, moment in (("arrives", train.arrives), ("departs", train.departs)):
        table.add_row(label, f"{moment:%Y-%m-%d %H:%M}" if moment else "")
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
    count: Annotated[int, typer.Option(min=1, help="times shown per service")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print the timetable as JSON")] = False,
) -> None:
    """The site's train services (route, operator, days, limits) with their next times at
    the hub, then the train visits registered (next first, then those on the tracks,
    then the latest that left)."""
    from datetime import UTC, timedelta

    from hubport.bootstrap import bootstrap
    from hubport.domain.hub_time import HUB_TIME

    start = datetime.fromisoformat(at) if at else datetime.now(UTC)
    # services keep hub time (China Standard Time)
    start = start.replace(tzinfo=HUB_TIME) if start.tzinfo is None else start.astimezone(HUB_TIME)
    hub = bootstrap()
    try:
        site = hub.site
        records = hub.queries.trains()
    finally:
        hub.close()
    if as_json:
        print(json.dumps(timetable_json(site, records, start, count)))
        return
    services = Table(
        "service",
        "operator",
        "route",
        "days",
        "next times at the hub",
        "limits",
        title=f"train services at {site.name} ({site.locode})",
    )
    for service in sorted(site.train_services.values(), key=lambda s: (s.direction, s.id)):
        times = service.departures(start, start + timedelta(days=14))[:count]
        days = (
            "daily"
            if len(service.weekdays) == 7
            else " ".join(WEEKDAYS[d] for d in service.weekdays)
        )
        route = " → ".join(service.route)
        for split in service.splits:
            route += f"\n(wagons {split.first}–{split.last} detached at {split.at})"
        limits = service.limits
        services.add_row(
            f"{service.id} {service.name} ({service.direction})",
            service.operator,
            route,
            f"{days} {' '.join(f'{t:%H:%M}' for t in service.times)}",
            ", ".join(f"{t:%a %d %b %H:%M}" for t in times),
            f"{service.wagons}×{service.wagon_type}, ≤{limits.max_gross_kg / 1000:,.0f} t, "
            f"≤{limits.max_length_m:.0f} m",
        )
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


def timetable_json(
    site: Site, records: list[TrainRecord], start: datetime, count: int
) -> dict[str, Any]:
    """The services and train visits as ``train timetable --json`` prints them."""
    from datetime import timedelta

    services = []
    for service in sorted(site.train_services.values(), key=lambda s: s.id):
        limits = service.limits
        services.append(
            {
                "id": service.id,
                "name": service.name,
                "operator": service.operator,
                "direction": service.direction,
                "route": list(service.route),
                "splits": [
                    {"at": s.at, "first_wagon": s.first, "last_wagon": s.last}
                    for s in service.splits
                ],
                "weekdays": [WEEKDAYS[d] for d in service.weekdays],
                "times": [f"{t:%H:%M}" for t in service.times],
                "next": [
                    t.isoformat()
                    for t in service.departures(start, start + timedelta(days=14))[:count]
                ],
                "wagon_type": service.wagon_type,
                "wagons": service.wagons,
                "max_gross_kg": limits.max_gross_kg,
                "max_length_m": limits.max_length_m,
                "max_wagons": limits.max_wagons,
                "max_pair_difference_kg": limits.max_pair_difference_kg,
            }
        )
    trains = [
        {
            "train": r.train.id,
            "service": r.train.service,
            "direction": r.train.direction,
            "scheduled": r.train.scheduled.isoformat() if r.train.scheduled else None,
            "state": r.state,
            "track": r.track,
        }
        for r in records
    ]
    return {"services": services, "trains": trains}
