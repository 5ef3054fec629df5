"""The audit behind ``hubport check``: replay the event log and compare with the store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hubport.domain.events import Event
from hubport.domain.invariants import violations
from hubport.domain.inventory import Inventory
from hubport.domain.places import StackKey
from hubport.domain.site import Site
from hubport.domain.stacks import StackSummary


@dataclass
class AuditReport:
    """What the audit looked at and every discrepancy it found."""

    events: int = 0
    containers: int = 0
    in_hub: int = 0
    violations: list[str] = field(default_factory=list)
    #: Work that is stuck (a box on a failed crane's spreader, a job long overdue, a train
    #: past its departure with work open): not a broken record, but not sound either.
    stuck: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.violations and not self.stuck


def audit(
    site: Site,
    events: Iterable[Event],
    stored: Inventory,
    stored_occupancy: dict[str, str],
    stored_summaries: Mapping[StackKey, StackSummary] | None = None,
) -> AuditReport:
    """Rebuild the inventory from ``events`` and compare it with ``stored``, field by field;
    the stored stack summaries (when given) must match the boxes standing in each stack."""
    report = AuditReport()
    replayed = Inventory(site)
    for event in events:
        replayed.apply(event)
        report.events += 1
    report.containers = len(stored.records)
    report.in_hub = sum(1 for _ in stored.in_hub())
    found = report.violations
    found.extend(f"replayed: {problem}" for problem in violations(replayed))
    found.extend(f"stored: {problem}" for problem in violations(stored))
    occupancy = stored.occupancy()
    if stored_occupancy != occupancy:
        for position in sorted(set(stored_occupancy) | set(occupancy)):
            table, derived = stored_occupancy.get(position), occupancy.get(position)
            if table != derived:
                found.append(
                    f"occupancy table has {table} at {position}, container places say {derived}"
                )
    if stored_summaries is not None:
        computed = stored.stack_summaries()
        for stack in sorted(set(computed) | set(stored_summaries)):
            if computed.get(stack) != stored_summaries.get(stack):
                found.append(
                    f"stack {stack}: summary table says {stored_summaries.get(stack)}, "
                    f"the boxes say {computed.get(stack)}"
                )
    expected, actual = replayed.snapshot(), stored.snapshot()
    for part in ("containers", "trains", "trucks", "vessels"):
        want, have = expected[part], actual[part]
        if not isinstance(want, dict) or not isinstance(have, dict):
            continue
        for key in sorted(set(want) | set(have)):
            if key not in have:
                found.append(f"{part}: {key} is in the event log but not in the store")
            elif key not in want:
                found.append(f"{part}: {key} is in the store but no event put it there")
            elif want[key] != have[key]:
                found.append(f"{part}: {key} is {have[key]} in the store, the log says {want[key]}")
    return report
