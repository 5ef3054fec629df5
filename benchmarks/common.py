"""Shared helpers of the benchmark scripts: where the published sets live, progress bars."""

from __future__ import annotations

import os
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

SHARED = Path(
    os.environ.get("HUBPORT_BENCHMARKS", Path(__file__).parents[2] / "shared" / "benchmarks")
)


def progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")
