"""``hubport quote``: door-to-door options over the corridor with their landing bills."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hubport.corridor.network import Network
from hubport.corridor.quote import (
    Option,
    QuoteError,
    QuoteRequest,
    as_json,
    parse_days,
    parse_mass,
    quote,
)
from hubport.corridor.timetable import Timetable
from hubport.domain.hub_time import HUB_TIME

console = Console()


def quote_command(
    origin: Annotated[str, typer.Option("--from", help="UN/LOCODE of the origin, e.g. CNJGJ")],
    destination: Annotated[str, typer.Option("--to", help="UN/LOCODE of the destination")],
    container: Annotated[str, typer.Option(help="40HC, 20GP, 40RF… or an ISO code")] = "40HC",
    mass: Annotated[str, typer.Option(help="cargo mass, e.g. 20t or 18500kg")] = "20t",
    date: Annotated[
        str | None, typer.Option(help="first day the box is ready (YYYY-MM-DD)")
    ] = None,
    window: Annotated[str, typer.Option(help="departure window, e.g. 7d")] = "7d",
    data: Annotated[
        Path | None,
        typer.Option(
            help="folder of corridor files overriding the shipped ones "
            "(default HUBPORT_CORRIDOR_DATA)"
        ),
    ] = None,
    as_json_flag: Annotated[bool, typer.Option("--json", help="the options as JSON")] = False,
) -> None:
    """Door-to-door options (the Pareto set: arrival, cost, transfers) with their bills."""
    from hubport.config import Settings
    from hubport.entrypoints.hub_network import hub_network

    try:
        day = datetime.fromisoformat(date) if date else datetime.now(HUB_TIME)
    except ValueError:
        raise QuoteError(f"--date {date!r} is not YYYY-MM-DD") from None
    day = day.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    network = hub_network(Settings(), day.date(), data)
    request = QuoteRequest(
        origin.strip().upper(),
        destination.strip().upper(),
        container,
        parse_mass(mass),
        day,
        parse_days(window),
    )
    if as_json_flag:
        typer.echo(json.dumps(quote_payload(network, request), indent=2, ensure_ascii=False))
        return
    options, timetable, size_type = quote(network, request)
    if not options:
        console.print(
            f"no itinerary from {request.origin} to {request.destination} departs in the window"
        )
        raise typer.Exit(1)
    console.print(_table(options, timetable, network, request, size_type.code))
    for number, option in enumerate(options, start=1):
        console.print(_bill(number, option, timetable, network))


def quote_payload(network: Network, request: QuoteRequest) -> dict[str, Any]:
    """The Pareto options of a request with their bills, as JSON-ready data (the CLI's
    ``--json`` and the API answer this)."""
    options, timetable, size_type = quote(network, request)
    return {
        "from": request.origin,
        "to": request.destination,
        "container": size_type.code,
        "cargo_kg": request.cargo_kg,
        "window": {"from": request.date.isoformat(), "days": request.window_days},
        "currency": network.currency,
        "options": [as_json(option, timetable, network) for option in options],
    }


def _table(
    options: list[Option], timetable: Timetable, network: Network, request: QuoteRequest, code: str
) -> Table:
    table = Table(
        title=f"{request.origin} → {request.destination}, {code}, {request.cargo_kg / 1000:g} t "
        f"cargo, ready from {request.date:%Y-%m-%d} (window {request.window_days:g} days)"
    )
    for column in (
        "#",
        "route",
        "departs",
        "ready",
        "days",
        "transfers",
        f"cost {network.currency}",
        "CO2 kg",
        "",
    ):
        table.add_column(column, justify="right" if column not in ("route", "") else "left")
    for number, option in enumerate(options, start=1):
        marks = [
            mark
            for mark, flag in (("fastest", option.fastest), ("cheapest", option.cheapest))
            if flag
        ]
        route = " › ".join(
            (leg.service.id if leg.service else f"truck {leg.destination}")
            for leg in option.itinerary.legs
        )
        table.add_row(
            str(number),
            route,
            f"{option.departs:%m-%d %H:%M}",
            f"{option.ready:%m-%d %H:%M}",
            f"{option.days:.1f}",
            str(option.itinerary.transfers),
            f"{option.cost:,.0f}",
            f"{option.co2_kg:,.0f}",
            ", ".join(["pareto", *marks]),
        )
    return table


def _bill(number: int, option: Option, timetable: Timetable, network: Network) -> Table:
    table = Table(title=f"option {number}: landing bill", show_header=True)
    for column in ("item", "place", "detail", network.currency):
        table.add_column(column, justify="right" if column == network.currency else "left")
    for leg, co2 in zip(option.itinerary.legs, option.co2_per_leg, strict=True):
        name = leg.service.name if leg.service else "truck"
        table.add_row(
            f"{leg.mode} leg",
            f"{leg.origin}→{leg.destination}",
            f"{name}: {timetable.time(leg.departs):%m-%d %H:%M} → "
            f"{timetable.time(leg.arrives):%m-%d %H:%M}, {leg.distance_km:,.0f} km, "
            f"{co2:,.0f} kg CO2, customs: {leg.customs}",
            "",
        )
    for line in option.itinerary.lines:
        table.add_row(line.kind, line.place, line.text, f"{line.amount:,.2f}")
    table.add_row("total", "", f"{option.days:.1f} days door to door", f"{option.cost:,.2f}")
    if option.itinerary.customs_saved_hours:
        table.add_row(
            "",
            "",
            f"through transit saved {option.itinerary.customs_saved_hours:g} h "
            "of customs processing",
            "",
        )
    return table
