"""``hubport futures``: the log delivery site. ``volume`` and ``tally`` measure (pure, no
store needed); the delivery commands go through the futures service on the hub's store."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hubport.services.commands import Command

futures_app = typer.Typer(
    help="Log futures delivered on the vehicle (车板交割): measure, match, book, hand over.",
    no_args_is_help=True,
)
console = Console()

AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]


def _number(value: Decimal) -> float | int:
    """A volume for JSON: a number, exact to the table's decimals."""
    return int(value) if value == value.to_integral_value() else float(value)


@futures_app.command("volume")
def volume(
    length: Annotated[str, typer.Option("--length", help="checked length L, metres")],
    diameter: Annotated[str, typer.Option("--diameter", help="checked diameter D, centimetres")],
    as_json: AsJson = False,
) -> None:
    """One log's volume by GB/T 4814 (the table's value: 3 decimals, 4 below 8 cm)."""
    from hubport.futures.domain.volume import Log

    log = Log.measured(length, diameter)
    value = log.volume_m3()
    if as_json:
        print(json.dumps({"volume_m3": _number(value)}))
        return
    console.print(f"L {log.length_m} m, D {log.diameter_cm} cm: [bold]{value}[/] m³ (GB/T 4814)")


@futures_app.command("tally")
def tally(
    file: Annotated[
        Path,
        typer.Argument(help="CSV: species,length_m,diameter_cm[,piece,defects,inspector,photo]"),
    ],
    target: Annotated[
        str | None, typer.Option("--target-m3", help="judge against a matched volume (m³)")
    ] = None,
    site_file: Annotated[
        Path | None, typer.Option("--site", help="delivery site file (default: Luohuang)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """A measuring station's tally: pieces and total volume, by species; with
    ``--target-m3``, the inspection's verdict by the site's quality rules."""
    from hubport.futures.adapters.site_file import read_delivery_site
    from hubport.futures.adapters.tally_file import read_tally_file
    from hubport.futures.domain.errors import InvalidTally
    from hubport.futures.domain.inspection import inspect

    document = read_tally_file(file)
    counted = document.tally
    result: dict[str, object] = {
        "pieces": len(counted.pieces),
        "volume_m3": _number(counted.volume_m3),
        "by_species": {k: _number(v) for k, v in counted.volume_by_species().items()},
        "sha256": document.sha256,
    }
    if target is not None:
        try:
            target_m3 = Decimal(target)
        except ArithmeticError:
            raise InvalidTally(f"--target-m3 {target!r} is not a number") from None
        if not target_m3 > 0:
            raise InvalidTally(f"--target-m3 {target} must be positive")
        verdict = inspect(counted, target_m3, read_delivery_site(site_file).quality)
        result["inspection"] = {
            "passed": verdict.passed,
            "accepted_m3": _number(verdict.tallied_m3),
            "target_m3": _number(target_m3),
            "rejected_pieces": verdict.rejected_pieces,
            "reasons": list(verdict.reasons),
        }
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    table = Table("species", "m³", title=f"{file.name}: {len(counted.pieces)} pieces")
    for species, total in counted.volume_by_species().items():
        table.add_row(species, str(total))
    table.add_row("[bold]total[/]", f"[bold]{counted.volume_m3}[/]")
    console.print(table)
    if "inspection" in result:
        console.print(result["inspection"])


# -- the deliveries (on the hub's store) ---------------------------------------------------

Role = Annotated[str, typer.Option(help="who asks: exchange, member, operator, inspector or admin")]
Party = Annotated[str | None, typer.Option(help="a member's code (with --role member)")]


def _send(command: Command, as_json: bool) -> None:
    from hubport.bootstrap import bootstrap
    from hubport.entrypoints.bus_cli import print_result

    hub = bootstrap()
    try:
        print_result(hub.futures().bus.handle(command).result, as_json)
    finally:
        hub.close()


def _day(text: str, name: str) -> date:
    from hubport.futures.domain.errors import FuturesError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FuturesError(f"{name} {text!r} is not a day such as 2025-09-16") from None


@futures_app.command("match")
def match(
    delivery: Annotated[str, typer.Argument(help="the delivery's id (the exchange's)")],
    contract: Annotated[str, typer.Option(help="e.g. LG2509")],
    lots: Annotated[int, typer.Option(help="lots of 90 m³")],
    buyer: Annotated[str, typer.Option(help="the buyer's member code")],
    seller: Annotated[str, typer.Option(help="the seller's member code")],
    settlement_day: Annotated[str, typer.Option("--settlement-day", help="S, YYYY-MM-DD")],
    price: Annotated[str, typer.Option(help="delivery settlement price, CNY/m³")],
    matched_on: Annotated[
        str | None, typer.Option("--matched-on", help="D (default: today, hub time)")
    ] = None,
    role: Role = "exchange",
    as_json: AsJson = False,
) -> None:
    """Record the exchange's match of a seller's delivery intention with a buyer."""
    from hubport.futures.services.commands import MatchDelivery

    settlement = _day(settlement_day, "--settlement-day")
    _send(
        MatchDelivery(
            delivery,
            role=role,
            contract=contract,
            lots=lots,
            buyer=buyer,
            seller=seller,
            matched_on=_day(matched_on, "--matched-on") if matched_on else _today(),
            settlement_day=settlement,
            price_cny_per_m3=_decimal(price, "--price"),
            idempotency_key=f"match:{delivery}",
        ),
        as_json,
    )


@futures_app.command("book")
def book(
    delivery: Annotated[str, typer.Argument()],
    spot: Annotated[str, typer.Option(help="TRACK/SPOT, e.g. LH1/A")],
    start: Annotated[str, typer.Option(help="ISO time (hub time unless it says)")],
    end: Annotated[str, typer.Option(help="ISO time")],
    wagon: Annotated[list[str], typer.Option("--wagon", help="a wagon load TYPE:M3, e.g. C70:60")],
    role: Role = "operator",
    party: Party = None,
    as_json: AsJson = False,
) -> None:
    """Book a loading spot and window for the delivery's wagons."""
    from hubport.entrypoints.bus_cli import hub_moment
    from hubport.futures.domain.errors import FuturesError
    from hubport.futures.domain.slots import WagonLoad
    from hubport.futures.services.commands import BookSlot

    track, _, name = spot.partition("/")
    if not name:
        raise FuturesError(f"--spot {spot!r}: write TRACK/SPOT, e.g. LH1/A")
    loads = []
    for text in wagon:
        kind, _, volume = text.partition(":")
        loads.append(WagonLoad(kind, _decimal(volume, f"--wagon {text}")))
    command = BookSlot(
        delivery,
        role=role,
        party=party,
        track=track,
        spot=name,
        start=hub_moment(start),
        end=hub_moment(end),
        loads=tuple(loads),
    )
    _send(command, as_json)


@futures_app.command("arrive")
def arrive(
    delivery: Annotated[str, typer.Argument()],
    carrier: Annotated[list[str], typer.Option("--carrier", help="a wagon or truck")],
    role: Role = "operator",
    as_json: AsJson = False,
) -> None:
    """The seller's goods stand at the site."""
    from hubport.futures.services.commands import RecordArrival

    _send(RecordArrival(delivery, role=role, carriers=tuple(carrier)), as_json)


@futures_app.command("inspect")
def inspect_delivery(
    delivery: Annotated[str, typer.Argument()],
    file: Annotated[Path, typer.Argument(help="the measuring station's tally CSV")],
    inspector: Annotated[str, typer.Option(help="who measured and judged")],
    role: Role = "inspector",
    as_json: AsJson = False,
) -> None:
    """Record the tally and the inspection's verdict (a failure opens a dispute)."""
    from hubport.futures.adapters.tally_file import read_tally_file
    from hubport.futures.services.commands import RecordTally

    document = read_tally_file(file)
    command = RecordTally(
        delivery,
        role=role,
        document=document.text,
        inspector=inspector,
        idempotency_key=f"tally:{delivery}:{document.sha256}",
    )
    _send(command, as_json)


@futures_app.command("sign")
def sign(
    delivery: Annotated[str, typer.Argument()],
    party: Annotated[str, typer.Option(help="the signing member's code")],
    as_json: AsJson = False,
) -> None:
    """A member signs the handover; the second signature makes it final."""
    from hubport.futures.services.commands import SignHandover

    _send(SignHandover(delivery, role="member", party=party), as_json)


@futures_app.command("dispute")
def dispute(
    delivery: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="why")],
    role: Role = "member",
    party: Party = None,
    as_json: AsJson = False,
) -> None:
    """Contest a delivery (its inspection, its volume)."""
    from hubport.futures.services.commands import RaiseDispute

    _send(RaiseDispute(delivery, role=role, party=party, reason=reason), as_json)


@futures_app.command("pay")
def pay(
    delivery: Annotated[str, typer.Argument()],
    milestone: Annotated[str, typer.Option(help="e.g. 'first payment'")],
    role: Role = "exchange",
    as_json: AsJson = False,
) -> None:
    """Record the exchange's payment of a milestone to the seller."""
    from hubport.futures.services.commands import RecordPayment

    _send(RecordPayment(delivery, role=role, milestone=milestone), as_json)


@futures_app.command("default")
def default(
    delivery: Annotated[str, typer.Argument()],
    party: Annotated[str, typer.Option(help="the member in default")],
    reason: Annotated[str, typer.Option(help="why")],
    role: Role = "exchange",
    as_json: AsJson = False,
) -> None:
    """Declare a party in default (the exchange's decision on a dispute)."""
    from hubport.futures.services.commands import DeclareDefault

    _send(DeclareDefault(delivery, role=role, defaulter=party, reason=reason), as_json)


@futures_app.command("list")
def list_deliveries(
    state: Annotated[str | None, typer.Option(help="only this state")] = None,
    as_json: AsJson = False,
) -> None:
    """The deliveries, with their state and the deadline each waits on."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        rows = hub.futures().queries.deliveries(state)
    finally:
        hub.close()
    if as_json:
        print(json.dumps([_row_json(row) for row in rows]))
        return
    table = Table("delivery", "contract", "lots", "buyer", "seller", "S", "state", "deadline")
    for row in rows:
        due = "" if row.deadline_at is None else f"{row.deadline} {_hub(row.deadline_at)}"
        table.add_row(
            row.id,
            row.contract,
            str(row.lots),
            row.buyer,
            row.seller,
            str(row.settlement_day),
            row.state,
            due,
        )
    console.print(table)


@futures_app.command("report")
def report(
    day: Annotated[str, typer.Option(help="the hub day, YYYY-MM-DD")],
    out: Annotated[Path | None, typer.Option(help="folder for the CSV and JSON files")] = None,
    as_json: AsJson = False,
) -> None:
    """The daily report to the exchange: deliveries, volumes, disputes (CSV and JSON)."""
    from hubport.bootstrap import bootstrap
    from hubport.futures.adapters.report_files import report_json, write_report

    hub = bootstrap()
    try:
        daily = hub.futures().queries.daily_report(_day(day, "--day"))
    finally:
        hub.close()
    if out is not None:
        written = write_report(daily, out)
        if not as_json:
            for path in written:
                console.print(f"wrote {path}", highlight=False)
    if as_json:
        print(json.dumps(report_json(daily), ensure_ascii=False))
        return
    table = Table(
        *("delivery", "state", "matched m³", "handed over m³", "disputes"),
        title=f"{daily.site} {daily.day}",
    )
    for line in daily.lines:
        table.add_row(
            line.delivery,
            line.state,
            str(line.matched_m3),
            str(line.handed_over_m3 or ""),
            str(line.disputes),
        )
    console.print(table)


def _row_json(row: object) -> dict[str, object]:
    from dataclasses import asdict

    data = asdict(row)  # type: ignore[call-overload]
    return {key: str(value) if value is not None else None for key, value in data.items()}


def _today() -> date:
    from hubport.domain.hub_time import HUB_TIME

    return datetime.now(HUB_TIME).date()


def _hub(moment: datetime) -> str:
    from hubport.domain.hub_time import HUB_TIME

    return f"{moment.astimezone(HUB_TIME):%Y-%m-%d %H:%M}"


def _decimal(text: str, name: str) -> Decimal:
    from decimal import InvalidOperation

    from hubport.futures.domain.errors import FuturesError

    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FuturesError(f"{name}: {text!r} is not a number") from None
    if not value.is_finite():
        raise FuturesError(f"{name}: {text!r} is not a finite number")
    return value
