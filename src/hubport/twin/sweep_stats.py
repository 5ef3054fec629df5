"""The statistics of a sweep: each KPI's mean and 95 % confidence interval over a cell's
replications, and the ranking of the bottlenecks."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

from hubport.twin.run_kpis import RESOURCES

#: Student's t, two-sided 95 % (0.975 quantile), for 1..30 degrees of freedom (any
#: statistics table, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2); beyond 30 the normal 1.960.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t95(degrees: int) -> float:
    if degrees < 1:
        raise ValueError("a confidence interval needs two values or more")
    return _T95[degrees - 1] if degrees <= len(_T95) else 1.960


def mean_ci95(values: Sequence[float]) -> tuple[float, tuple[float, float]]:
    """The mean and its 95 % confidence interval (t-distribution); one value: no width."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, (mean, mean)
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return mean, (mean - half, mean + half)


def summarise(runs: Sequence[Mapping[str, float]]) -> dict[str, dict[str, object]]:
    """Each KPI of a cell's runs as ``{"mean": X, "ci95": [LO, HI]}``."""
    names = sorted(set().union(*(run.keys() for run in runs))) if runs else []
    summary: dict[str, dict[str, object]] = {}
    for name in names:
        mean, (low, high) = mean_ci95([float(run.get(name, 0.0)) for run in runs])
        summary[name] = {"mean": round(mean, 4), "ci95": [round(low, 4), round(high, 4)]}
    return summary


def bottlenecks(kpis: Mapping[str, Mapping[str, object]]) -> list[dict[str, object]]:
    """The resources of a cell, most loaded first: each with its utilisation and the
    waiting it causes (the KPIs named in ``RESOURCES``)."""
    ranked = []
    for resource, load, wait in RESOURCES:
        utilisation = float(kpis.get(load, {}).get("mean", 0.0))  # type: ignore[arg-type]
        waiting = float(kpis.get(wait, {}).get("mean", 0.0))  # type: ignore[arg-type]
        ranked.append(
            {
                "resource": resource,
                "load_kpi": load,
                "load": utilisation,
                "wait_kpi": wait,
                "wait": waiting,
            }
        )
    ranked.sort(key=lambda row: -float(row["load"]))  # type: ignore[arg-type]
    return ranked


def capacity_answer(
    cells: Sequence[Mapping[str, object]], limits: Sequence[tuple[str, float]]
) -> list[dict[str, object]]:
    """Where each target breaks as the volume grows, for each combination of the other
    parameters (say, each crane count): for every (KPI, target) of ``limits``, the highest
    volume whose mean keeps the target, the first that breaks it, the volume where the
    means cross it (linear between those two), and whether the break is sure (its 95 %
    interval lies above the target). Cells without a ``volume`` parameter answer nothing."""
    groups: dict[tuple[tuple[str, object], ...], list[tuple[float, Mapping[str, object]]]] = {}
    for cell in cells:
        params = cell["params"]
        figures = cell["kpis"]
        if not isinstance(params, Mapping) or not isinstance(figures, Mapping):
            continue
        if "volume" not in params or not figures:
            continue
        others = tuple(sorted((k, v) for k, v in params.items() if k != "volume"))
        groups.setdefault(others, []).append((float(params["volume"]), figures))
    answers: list[dict[str, object]] = []
    for others, points in groups.items():
        points.sort(key=lambda point: point[0])
        for kpi, target in limits:
            series = [
                (volume, _figure(figures[kpi])) for volume, figures in points if kpi in figures
            ]
            if not series:
                continue
            answers.append({"params": dict(others), **_crossing(kpi, target, series)})
    return answers


def _figure(value: object) -> tuple[float, float, float]:
    """A summarised KPI as (mean, low, high)."""
    if not isinstance(value, Mapping):
        raise ValueError(f"a summarised KPI is {{mean, ci95}}, not {value!r}")
    low, high = value["ci95"]
    return float(value["mean"]), float(low), float(high)


def _crossing(
    kpi: str, target: float, series: Sequence[tuple[float, tuple[float, float, float]]]
) -> dict[str, object]:
    broken = next((i for i, (_v, (mean, _lo, _hi)) in enumerate(series) if mean > target), None)
    answer: dict[str, object] = {
        "kpi": kpi,
        "target": target,
        "holds_up_to": None,
        "breaks_at": None,
        "crossing": None,
        "sure": False,
    }
    if broken is None:
        answer["holds_up_to"] = series[-1][0]
        return answer
    volume, (mean, low, _high) = series[broken]
    answer["breaks_at"], answer["sure"] = volume, low > target
    if broken > 0:
        before, (was, _l, _h) = series[broken - 1]
        answer["holds_up_to"] = before
        answer["crossing"] = round(before + (target - was) / (mean - was) * (volume - before), 3)
    return answer


__all__ = ["bottlenecks", "capacity_answer", "mean_ci95", "summarise", "t95"]
