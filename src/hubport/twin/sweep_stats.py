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


__all__ = ["bottlenecks", "mean_ci95", "summarise", "t95"]
