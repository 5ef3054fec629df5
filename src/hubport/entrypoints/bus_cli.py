"""What the command line's writing commands share: one command on the hub's bus, and its
result printed as a table or as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()


def send(command: Any) -> dict[str, Any]:
    """Hand ``command`` to the hub's bus; its result."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        result: dict[str, Any] = hub.bus.handle(command).result
        return result
    finally:
        hub.close()


def hub_moment(text: str | None) -> datetime:
    """An ISO 8601 time typed at the command line (hub time unless it says); None: now."""
    from hubport.domain.errors import HubportError
    from hubport.domain.hub_time import HUB_TIME

    if text is None:
        return datetime.now(HUB_TIME)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise HubportError(f"{text!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HUB_TIME)


def print_result(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result))
        return
    table = Table(show_header=False)
    for key, value in result.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        table.add_row(key, shown)
    console.print(table)


__all__ = ["hub_moment", "print_result", "send"]
