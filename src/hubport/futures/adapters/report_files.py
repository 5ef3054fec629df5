"""The daily report to the exchange as files: CSV (one line per delivery, the columns of
``report.COLUMNS``) and JSON (the same lines with the day's totals)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from hubport.futures.domain.report import COLUMNS, DailyReport


def report_json(report: DailyReport) -> dict[str, Any]:
    return {
        "site": report.site,
        "day": report.day.isoformat(),
        "deliveries": len(report.lines),
        "handed_over_m3": str(report.handed_over_m3),
        "disputes": report.disputes,
        "lines": [line.as_row() for line in report.lines],
    }


def report_csv(report: DailyReport, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        for line in report.lines:
            writer.writerow(line.as_row())


def write_report(report: DailyReport, folder: Path) -> list[Path]:
    """``futures-SITE-DAY.csv`` and ``.json`` in ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"futures-{report.site}-{report.day.isoformat()}"
    csv_path, json_path = stem.with_suffix(".csv"), stem.with_suffix(".json")
    report_csv(report, csv_path)
    json_path.write_text(json.dumps(report_json(report), ensure_ascii=False, indent=1), "utf-8")
    return [csv_path, json_path]


__all__ = ["report_csv", "report_json", "write_report"]
