"""``hubport appointment`` and ``hubport gate``: truck appointments and the automated
gate's transactions. Reads go through the query module, writes are bus commands."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hubport.entrypoints.bus_cli import hub_moment, print_result, send

appointment_app = typer.Typer(help="Truck appointments at the gate.", no_args_is_help=True)
gate_app = typer.Typer(help="The automated truck gate: in and out.", no_args_is_help=True)
console = Console()
Json = Annotated[bool, typer.Option("--json", help="print the result as JSON")]


@appointment_app.command("book")
def book(
    appointment: Annotated[str, typer.Argument(help="the appointment's id")],
    plate: Annotated[str, typer.Option(help="the truck's plate")],
    box: Annotated[str, typer.Option(help="the box it delivers or collects")],
    kind: Annotated[str, typer.Option(help="deliver or collect")] = "collect",
    at: Annotated[str | None, typer.Option(help="when (ISO 8601, hub time); default now")] = None,
    as_json: Json = False,
) -> None:
    """Book a truck into the window that holds AT; a full window names the next free one."""
    from hubport.domain.container import ContainerNumber
    from hubport.services.gate_commands import BookAppointment

    command = BookAppointment(appointment, plate, kind, ContainerNumber(box), hub_moment(at))
    print_result(send(command), as_json)


@appointment_app.command("change")
def change(
    appointment: Annotated[str, typer.Argument(help="the appointment")],
    at: Annotated[str, typer.Option(help="the new time (ISO 8601, hub time)")],
    as_json: Json = False,
) -> None:
    """Move an appointment to the window that holds AT."""
    from hubport.services.gate_commands import ChangeAppointment

    print_result(send(ChangeAppointment(appointment, hub_moment(at))), as_json)


@appointment_app.command("cancel")
def cancel(
    appointment: Annotated[str, typer.Argument(help="the appointment")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_json: Json = False,
) -> None:
    """Cancel an appointment (its place in the window frees up)."""
    from hubport.services.gate_commands import CancelAppointment

    print_result(send(CancelAppointment(appointment, reason)), as_json)


@appointment_app.command("list")
def listed(
    day: Annotated[str | None, typer.Option(help="the day (ISO date); default today")] = None,
    as_json: Json = False,
) -> None:
    """The day's appointments by window."""
    from hubport.bootstrap import bootstrap

    start = hub_moment(day).replace(hour=0, minute=0, second=0, microsecond=0)
    hub = bootstrap()
    try:
        found = hub.queries.appointments(start, start + timedelta(days=1))
    finally:
        hub.close()
    if as_json:
        print(json.dumps(found))
        return
    from hubport.domain.hub_time import HUB_TIME

    table = Table("appointment", "window", "plate", "kind", "box", "state", title=f"{start:%F}")
    for item in found:
        opens, closes = (datetime.fromisoformat(t).astimezone(HUB_TIME) for t in item["window"])
        window = f"{opens:%H:%M}-{closes:%H:%M}"
        plate, kind, number, state = item["plate"], item["kind"], item["box"], item["state"]
        table.add_row(item["appointment"], window, plate, kind, number, state)
    console.print(table)


@gate_app.command("in")
def gate_in(
    visit: Annotated[str, typer.Argument(help="the truck visit's id")],
    plate: Annotated[str, typer.Option(help="the plate the camera read")],
    appointment: Annotated[str, typer.Option(help="the appointment the driver gives")],
    read: Annotated[str, typer.Option(help="the container number the camera read")],
    confidence: Annotated[float, typer.Option(min=0.0, max=1.0, help="the read's confidence")],
    seal: Annotated[str | None, typer.Option(help="the seal number read")] = None,
    damage: Annotated[str, typer.Option(help="damage noted")] = "",
    spot: Annotated[str, typer.Option(help="the box's chassis spot: A, B or AB")] = "A",
    as_json: Json = False,
) -> None:
    """A truck at the in-gate: in, with its crane work planned, or to the exception lane
    with the reasons (exit status 3). A misread is suggested, never applied."""
    from hubport.services.gate_commands import TruckAtGate

    command = TruckAtGate(
        visit,
        plate,
        appointment,
        read,
        confidence,
        seal,
        damage,
        spot,  # type: ignore[arg-type]
    )
    result = send(command)
    print_result(result, as_json)
    if result["lane"] == "exception":
        raise typer.Exit(3)


@gate_app.command("out")
def gate_out(
    visit: Annotated[str, typer.Argument(help="the truck visit")],
    as_json: Json = False,
) -> None:
    """A truck at the out-gate; refused, with the reason, while a box on it is held or its
    charges are not settled (the amount and the payer named)."""
    from hubport.services.gate_commands import TruckLeaves

    print_result(send(TruckLeaves(visit)), as_json)
