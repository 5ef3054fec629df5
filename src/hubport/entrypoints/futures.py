"""``hubport futures``: the log delivery site. ``volume`` and ``tally`` measure (pure, no
store needed); the delivery commands go through the futures service on the hub's store."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

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
