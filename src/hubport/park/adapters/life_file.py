"""Reading the request life's state table (TOML) into a ``StateTable``."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from importlib import resources
from pathlib import Path

from hubport.park.domain.errors import StateTableError
from hubport.park.domain.life import StateTable, Transition, state_named

SHIPPED = "park-request-life.toml"


def read_state_table(path: Path | None = None) -> StateTable:
    """The state table in ``path``, or the shipped one."""
    if path is None:
        text = resources.files("hubport.sites").joinpath(SHIPPED).read_text(encoding="utf-8")
        where = SHIPPED
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise StateTableError(f"state table {path}: {error.strerror}") from None
        where = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StateTableError(f"state table {where}: {error}") from None
    transitions: list[Transition] = []
    for index, entry in enumerate(data.get("transitions", []), start=1):
        place = f"{where} [[transitions]] #{index}"
        try:
            source = state_named(str(entry["from"]), place)
            targets = [state_named(str(t), place) for t in entry["to"]]
            roles = frozenset(str(r) for r in entry["roles"])
        except KeyError as error:
            raise StateTableError(f"{place}: missing {error.args[0]!r}") from None
        transitions.extend(Transition(source, target, roles) for target in targets)
    limits = {
        state_named(name, f"{where} [limits_hours]"): timedelta(hours=float(hours))
        for name, hours in data.get("limits_hours", {}).items()
    }
    return StateTable.of(transitions, limits)


__all__ = ["SHIPPED", "read_state_table"]
