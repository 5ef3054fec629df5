"""The ``hubport`` command line: set up the store, look at the yard, audit, run a day."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from hubport.domain.errors import HubportError
from hubport.entrypoints.audit import audit_trail, check
from hubport.entrypoints.billing import billing_app, invoice_app
from hubport.entrypoints.cranes import crane_sim, cranes_app
from hubport.entrypoints.customs import customs_app
from hubport.entrypoints.edi import edi_app
from hubport.entrypoints.futures import futures_app
from hubport.entrypoints.gate import appointment_app, gate_app
from hubport.entrypoints.operate import operate
from hubport.entrypoints.park import park_app
from hubport.entrypoints.quote import quote_command
from hubport.entrypoints.solve import solve_app
from hubport.entrypoints.stats import stats_app
from hubport.entrypoints.trains import train_app
from hubport.entrypoints.twin import twin_app
from hubport.entrypoints.users import user_app
from hubport.entrypoints.vessels import shuttle_app, vessel_app
from hubport.entrypoints.world import world
from hubport.planning.brp import Variant

if TYPE_CHECKING:
    from hubport.bootstrap import Hub

app = typer.Typer(
    name="hubport",
    help="Operate an inland rail–river container hub.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
yard_app = typer.Typer(help="Look at the yard.", no_args_is_help=True)
container_app = typer.Typer(help="Look at one container.", no_args_is_help=True)
app.add_typer(yard_app, name="yard")
app.add_typer(container_app, name="container")
app.add_typer(solve_app, name="solve")
app.add_typer(edi_app, name="edi")
app.command("quote")(quote_command)
app.add_typer(stats_app, name="stats")
app.add_typer(cranes_app, name="cranes")
app.add_typer(train_app, name="train")
app.add_typer(customs_app, name="customs")
app.add_typer(appointment_app, name="appointment")
app.add_typer(gate_app, name="gate")
app.add_typer(vessel_app, name="vessel")
app.add_typer(shuttle_app, name="shuttle")
app.add_typer(user_app, name="user")
app.add_typer(twin_app, name="twin")
app.add_typer(futures_app, name="futures")
app.add_typer(park_app, name="park")
app.add_typer(billing_app, name="billing")
app.add_typer(invoice_app, name="invoice")
app.command("crane-sim")(crane_sim)
app.command("operate")(operate)
app.command("world")(world)
app.command("check")(check)
app.command("audit")(audit_trail)

console = Console()
errors = Console(stderr=True)


@app.command()
def init(
    site: Annotated[
        Path | None, typer.Option(help="site layout TOML (default: the Xiaonanya zone)")
    ] = None,
) -> None:
    """Create or migrate the database and install the site layout."""
    from hubport.bootstrap import initialise
    from hubport.config import Settings

    settings = Settings()
    installed = initialise(settings, site)
    console.print(
        f"[green]ready[/]: {installed.name} ({len(installed.blocks)} blocks, "
        f"{installed.capacity_teu} TEU ground×tiers, {len(installed.cranes)} cranes) "
        f"in {settings.database_url_shown}"
    )


@yard_app.command("show")
def yard_show(
    block: Annotated[str | None, typer.Argument(help="block id; all blocks when omitted")] = None,
    bay: Annotated[int | None, typer.Option(help="show the cross-section of this bay")] = None,
) -> None:
    """The stacks as a grid: heights per bay and row, or one bay's boxes tier by tier."""
    from hubport.bootstrap import bootstrap
    from hubport.entrypoints import views

    hub = bootstrap()
    try:
        queries = hub.queries
        blocks = [hub.site.block(block)] if block else list(hub.site.blocks.values())
        for shown in blocks:
            if bay is None:
                heights = queries.stack_heights(shown.id)
                console.print(views.block_grid(hub.site, shown, heights))
            else:
                console.print(views.bay_section(shown, bay, queries.bay_section(shown.id, bay)))
        console.print(views.yard_summary(queries.yard_occupancy()))
    finally:
        hub.close()


