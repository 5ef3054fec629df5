"""``hubport edi``: import and export EDIFACT messages, watch partner folders, quarantine."""

from __future__ import annotations

import getpass
import json
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hubport.adapters.edi.profiles import OUTBOUND_TYPES
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME

if TYPE_CHECKING:
    from hubport.services.edi_gateway import Receipt

# The store, the gateway and pydifact load only when a command runs (a fast --help).

edi_app = typer.Typer(help="EDIFACT messages in and out (SMDG profiles).", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


@edi_app.command("import")
def import_files(
    files: Annotated[list[Path], typer.Argument(help="interchange files", exists=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="say what would change; apply nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per file")] = False,
) -> None:
    """Validate and apply interchanges; a rejected one changes nothing and is quarantined."""
    from hubport.adapters.edi.folders import read_text
    from hubport.bootstrap import bootstrap
    from hubport.services.edi_speakers import Speaker

    hub = bootstrap()
    failed = False
    speaker = Speaker("cli", getpass.getuser(), "admin")
    try:
        gateway = hub.edi_gateway()
        for path in files:
            if not path.is_file():
                raise HubportError(f"{path}: no such file")
            receipt = gateway.receive(read_text(path), str(path), speaker=speaker, dry_run=dry_run)
            failed |= receipt.status in ("quarantined", "rejected")
            if as_json:
                console.print_json(json.dumps(receipt.as_json()))
            else:
                _print_receipt(receipt)
    finally:
        hub.close()
    if failed:
        raise typer.Exit(1)


@edi_app.command("export")
def export(
    message_type: Annotated[str, typer.Argument(help=f"one of {', '.join(OUTBOUND_TYPES)}")],
    visit: Annotated[str | None, typer.Option(help="the train visit")] = None,
    since: Annotated[
        str | None, typer.Option(help="events since this time (ISO 8601, hub time if no zone)")
    ] = None,
    to: Annotated[str, typer.Option(help="recipient's interchange id (UNB)")] = "PARTNER",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write")] = None,
) -> None:
    """Write a COARRI, CODECO, IFTSTA, COPRAR or BAPLIE from the platform's records."""
    start = _time(since) if since is not None else None
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        outbox = hub.edi_outbox()
        documents = outbox.documents(message_type, visit=visit, since=start)
        written = outbox.write(
            documents, to, datetime.now(HUB_TIME), str(output) if output else None
        )
    finally:
        hub.close()
    if output is None:
        typer.echo(written.text, nl=False)
    else:
        from hubport.adapters.edi.outbox import deliver

        deliver(written.text, output)
        lines = sum(len(document.equipment) for document in written.documents)
        errors.print(
            f"{output}: {len(written.documents)} {message_type.upper()} message(s), "
            f"{lines} container line(s), interchange {written.control_reference}"
        )


@edi_app.command("watch")
def watch(
    once: Annotated[
        bool, typer.Option("--once", help="process what is waiting, then stop")
    ] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="seconds between scans")] = 2.0,
) -> None:
    """Process files dropped into EDI_DIR/PARTNER/in, each exactly once."""
    from hubport.adapters.edi.folders import scan
    from hubport.bootstrap import bootstrap
    from hubport.config import Settings

    settings = Settings()
    root = settings.edi_root
    hub = bootstrap(settings)
    try:
        gateway = hub.edi_gateway()
        console.print(f"watching {root}/*/in")
        while True:
            scan(gateway.receive_from_folder, root, _print_receipt)
            if once:
                return
            _wait(root, interval)
    finally:
        hub.close()


@edi_app.command("quarantine")
def quarantine(
    show: Annotated[int | None, typer.Option(help="print one record's report and text")] = None,
) -> None:
    """Interchanges rejected and not yet resolved, with their reports."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        record = hub.edi_gateway().record
        if show is not None:
            entry = record.get(show)
            console.print(f"#{entry.id} {entry.status} from {entry.partner}: {entry.file_name}")
            console.print(entry.report or "(no report)", markup=False)
            console.print(entry.raw, markup=False, highlight=False)
            return
        table = Table("#", "received", "sender", "reference", "types", "file", "first problem")
        for entry in record.list(direction="in", status="quarantined"):
            first = (entry.report or "").splitlines()[:1]
            table.add_row(
                str(entry.id),
                f"{entry.at:%Y-%m-%d %H:%M}",
                entry.partner,
                entry.control_reference,
                entry.message_types,
                entry.file_name or "",
                first[0] if first else "",
            )
        console.print(table)
    finally:
        hub.close()


def _print_receipt(receipt: Receipt) -> None:
    colour = {"applied": "green", "recorded": "green", "repeat": "cyan", "would apply": "cyan"}
    style = colour.get(receipt.status, "red")
    console.print(
        f"[{style}]{receipt.status}[/]: {receipt.name} "
        f"(from {receipt.partner or '?'}, interchange {receipt.control_reference or '?'})"
    )
    for message in receipt.messages:
        console.print(f"  {message['message']}: {message['summary']}", markup=False)
    for label in ("announced", "updated", "unchanged"):
        numbers = getattr(receipt, label)
        if numbers:
            console.print(
                f"  {label}: {len(numbers)} ({', '.join(numbers[:8])}"
                f"{', …' if len(numbers) > 8 else ''})"
            )
    for warning in receipt.warnings:
        console.print(f"  [yellow]![/] {escape(warning)}", soft_wrap=True, highlight=False)
    for note in receipt.notes:
        console.print(f"  [yellow]![/] {escape(note)}", soft_wrap=True, highlight=False)
    if receipt.crane_jobs:
        console.print(f"  crane jobs planned: {len(receipt.crane_jobs)}")
    for problem in receipt.problems:
        console.print(f"  [red]✗[/] {problem}", soft_wrap=True, highlight=False)
    if receipt.status == "repeat":
        console.print("  already applied: nothing changed")


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise HubportError(f"--since {text!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HUB_TIME)


def _wait(root: Path, interval: float) -> None:
    """Sleep until something changes under ``root`` or ``interval`` passes."""
    try:
        from watchfiles import watch as watch_changes
    except ImportError:  # pragma: no cover - watchfiles is a dependency
        time.sleep(interval)
        return
    root.mkdir(parents=True, exist_ok=True)
    for _changes in watch_changes(root, rust_timeout=int(interval * 1000), yield_on_timeout=True):
        return
