"""Pictures of a twin run and of a sweep: yard and gate over time, crane moves a day,
train handling and truck turn times; a sweep's capacity curves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hubport.domain.errors import HubportError
from hubport.twin.run_kpis import RunLog, handling_s


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_run(log: RunLog, title: str, out: Path) -> list[Path]:
    """Write the run's PNGs into ``out``; their paths."""
    plt = _pyplot()
    written = []
    figure, (yard, gate) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    days = [sample.hour / 24 for sample in log.samples]
    yard.plot(days, [100 * s.yard_share for s in log.samples], color="#1f77b4")
    yard.set_ylabel("yard occupancy (% of TEU slots)")
    yard.set_title(f"{title}: yard and gate")
    gate.plot(days, [s.trucks_inside for s in log.samples], color="#ff7f0e")
    if log.warmup_s > 0:
        for panel in (yard, gate):
            panel.axvspan(0, log.warmup_s / 86_400, color="#999999", alpha=0.2)
        yard.text(0.01, 0.95, "warm-up (not measured)", transform=yard.transAxes, va="top")
    gate.set_ylabel("trucks inside the gate")
    gate.set_xlabel("day of the run")
    figure.tight_layout()
    written.append(_save(figure, out / "yard-and-gate.png"))
    plt.close(figure)

    figure, axis = plt.subplots(figsize=(10, 4))
    per_day: dict[int, int] = {}
    for move in log.moves:
        day = int(move.start_s // 86_400) + 1
        per_day[day] = per_day.get(day, 0) + 1
    axis.bar(list(per_day), list(per_day.values()), color="#2ca02c")
    axis.set_xlabel("day of the run")
    axis.set_ylabel("crane moves")
    axis.set_title(f"{title}: crane moves a day ({log.cranes} cranes)")
    figure.tight_layout()
    written.append(_save(figure, out / "crane-moves.png"))
    plt.close(figure)

    figure, (trains, trucks) = plt.subplots(1, 2, figsize=(10, 4))
    spans = handling_s(log.moves)
    trains.hist([(b - a) / 3600 for a, b in spans.values()] or [0.0], bins=30, color="#9467bd")
    trains.set_xlabel("train handling time (h, first to last move)")
    trains.set_ylabel("trains")
    trucks.hist([s / 60 for s in log.truck_turns_s] or [0.0], bins=30, color="#d62728")
    trucks.set_xlabel("truck turn time (min)")
    trucks.set_ylabel("truck visits")
    figure.suptitle(f"{title}: handling and turn times")
    figure.tight_layout()
    written.append(_save(figure, out / "times.png"))
    plt.close(figure)
    return written


def plot_capacity(
    cells: Sequence[Mapping[str, object]], kpi: str, target: float | None, path: Path
) -> Path:
    """One KPI against volume, a line (with its 95 % interval) per crane count."""
    plt = _pyplot()
    lines: dict[object, list[tuple[float, float, float, float]]] = {}
    for cell in cells:
        params = cell["params"]
        figures = cell["kpis"]
        if not isinstance(params, Mapping) or not isinstance(figures, Mapping):
            raise HubportError(f"a sweep cell without its params and KPIs: {str(cell)[:60]}")
        if kpi not in figures:
            continue
        value = figures[kpi]
        low, high = value["ci95"]
        volume = float(params.get("volume", 1.0))
        lines.setdefault(params.get("cranes", "site"), []).append(
            (volume, value["mean"], low, high)
        )
    figure, axis = plt.subplots(figsize=(8, 5))
    for cranes, points in sorted(lines.items(), key=lambda item: str(item[0])):
        points.sort()
        xs = [p[0] for p in points]
        axis.plot(xs, [p[1] for p in points], marker="o", label=f"{cranes} cranes")
        axis.fill_between(xs, [p[2] for p in points], [p[3] for p in points], alpha=0.2)
    if target is not None:
        axis.axhline(target, color="grey", linestyle="--", label="target")
    axis.set_xlabel("volume (x the 2024 traffic)")
    axis.set_ylabel(kpi)
    axis.set_title(f"capacity curve: {kpi}")
    axis.legend()
    figure.tight_layout()
    _save(figure, path)
    plt.close(figure)
    return path


def _save(figure: object, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)  # type: ignore[attr-defined]
    return path


__all__ = ["plot_capacity", "plot_run"]
