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


class Report:
    """A results table printed with rich, and as Markdown for RESULTS.md with --markdown."""

    def __init__(self, title: str, columns: list[str]):
        self.title = title
        self.columns = columns
        self.rows: list[list[str]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def print(self, markdown: bool = False) -> None:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=self.title)
        for column in self.columns:
            table.add_column(column, justify="right")
        for row in self.rows:
            table.add_row(*row)
        Console(width=200).print(table)
        if markdown:
            print(f"\n{self.title}\n")
            print("| " + " | ".join(self.columns) + " |")
            print("|" + "---|" * len(self.columns))
            for row in self.rows:
                print("| " + " | ".join(row) + " |")


def load_rows(path: Path) -> list[dict[str, object]]:
    """Per-instance rows written by a benchmark, with numbers and flags typed again."""
    import csv

    def typed(value: str) -> object:
        if value in ("True", "False"):
            return value == "True"
        if value == "":
            return None
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value

    with path.open() as handle:
        return [{k: typed(v) for k, v in row.items()} for row in csv.DictReader(handle)]
