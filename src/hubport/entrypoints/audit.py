"""``hubport check`` and ``hubport audit``: is the store sound, and who did what and when."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()
errors = Console(stderr=True)


def check() -> None:
    """Rebuild the inventory from the event log, compare with the store, check every rule."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        report = hub.queries.audit()
        deliveries, futures = hub.futures().queries.audit()
        invoices, billing = hub.billing().queries.audit()
        futures = [*futures, *billing]
    finally:
        hub.close()
    if report.sound and not futures:
        console.print(
            f"[green]sound[/]: {report.events} events replayed, {report.containers} containers "
            f"({report.in_hub} in the hub), every invariant holds; {deliveries} log-futures "
            f"deliveries agree with their events; the billing ledger equals the charges "
            f"recomputed from the log, and {invoices} invoices their lines"
        )
        return
    for violation in [*report.violations, *futures]:
        errors.print(f"[red]violation[/]: {violation}")
    for item in report.stuck:
        errors.print(f"[red]stuck[/]: {item}")
    errors.print(
        f"[red]not sound[/]: {len(report.violations) + len(futures)} violation(s), "
        f"{len(report.stuck)} stuck item(s)"
    )
    raise typer.Exit(1)


def audit_trail(
    box: Annotated[str | None, typer.Option(help="one box's events")] = None,
    user: Annotated[str | None, typer.Option(help="one user's or machine's events")] = None,
    since: Annotated[
        str | None, typer.Option(help="events from this time (ISO 8601, hub time if no zone)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON list")] = False,
) -> None:
    """Who did what and when: events with their author, role, channel and changed fields."""
    from hubport.bootstrap import bootstrap
    from hubport.entrypoints.bus_cli import hub_moment

    start = hub_moment(since) if since is not None else None
    hub = bootstrap()
    try:
        trail = hub.queries.audit_trail(box.upper() if box else None, user, start, limit)
    finally:
        hub.close()
    if as_json:
        print(json.dumps([entry.as_json() for entry in trail]))
        return
    table = Table(title="audit trail, newest first")
    for column in ("at", "event", "box", "author", "role", "channel", "changes"):
        table.add_column(column)
    for entry in trail:
        changes = "; ".join(f"{k}: {a} → {b}" for k, (a, b) in entry.changes.items())
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M:%S") if entry.at else "-",
            entry.event,
            entry.box or "-",
            entry.author or "-",
            entry.role or "-",
            entry.channel or "-",
            changes or "-",
        )
    console.print(table)


__all__ = ["audit_trail", "check"]
