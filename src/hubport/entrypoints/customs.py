"""``hubport customs``: declarations, holds, inspections and releases at the supervised
site. Writes are bus commands; each says its ``--role`` (only customs may hold, inspect
or release; roles come with the API's tokens, the rule lives in the service layer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hubport.entrypoints.bus_cli import print_result, send

customs_app = typer.Typer(
    help="Customs: declarations, arrival reports, holds, inspections, releases.",
    no_args_is_help=True,
)
console = Console()

Role = Annotated[str, typer.Option(help="who asks: operator, customs, shipper, viewer, admin")]
Legs = Annotated[
    list[str],
    typer.Option("--leg", help="a leg it covers, MODE:FROM:TO (sea, rail, river, road)"),
]


def _legs(texts: list[str]) -> tuple[Any, ...]:
    from hubport.domain.customs import Leg
    from hubport.domain.errors import HubportError

    legs = []
    for text in texts:
        parts = text.split(":")
        if len(parts) != 3:
            raise HubportError(f"--leg {text!r}: expected MODE:FROM:TO, e.g. rail:LAVTE:CNJGJ")
        legs.append(Leg(parts[0], parts[1].upper(), parts[2].upper()))
    return tuple(legs)


@customs_app.command("declare")
def declare(
    declaration: Annotated[str, typer.Argument(help="the declaration's id")],
    box: Annotated[list[str], typer.Option("--box", help="a box it covers (ISO 6346)")],
    leg: Legs,
    kind: Annotated[str, typer.Option(help="import, export or transit")] = "import",
    office: Annotated[str, typer.Option(help="customs office code")] = "CQJJ",
    role: Role = "operator",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Lodge a declaration (before the boxes arrive: an advance declaration). The arrival
    report follows by itself at the first box's set-down in the supervised area."""
    from hubport.domain.container import ContainerNumber
    from hubport.services.customs_commands import LodgeDeclaration

    numbers = tuple(ContainerNumber(n) for n in box)
    command = LodgeDeclaration(declaration, kind, numbers, _legs(leg), office, role=role)
    print_result(send(command), as_json)


