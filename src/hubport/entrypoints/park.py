"""``hubport park``: the industrial park's services. ``import`` loads requests with their
histories (all or none, checked against the state table); ``report`` prints a month's
KPIs, and writes them as Markdown and PDF with charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

park_app = typer.Typer(
    help="The industrial park: enterprise requests, their KPIs and reports.",
    no_args_is_help=True,
)
console = Console()
AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]


@park_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help='JSON: {"requests": [...]} (docs/park.md)')],
    as_json: AsJson = False,
) -> None:
    """Load requests with their histories; a broken history is refused by name and
    nothing is imported. Requests already imported with the same content are skipped."""
    from hubport.bootstrap import bootstrap
    from hubport.park.adapters.import_file import read_import
    from hubport.park.domain.history import rebuild_all
    from hubport.park.services.commands import ImportRequests

    kept = read_import(file)
    hub = bootstrap()
    try:
        desk = hub.park()
        requests = rebuild_all(desk.table, kept, file.name)
        fresh, same = desk.queries.split_known(requests)
        result = desk.bus.handle(
            ImportRequests(requests=tuple(fresh), source=f"import {file.name}")
        ).result
    finally:
        hub.close()
    answer = {"imported": result["imported"], "already_there": same, "file": str(file)}
    if as_json:
        print(json.dumps(answer))
        return
    console.print(
        f"[green]imported[/] {answer['imported']} requests from {file} "
        f"({same} already there, unchanged)"
    )


@park_app.command("report")
def report(
    month: Annotated[str, typer.Option(help="the month, YYYY-MM")],
    out: Annotated[
        Path | None, typer.Option(help="folder for the Markdown, the PDF and the charts")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """The month's KPIs over the requests received in it (formulas in docs/park.md)."""
    from hubport.bootstrap import bootstrap
    from hubport.park.adapters.report_files import report_data, write_report

    hub = bootstrap()
    try:
        data = report_data(hub.park().queries, month)
    finally:
        hub.close()
    written = write_report(data, out) if out is not None else []
    if as_json:
        print(json.dumps({**data.as_json(), "files": [str(p) for p in written]}))
        return
    table = Table("KPI", "value", title=f"park requests received in {month}")
    for name, value in data.as_json()["kpis"].items():
        table.add_row(
            name, f"{value:.1%}" if name.endswith("rate") or name == "satisfaction" else str(value)
        )
    console.print(table)
    for path in written:
        console.print(f"wrote {path}", highlight=False)


@park_app.command("seed")
def seed(
    seed_value: Annotated[int, typer.Option("--seed", help="the stored seed")] = 2024,
    year: Annotated[int | None, typer.Option(help="the year of requests (default: last)")] = None,
) -> None:
    """Synthetic example data at the park's published scale (marked synthetic): 114
    projects (63 in production, about 64 billion CNY), a year of requests at the reported
    rates. Again with the same seed: nothing new."""
    from datetime import datetime

    from hubport.bootstrap import bootstrap
    from hubport.domain.hub_time import HUB_TIME
    from hubport.park.domain import synthetic
    from hubport.park.domain.history import rebuild_all
    from hubport.park.services.commands import ImportRequests, RegisterProject

    today = datetime.now(HUB_TIME).date()
    chosen = year or today.year - 1
    hub = bootstrap()
    try:
        desk = hub.park()
        known = {p.id for p in desk.queries.projects()}
        added = 0
        for project in synthetic.projects(seed_value, today):
            if project.id not in known:
                desk.bus.handle(RegisterProject(project=project))
                added += 1
        kept = synthetic.requests(seed_value, chosen)
        requests = rebuild_all(desk.table, kept, f"synthetic seed {seed_value}")
        fresh, same = desk.queries.split_known(requests)
        source = f"synthetic seed {seed_value}"
        desk.bus.handle(ImportRequests(requests=tuple(fresh), source=source))
    finally:
        hub.close()
    console.print(
        f"[green]seeded[/] (synthetic, seed {seed_value}): {added} projects, "
        f"{len(fresh)} requests of {chosen} ({same} already there)"
    )


@park_app.command("minutes")
def minutes(
    meeting: Annotated[str, typer.Argument(help="the meeting's id")],
    out: Annotated[Path, typer.Option(help="folder for the Markdown and the PDF")] = Path("."),
) -> None:
    """A meeting's minutes (agenda, decisions, tasks verified and closed) as Markdown and PDF."""
    from hubport.bootstrap import bootstrap
    from hubport.park.adapters.minutes_files import write_minutes

    hub = bootstrap()
    try:
        queries = hub.park().queries
        found = queries.meeting(meeting)
        written = write_minutes(found, queries.tasks(), out)
    finally:
        hub.close()
    for path in written:
        console.print(f"wrote {path}", highlight=False)


@park_app.command("logistics")
def logistics(
    origin: Annotated[
        str, typer.Option("--from", help="where the materials come from (UN/LOCODE)")
    ],
    tonnes: Annotated[float, typer.Option(help="inbound material a month, tonnes")],
    rail_share: Annotated[float, typer.Option(help="share brought by corridor train")] = 0.9,
    month: Annotated[
        str | None, typer.Option(help="the month, YYYY-MM (default: this one)")
    ] = None,
    container: Annotated[str, typer.Option(help="box type of the corridor leg")] = "40HC",
    as_json: AsJson = False,
) -> None:
    """An enterprise's monthly logistics bill: the corridor quote engine's cheapest option
    per box for the rail share, the road share, next-day delivery within 50 km, and the
    park's shared-warehousing saving (docs/park.md)."""
    from datetime import datetime, time

    from hubport.config import Settings
    from hubport.corridor.quote import QuoteRequest, quote
    from hubport.domain.hub_time import HUB_TIME
    from hubport.entrypoints.hub_network import hub_network
    from hubport.park.adapters.queries import month_window
    from hubport.park.domain.logistics import LogisticsFigures, monthly_bill

    figures = LogisticsFigures(rail_share=rail_share)
    start = (
        month_window(month)[0]
        if month
        else datetime.combine(datetime.now(HUB_TIME).date(), time(8), HUB_TIME)
    )
    network = hub_network(Settings(), start.date())
    cargo = figures.tonnes_per_box * 1000
    options, _timetable, _size = quote(
        network, QuoteRequest(origin.upper(), "CNJGJ", container, cargo, start, 14.0)
    )
    cheapest = min(options, key=lambda option: option.cost)
    per_box: dict[str, float] = {}
    for line in cheapest.itinerary.lines:
        per_box[line.kind] = per_box.get(line.kind, 0.0) + line.amount
    bill = monthly_bill(tonnes, per_box, figures)
    answer = {
        "from": origin.upper(),
        "to": "CNJGJ",
        "tonnes": tonnes,
        "boxes": bill.boxes,
        "box_cost_cny": round(cheapest.cost, 2),
        "lines": [
            {"line": item.label, "amount_cny": str(item.amount_cny), "basis": item.basis}
            for item in bill.lines
        ],
        "total_cny": str(bill.total_cny),
        "warehousing_saving_range_cny": [str(v) for v in bill.saving_range_cny],
    }
    if as_json:
        print(json.dumps(answer, ensure_ascii=False))
        return
    table = Table("line", "CNY", "basis", title=f"{tonnes:,.0f} t a month from {origin.upper()}")
    for item in bill.lines:
        table.add_row(item.label, f"{item.amount_cny:,.2f}", item.basis)
    table.add_row("[bold]total[/]", f"[bold]{bill.total_cny:,.2f}[/]", "")
    console.print(table)
