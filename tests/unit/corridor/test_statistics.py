"""Corridor statistics match a hand count; the synthetic year meets the site's totals."""

from __future__ import annotations

from datetime import datetime

import pytest

from hubport.corridor.statistics import TrainRun, corridor_report
from hubport.twin.synthetic_year import TRAINS_2024, synthetic_runs


def run(
    number: int, service: str, day: datetime, teu: float, direction: str = "outbound"
) -> TrainRun:
    outbound = direction == "outbound"
    return TrainRun(
        f"T{number}",
        service,
        direction,
        None if outbound else day,
        day if outbound else None,
        0 if outbound else int(teu),
        0.0 if outbound else teu,
        int(teu) if outbound else 0,
        teu if outbound else 0.0,
    )


def test_report_matches_a_hand_count() -> None:
    runs = [
        run(1, "rail-sea", datetime(2024, 1, 5), 50),
        run(2, "rail-sea", datetime(2024, 1, 20), 40),
        run(3, "rail-sea", datetime(2024, 3, 1), 60),
        run(4, "China-Laos", datetime(2024, 3, 9), 30),
        run(5, "China-Laos", datetime(2023, 6, 1), 45),  # the year before
        run(6, "rail-sea", datetime(2025, 1, 1), 99),  # the year after: not counted
        run(7, "China-Laos", datetime(2024, 2, 2), 44, direction="inbound"),
    ]
    report = corridor_report(runs, 2024)
    assert report.trains == 4 and report.teu == 180
    assert list(report.sent) == ["rail-sea", "China-Laos"]
    assert report.sent["rail-sea"].by_month[:3] == [2, 0, 1]
    assert report.sent["rail-sea"].teu_by_month[0] == 90
    assert report.share("rail-sea") == 0.75
    assert report.received["China-Laos"].trains == 1 and report.received["China-Laos"].teu == 44
    trains_growth, teu_growth = report.growth()
    assert trains_growth == pytest.approx(3.0) and teu_growth == pytest.approx(180 / 45 - 1)


def test_a_year_without_the_year_before_has_no_growth() -> None:
    report = corridor_report([run(1, "rail-sea", datetime(2024, 5, 5), 50)], 2024)
    assert report.growth() == (None, None)


def test_synthetic_2024_has_the_sites_trains_and_about_its_teu() -> None:
    rows = synthetic_runs(2024, seed=1)
    assert len(rows) == TRAINS_2024 == 1804
    assert len({row["id"] for row in rows}) == len(rows)
    assert abs(sum(row["teu_out"] for row in rows) - 90_000) < 0.02 * 90_000
    assert all(row["departed_at"].year == 2024 for row in rows)
    assert rows == synthetic_runs(2024, seed=1)