@yard_app.command("plan")
def yard_plan(
    block: Annotated[str, typer.Argument(help="block id")],
    bay: Annotated[int, typer.Option(help="bay number: odd for 20', even for 40'")],
    premarshal: Annotated[
        bool, typer.Option(help="re-sort the bay instead of planning its retrieval")
    ] = False,
    variant: Annotated[Variant, typer.Option(help="retrieval: restricted or unrestricted")] = (
        Variant.RESTRICTED
    ),
    time_limit: Annotated[float, typer.Option(min=0.001, help="seconds of search")] = 2.0,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Plan one live bay: retrieve it in departure order, or pre-marshal it. Moves nothing."""
    from hubport.bootstrap import bootstrap
    from hubport.entrypoints import views
    from hubport.entrypoints.solve import yard_plan_rows
    from hubport.planning import brp, cpmp

    hub = bootstrap()
    try:
        plan = hub.queries.yard_bay(block, bay)
    finally:
        hub.close()
    if premarshal:
        sorted_plan = cpmp.solve(plan.bay_plan, time_limit)
        moves, count = sorted_plan.moves, sorted_plan.count
        bound, optimal = sorted_plan.lower_bound, sorted_plan.optimal
    else:
        retrieval = brp.solve(plan.distinct, variant, time_limit)
        moves, count = retrieval.moves, retrieval.relocations
        bound, optimal = retrieval.lower_bound, retrieval.optimal
    rows = yard_plan_rows(plan, moves)
    summary = {
        "block": block,
        "bay": bay,
        "problem": "pre-marshalling" if premarshal else f"retrieval ({variant.value})",
        "boxes": plan.bay_plan.boxes,
        "relocations": count,
        "lower_bound": bound,
        "optimal": optimal,
    }
    if as_json:
        print(json.dumps({**summary, "moves": rows}))
        return
    console.print(views.plan_table(summary, rows))


@container_app.command("show")
def container_show(
    number: Annotated[str, typer.Argument(help="ISO 6346 number")],
    as_json: Annotated[bool, typer.Option("--json", help="print it as JSON")] = False,
) -> None:
    """Where a box is, its facts and its full history."""
    from hubport.bootstrap import bootstrap
    from hubport.entrypoints import views

    hub = bootstrap()
    try:
        record = hub.queries.container(number)
        history = hub.queries.history(number)
    finally:
        hub.close()
    if as_json:
        print(json.dumps(views.container_data(record, history)))
        return
    console.print(views.container_card(record))
    console.print(views.history_table(record.container.number.value, history))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="the address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="the port to listen on")] = 8000,
    live: Annotated[
        bool,
        typer.Option(help="run the hub (runtime, virtual cranes) and the simulated world too"),
    ] = False,
    operate: Annotated[
        bool,
        typer.Option(
            "--operate", help="run the hub's runtime in this process too (virtual cranes)"
        ),
    ] = False,
    speed: Annotated[
        float, typer.Option(help="with --live: hub seconds per second of the hub's clock")
    ] = 60.0,
    admin: Annotated[
        str | None,
        typer.Option(help="make sure this admin user exists and print a new token for it"),
    ] = None,
) -> None:
    """Serve the web console (at /console/) and the HTTP API (under /api, OpenAPI at
    /api/openapi.json, docs at /api/docs); with --live the simulated hub runs day after day
    as it serves: trains arrive and the cranes move on screen."""
    import uvicorn

    from hubport.bootstrap import bootstrap
    from hubport.entrypoints.api import create_app

    hub = bootstrap()
    token = _admin_token(hub, admin) if admin else None
    if live:
        _start_live_hub(hub, speed, host, port)
    elif operate:
        from hubport.entrypoints.operate import start_in_thread

        start_in_thread("virtual", None)
        console.print("the hub's runtime runs in this process (virtual cranes)")
    console.print(f"hubport console on http://{host}:{port}/console/ (stop with Ctrl-C)")
    console.print(f"hubport API on http://{host}:{port}/api/docs")
    if token is not None:
        console.print(f"log in as {admin} (admin) with this token, shown once:")
        print(token, flush=True)
    try:
        uvicorn.run(create_app(hub), host=host, port=port, log_level="warning")
    finally:
        hub.close()


def _admin_token(hub: Hub, name: str) -> str:
    """A new token for the admin ``name``, added if it is not there yet."""
    from hubport.domain.access import new_token, token_digest
    from hubport.services.access_commands import AddUser, IssueToken

    token, expires = new_token(), hub.settings.token_expiry()
    known = hub.queries.user(name)
    if known is None:
        hub.bus.handle(AddUser(name, "admin", token_digest(token), token_expires_at=expires))
    elif known.role != "admin":
        raise HubportError(f"user {name!r} is a {known.role}, not an admin")
    else:
        hub.bus.handle(IssueToken(name, token_digest(token), expires))
    return token


def _start_live_hub(hub: Hub, speed: float, host: str, port: int) -> None:
    """The hub's runtime (virtual cranes, ``speed`` hub seconds a second) and the
    simulated world, each in a thread beside the server; the world talks to the server
    over HTTP, as any railway or gate portal would. Started again, both carry on where
    the store's record ends."""
    import threading
    import time

    from hubport.entrypoints.demo import FIRST_DAY
    from hubport.entrypoints.operate import start_in_thread
    from hubport.entrypoints.world import WORLD_ROLES, play_days
    from hubport.twin.client import HttpHubClient

    fresh = hub.queries.runtime_lease(hub.site.code) is None
    start_in_thread("virtual", speed, FIRST_DAY if fresh else None)
    token = _admin_token(hub, "twin-world")
    address = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    client = HttpHubClient(f"http://{address}:{port}", {role: token for role in WORLD_ROLES})

    def world() -> None:
        while True:
            try:
                play_days(client, hub.settings.seed, None)
            except (HubportError, OSError) as error:  # the server busy or restarting
                console.print(f"live: the world waits ({error})")
                time.sleep(2.0)

    threading.Thread(target=world, name="hubport-world", daemon=True).start()
    console.print(
        f"live: the runtime runs the hub at ×{speed:g} with virtual cranes; the simulated "
        "world sends it trains and trucks through the API"
    )


@app.command()
def demo(
    day: Annotated[
        int | None,
        typer.Option(min=1, help="day to run; default: resume the unfinished one or the next"),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="traffic seed (default HUBPORT_SEED)")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="PNG of the day (default: DATA_DIR/day-NNN.png)")
    ] = None,
    days: Annotated[int, typer.Option(min=1, help="how many days to run in this call")] = 1,
    hours: Annotated[
        float | None,
        typer.Option(
            min=0.5,
            max=48.0,
            help="stop this many hub hours into the day (the next run resumes it)",
        ),
    ] = None,
) -> None:
    """Days at the hub at its 2024 volume: 4 corridor trains in, 5 out (250 TEU), trucks,
    a barge. The world plays the traffic through the platform's interfaces; the runtime
    reacts and the virtual cranes move."""
    from hubport.config import Settings

    settings = Settings()
    chosen_seed = settings.seed if seed is None else seed
    if hours is not None and days != 1:
        raise typer.BadParameter("--hours stops within one day: it goes without --days")
    from hubport.entrypoints.demo_world import play

    play(settings, console, day, days, chosen_seed, plot, hours)


def main() -> None:
    """Entry point: hubport errors become one clear line and exit status 2. Whatever it
    creates (the store, logs, partner folders, plots) is readable by its owner only."""
    os.umask(0o077)
    try:
        app()
    except HubportError as error:
        errors.print(f"[red]error[/]: {error}", soft_wrap=True)
        sys.exit(2)


__all__ = ["app", "main"]
