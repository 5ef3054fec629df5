"""The KPIs the API and console read from the store agree with what the demo day (the
world and the runtime) itself counted: its crane moves, its truck visits and each train's dwell."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from hubport.bootstrap import bootstrap
from hubport.config import Settings
from hubport.entrypoints.demo import FIRST_DAY
from hubport.entrypoints.demo_world import play
from tests.e2e.test_cli import run


@pytest.mark.slow
def test_the_stores_kpis_of_a_day_are_the_days_own(env: dict[str, str]) -> None:
    run(env, "init")
    settings = Settings(data_dir=Path(env["HUBPORT_DATA_DIR"]))
    (summary,) = play(settings, Console(quiet=True), None, 1, 2024)
    hub = bootstrap(settings)
    try:
        figures = hub.queries.kpis(FIRST_DAY.date())
    finally:
        hub.close()
    day = summary.kpis
    assert figures["cranes"]["moves"] == day.moves > 500
    assert sum(c["moves"] for c in figures["cranes"]["by_crane"]) == day.moves
    assert figures["trucks"]["visits"] == day.truck_visits > 200
    dwell = {item["train"]: item["dwell_hours"] for item in figures["trains"]}
    left_today = {train: hours for train, hours in day.train_dwell_hours.items() if train in dwell}
    assert len(left_today) >= 5
    for train, hours in left_today.items():
        assert dwell[train] == pytest.approx(hours, abs=0.02), train
