"""What a twin run answers with (``--json``, ``result.json``): the scenario as run, the
whole run's totals and months, and the measured period's KPIs. One run and a run in
parts answer alike."""

from __future__ import annotations

from typing import Any

from hubport.twin.run_kpis import RunLog, by_month, kpis, totals
from hubport.twin.scenario import Scenario


def run_answer(scenario: Scenario, log: RunLog) -> dict[str, Any]:
    """The answer of ``scenario`` run into ``log`` (whose ``warmup_s`` is the part not
    measured), apart from where and how long it ran."""
    first = scenario.played_from
    figures = kpis(log.after(log.warmup_s))
    return {
        "scenario": scenario.name,
        "title": scenario.title,
        "seed": scenario.seed,
        "seeds": dict(scenario.seeds),
        "start": first.date().isoformat(),
        "days": scenario.days,
        "warmup_days": scenario.warmup_days,
        "cranes": log.cranes,
        "volume": scenario.volume.multiplier,
        "load_plan_s": scenario.planning.load_plan_s,
        # the totals are the whole run's; the KPIs, the measured period's
        "totals": totals(log),
        "months": by_month(log, first),
        "kpis": {name: round(value, 4) for name, value in figures.items()},
        "futures_deliveries": log.deliveries,
    }


__all__ = ["run_answer"]
