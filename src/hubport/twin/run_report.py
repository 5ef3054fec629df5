"""The Markdown report of a twin run: its totals beside the scenario's targets, its KPIs,
and links to its pictures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

#: How each KPI reads in the report (docs/twin.md gives the formulas).
LABELS = {
    "trains_handled": "trains handled (left the hub)",
    "trains_on_time_share": "trains on time (work done by the due time)",
    "teu_out": "TEU sent (corridor)",
    "teu_in": "TEU received",
    "crane_moves": "crane moves",
    "moves_per_crane_hour": "moves per crane-hour",
    "crane_utilisation": "crane utilisation (busy share)",
    "relocations_per_retrieval": "relocations per retrieval",
    "train_dwell_h_mean": "train dwell on its track, mean (h)",
    "train_handling_h_mean": "train handling, first to last move, mean (h)",
    "train_handling_h_p95": "train handling, 95th percentile (h)",
    "train_track_wait_h_mean": "train wait for a track, mean (h)",
    "track_utilisation": "track utilisation",
    "truck_visits": "truck visits",
    "trucks_turned_away": "trucks turned away",
    "truck_turn_min_mean": "truck turn time, mean (min)",
    "truck_turn_min_p95": "truck turn time, 95th percentile (min)",
    "gate_queue_mean": "trucks inside the gate, hourly mean",
    "gate_queue_max": "trucks inside the gate, hourly max",
    "gate_utilisation": "gate utilisation (trucks let in / its windows' capacity)",
    "yard_occupancy_mean": "yard occupancy, mean share",
    "yard_occupancy_max": "yard occupancy, max share",
    "customs_release_h_mean": "customs: train arrival to release, mean (h)",
    "customs_release_h_p95": "customs: arrival to release, 95th percentile (h)",
}


def run_report(
    result: Mapping[str, Any], targets: Mapping[str, float], pictures: Sequence[Path]
) -> str:
    """The report's Markdown (pictures linked by their names, beside the report)."""
    totals, figures = result["totals"], result["kpis"]
    lines = [
        f"# {result['title']}",
        "",
        f"Scenario `{result['scenario']}`, seed {result['seed']}, {result['days']} days from "
        f"{result['start']}, {result['cranes']} cranes, volume x{result['volume']}. "
        f"Run in {result['wall_s']} s of wall time.",
        "",
        "## Totals",
        "",
        "| | run |",
        "|---|---:|",
        f"| corridor trains sent | {totals['corridor_trains']} |",
        f"| TEU sent | {totals['teu']:,.0f} |",
        f"| TEU received | {totals['teu_in']:,.0f} |",
        f"| crane moves | {totals['crane_moves']:,} |",
        f"| truck visits | {totals['truck_visits']:,} |",
        "",
        "## KPIs",
        "",
        _measured(result),
        "",
        "| KPI | value |",
        "|---|---:|",
    ]
    lines += [f"| {LABELS.get(name, name)} | {value:,.3f} |" for name, value in figures.items()]
    lines += ["", "## Against the targets", ""]
    handling = figures.get("train_handling_h_p95", 0.0)
    turn = figures.get("truck_turn_min_p95", 0.0)
    train_target, turn_target = targets["train_handling_h"], targets["truck_turn_min"]
    lines.append(
        f"- train handling, 95th percentile: {handling:.2f} h against {train_target:.1f} h: "
        + ("kept" if handling <= train_target else "broken")
    )
    lines.append(
        f"- truck turn, 95th percentile: {turn:.1f} min against {turn_target:.0f} min: "
        + ("kept" if turn <= turn_target else "broken")
    )
    wait, wait_target = figures.get("train_track_wait_h_mean", 0.0), targets["train_wait_h"]
    lines.append(
        f"- train wait for a track, mean: {wait:.2f} h against {wait_target:.1f} h: "
        + ("kept" if wait <= wait_target else "broken")
    )
    lines += ["", "## Pictures", ""]
    lines += [f"![{picture.stem}]({picture.name})" for picture in pictures]
    return "\n".join(lines) + "\n"


def _measured(result: Mapping[str, Any]) -> str:
    warmup = int(result.get("warmup_days", 0))
    if warmup <= 0:
        return "Over the whole run."
    return (
        f"Over days {warmup + 1} to {result['days']}: the first {warmup} day(s) were a "
        "warm-up, run but not measured, while the yard filled from empty (shaded in the "
        "yard's plot). The totals above are the whole run's."
    )


__all__ = ["LABELS", "run_report"]
