"""``hubport vessel`` and ``hubport shuttle``: barge and ship calls at the river port, and
the shuttle trucks between the port and the rail station. Reads go through the query
module, writes are bus commands."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hubport.entrypoints.bus_cli import hub_moment, print_result, send

vessel_app = typer.Typer(help="Barge and ship calls at the river port.", no_args_is_help=True)
shuttle_app = typer.Typer(
    help="Shuttle trucks between the river port and the rail station.", no_args_is_help=True
)
console = Console()
Json = Annotated[bool, typer.Option("--json", help="print the result as JSON")]
Call = Annotated[str, typer.Argument(help="the vessel call")]
Shuttle = Annotated[str, typer.Argument(help="the shuttle's visit id")]
ChassisSpot = Annotated[str, typer.Option(help="the shuttle's spot: A, B (20') or AB (40')")]


@vessel_app.command("call")
def call(
    call_id: Call,
    vessel: Annotated[str, typer.Option(help="the vessel's name")],
    voyage: Annotated[str, typer.Option(help="the voyage number (a BAPLIE's TDT names it)")],
    berth: Annotated[str, typer.Option(help="the berth (see the site's [river_port])")],
    eta: Annotated[str, typer.Option(help="berth window start (ISO 8601, hub time)")],
    etd: Annotated[str, typer.Option(help="berth window end (ISO 8601, hub time)")],
    kind: Annotated[str, typer.Option(help="barge or ship")] = "barge",
    length: Annotated[float, typer.Option(help="length overall, m")] = 90.0,
    origin: Annotated[str | None, typer.Option(help="previous port (UN/LOCODE)")] = None,
    destination: Annotated[str | None, typer.Option(help="next port (UN/LOCODE)")] = None,
    operator: Annotated[str, typer.Option(help="who runs the service")] = "",
    load: Annotated[list[str] | None, typer.Option(help="a box on its load list")] = None,
    as_json: Json = False,
) -> None:
    """Plan a call in its berth window; refused when the berth is taken or too short."""
    from hubport.domain.container import ContainerNumber
    from hubport.domain.river import VesselCall
    from hubport.services.river_commands import RegisterVesselCall

    planned = VesselCall(
        call_id,
        vessel,
        kind,  # type: ignore[arg-type]
        voyage,
        berth,
        hub_moment(eta),
        hub_moment(etd),
        length_m=length,
        operator=operator,
        origin=origin,
        destination=destination,
    )
    numbers = tuple(ContainerNumber(number) for number in load or ())
    print_result(send(RegisterVesselCall(planned, numbers)), as_json)


@vessel_app.command("bayplan")
def bay_plan(
    call_id: Call,
    cell: Annotated[
        list[str], typer.Option(help="BOX=BBBRRTT: a box aboard for the hub and its cell")
    ],
    as_json: Json = False,
) -> None:
    """Give the boxes the call brings and their cells (a BAPLIE does this by itself)."""
    from hubport.domain.container import ContainerNumber
    from hubport.domain.errors import HubportError
    from hubport.domain.places import VesselCell, parse_place
    from hubport.services.river_commands import RecordBayPlan

    cells = []
    for item in cell:
        number, _, position = item.partition("=")
        place = parse_place(f"vessel:{call_id}:{position}")
        if not isinstance(place, VesselCell):
            raise HubportError(f"{item!r}: expected BOX=BBBRRTT")
        cells.append((ContainerNumber(number), place))
    print_result(send(RecordBayPlan(call_id, tuple(cells))), as_json)


@vessel_app.command("berth")
def berth(call_id: Call, as_json: Json = False) -> None:
    """The vessel is alongside: the boxes of its bay plan are aboard at their cells."""
    from hubport.services.river_commands import BerthVessel

    print_result(send(BerthVessel(call_id)), as_json)


@vessel_app.command("discharge")
def discharge(
    box: Annotated[str, typer.Argument(help="the box")],
    shuttle: Annotated[str, typer.Option(help="the shuttle at the vessel's side")],
    spot: ChassisSpot = "A",
    as_json: Json = False,
) -> None:
    """Lift a box off the vessel onto a shuttle (its arrival report goes out by itself)."""
    from hubport.domain.container import ContainerNumber
    from hubport.services.river_commands import DischargeVessel

    print_result(send(DischargeVessel(ContainerNumber(box), shuttle, spot)), as_json)  # type: ignore[arg-type]


@vessel_app.command("load")
def load(
    box: Annotated[str, typer.Argument(help="the box, on a shuttle at the river port")],
    cell: Annotated[str, typer.Option(help="the cell: vessel:CALL:BBBRRTT")],
    as_json: Json = False,
) -> None:
    """Lift a box off a shuttle into a cell; refused under a customs hold."""
    from hubport.domain.container import ContainerNumber
    from hubport.domain.errors import HubportError
    from hubport.domain.places import VesselCell, parse_place
    from hubport.services.river_commands import LoadVessel

    place = parse_place(cell)
    if not isinstance(place, VesselCell):
        raise HubportError(f"{cell!r} is not a vessel cell (vessel:CALL:BBBRRTT)")
    print_result(send(LoadVessel(ContainerNumber(box), place)), as_json)


@vessel_app.command("depart")
def depart(call_id: Call, as_json: Json = False) -> None:
    """The vessel leaves with every box aboard."""
    from hubport.services.river_commands import DepartVessel

    print_result(send(DepartVessel(call_id)), as_json)


@vessel_app.command("show")
def show(
    call_id: Annotated[str | None, typer.Argument(help="a call (default: every call)")] = None,
    departed: Annotated[bool, typer.Option(help="list departed calls too")] = False,
    as_json: Json = False,
) -> None:
    """The calls in their berth windows, or one call with its bay plan and boxes aboard."""
    from hubport.bootstrap import bootstrap
    from hubport.domain.errors import HubportError

    hub = bootstrap()
    try:
        if call_id is not None:
            found = hub.queries.vessel_call(call_id)
            if found is None:
                raise HubportError(f"no vessel call {call_id!r} is known")
            calls = [found]
        else:
            calls = hub.queries.vessel_calls(include_departed=departed)
    finally:
        hub.close()
    if as_json:
        print(json.dumps(calls if call_id is None else calls[0]))
        return
    table = Table(title="vessel calls (boxes in: bay plan; out: load list)")
    for name in ("call", "berth window (hub)", "vessel", "berth", "state", "in", "out"):
        table.add_column(name, no_wrap=name != "vessel")
    for each in calls:
        start, end = (datetime.fromisoformat(moment) for moment in each["window"])
        table.add_row(
            each["call"],
            f"{start:%m-%d %H:%M}–{end:%H:%M}",
            f"{each['vessel']} ({each['kind']}, {each['voyage']})",
            each["berth"],
            each["state"],
            str(len(each["bay_plan"])),
            str(len(each["load_list"])),
        )
    console.print(table)


@shuttle_app.command("start")
def start(
    visit: Shuttle,
    plate: Annotated[str, typer.Option(help="the truck's plate")],
    at: Annotated[str, typer.Option(help="river_port or station")] = "river_port",
    as_json: Json = False,
) -> None:
    """A shuttle starts a trip at one end of the road."""
    from hubport.services.river_commands import StartShuttle

    print_result(send(StartShuttle(visit, plate, at)), as_json)  # type: ignore[arg-type]


@shuttle_app.command("drive")
def drive(visit: Shuttle, as_json: Json = False) -> None:
    """The shuttle leaves for the other end of the road, with its boxes."""
    from hubport.services.river_commands import DriveShuttle

    print_result(send(DriveShuttle(visit)), as_json)


@shuttle_app.command("arrive")
def arrive(visit: Shuttle, as_json: Json = False) -> None:
    """The shuttle reaches its end; at the station its boxes get their crane jobs."""
    from hubport.services.river_commands import ShuttleArrives

    print_result(send(ShuttleArrives(visit)), as_json)


@shuttle_app.command("send")
def send_box(
    box: Annotated[str, typer.Argument(help="a box in the station's yard")],
    shuttle: Annotated[str, typer.Option(help="the shuttle waiting at the station")],
    spot: ChassisSpot = "A",
    as_json: Json = False,
) -> None:
    """Plan the crane job that puts a yard box on a shuttle for the river port."""
    from hubport.domain.container import ContainerNumber
    from hubport.services.river_commands import SendToRiverPort

    print_result(send(SendToRiverPort(ContainerNumber(box), shuttle, spot)), as_json)  # type: ignore[arg-type]


@shuttle_app.command("end")
def end(visit: Shuttle, as_json: Json = False) -> None:
    """The shuttle's trip is over (it must be empty)."""
    from hubport.services.river_commands import EndShuttle

    print_result(send(EndShuttle(visit)), as_json)


@shuttle_app.command("list")
def listed(as_json: Json = False) -> None:
    """The shuttles on their trips: where each is and what it carries."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        shuttles = hub.queries.shuttles()
    finally:
        hub.close()
    if as_json:
        print(json.dumps(shuttles))
        return
    table = Table("shuttle", "plate", "where", "boxes")
    for each in shuttles:
        where = each["location"]
        if where == "road":
            where = f"on the road to the {each['bound_for']}"
        table.add_row(each["shuttle"], each["plate"], where, ", ".join(each["boxes"]))
    console.print(table)


__all__ = ["shuttle_app", "vessel_app"]
