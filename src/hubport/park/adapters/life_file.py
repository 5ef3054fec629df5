"""Reading the request life's state table (TOML) into a ``StateTable``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hubport.adapters.toml_files import read_toml
from hubport.park.domain.errors import StateTableError
from hubport.park.domain.life import StateTable, Transition, state_named

SHIPPED = "park-request-life.toml"


def read_state_table(path: Path | None = None) -> StateTable:
    """The state table in ``path``, or the shipped one."""
    data, where = read_toml(path, SHIPPED, "state table", StateTableError)
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
