"""The daily report to the exchange as files: CSV (one line per delivery, the columns of
``report.COLUMNS``) and JSON (the same lines with the day's totals)."""

from __future__ import annotations

import csv
import io
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
        "site_fees_cny": str(report.site_fees_cny),
        "lines": [line.as_row() for line in report.lines],
    }


def report_csv(report: DailyReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for line in report.lines:
        writer.writerow(line.as_row())
    return buffer.getvalue()


def write_report(report: DailyReport, folder: Path) -> list[Path]:
    """``futures-SITE-DAY.csv`` and ``.json`` in ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"futures-{report.site}-{report.day.isoformat()}"
    csv_path, json_path = stem.with_suffix(".csv"), stem.with_suffix(".json")
    csv_path.write_text(report_csv(report), "utf-8")
    json_path.write_text(json.dumps(report_json(report), ensure_ascii=False, indent=1), "utf-8")
    return [csv_path, json_path]


__all__ = ["report_csv", "report_json", "write_report"]