@customs_app.command("continue")
def continue_transit(
    previous: Annotated[str, typer.Argument(help="the released transit declaration")],
    declaration: Annotated[str, typer.Argument(help="the next leg's declaration id")],
    leg: Legs,
    role: Role = "operator",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Carry a transit on to its next leg: boxes, office and kind come from the previous
    declaration; nothing is keyed again."""
    from hubport.services.customs_commands import ContinueTransit

    print_result(send(ContinueTransit(previous, declaration, _legs(leg), role=role)), as_json)


@customs_app.command("hold")
def hold(
    box: Annotated[str, typer.Argument(help="the box")],
    hold_id: Annotated[str, typer.Option("--id", help="the hold's id")],
    reason: Annotated[str, typer.Option(help="why")] = "customs hold",
    role: Role = "customs",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Hold a box: it may not be loaded on any train, barge or truck until lifted."""
    from hubport.domain.container import ContainerNumber
    from hubport.services.customs_commands import PlaceHold

    print_result(send(PlaceHold(ContainerNumber(box), hold_id, reason, role=role)), as_json)


@customs_app.command("lift")
def lift(
    hold_id: Annotated[str, typer.Argument(help="the hold or inspection order")],
    reason: Annotated[str, typer.Option(help="why")] = "cleared",
    role: Role = "customs",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Lift a hold or close an inspection."""
    from hubport.services.customs_commands import LiftHold

    print_result(send(LiftHold(hold_id, reason, role=role)), as_json)


@customs_app.command("inspect")
def inspect(
    declaration: Annotated[str, typer.Argument(help="the declaration")],
    box: Annotated[str, typer.Argument(help="the box to inspect")],
    hold_id: Annotated[str, typer.Option("--id", help="the inspection order's id")],
    reason: Annotated[str, typer.Option(help="why")] = "risk selection",
    role: Role = "customs",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Select a declared box for inspection: it is held until the inspection is lifted."""
    from hubport.domain.container import ContainerNumber
    from hubport.services.customs_commands import SelectForInspection

    command = SelectForInspection(declaration, ContainerNumber(box), hold_id, reason, role=role)
    print_result(send(command), as_json)


@customs_app.command("release")
def release(
    declaration: Annotated[str, typer.Argument(help="the declaration")],
    note: Annotated[str, typer.Option(help="the release's note")] = "",
    role: Role = "customs",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Release a declaration: its boxes may leave (those under an open hold stay held)."""
    from hubport.services.customs_commands import ReleaseDeclaration

    print_result(send(ReleaseDeclaration(declaration, note, role=role)), as_json)


@customs_app.command("status")
def status(
    what: Annotated[
        str | None, typer.Argument(help="a box or a declaration (default: the latest)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Where a box or a declaration stands with customs; without one, the latest
    declarations."""
    from hubport.bootstrap import bootstrap
    from hubport.domain.errors import HubportError

    hub = bootstrap()
    try:
        if what is None:
            listed = hub.queries.declarations()
            if as_json:
                print(json.dumps(listed))
                return
            table = Table("declaration", "kind", "state", "boxes", "legs", "lodged", "arrived")
            for item in listed:
                table.add_row(
                    item["declaration"],
                    item["kind"],
                    item["state"],
                    str(len(item["boxes"])),
                    ", ".join(item["legs"]),
                    item["lodged_at"][:16],
                    (item["arrived_at"] or "")[:16],
                )
            console.print(table)
            return
        found = hub.queries.declaration(what)
        if found is None:
            if len(what) != 11:
                raise HubportError(f"{what!r} is neither a declaration nor a container number")
            found = hub.queries.customs_of(what)
    finally:
        hub.close()
    print_result(found, as_json)


@customs_app.command("report")
def report(
    declaration: Annotated[str, typer.Argument(help="the declaration")],
    edifact: Annotated[bool, typer.Option(help="as CUSCAR-style EDIFACT, not JSON")] = False,
    to: Annotated[str, typer.Option(help="the customs' interchange id (UNB)")] = "CNCUSTOMS",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write")] = None,
) -> None:
    """The arrival report of a declaration, as the platform issued it (see
    docs/customs.md for both forms)."""
    from datetime import datetime

    from hubport.adapters.customs_messages import arrival_report_edifact, arrival_report_json
    from hubport.bootstrap import bootstrap
    from hubport.domain.errors import HubportError
    from hubport.domain.hub_time import HUB_TIME

    hub = bootstrap()
    try:
        found = hub.queries.declaration(declaration)
        if found is None:
            raise HubportError(f"no declaration {declaration!r}")
        transport = hub.queries.arrival_transport(found["boxes"])
        sender, location = hub.settings.edi_sender, hub.site.locode
    finally:
        hub.close()
    message = arrival_report_json(found, transport, sender, location)
    text = (
        arrival_report_edifact(message, to, datetime.now(HUB_TIME))
        if edifact
        else json.dumps(message, ensure_ascii=False, indent=2) + "\n"
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"{output}: arrival report of {declaration}")


@customs_app.command("receive")
def receive(
    file: Annotated[
        Path, typer.Argument(help="a customs response (JSON; a CUSRES goes by edi import)")
    ],
) -> None:
    """Apply a customs response (release, hold, lift, inspect); a repeated message id
    changes nothing."""
    from hubport.bootstrap import bootstrap
    from hubport.domain.errors import HubportError
    from hubport.services.customs_responses import response_command

    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise HubportError(f"cannot read {file}: {error.strerror}") from None
    command = response_command(text)
    hub = bootstrap()
    try:
        outcome = hub.bus.handle(command)
    finally:
        hub.close()
    state = "repeat: nothing changed" if outcome.repeat else "applied"
    console.print(f"{state}: {type(command).__name__} {json.dumps(outcome.result)}")
