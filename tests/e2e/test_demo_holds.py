"""A hold the simulation did not place (an officer's, at the console or the command line)
on boxes that trucks come to collect: the gate turns those trucks away, the simulated day
goes on, and nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubport.bootstrap import bootstrap
from hubport.config import Settings
from hubport.domain.container import ContainerNumber
from hubport.services.customs_commands import PlaceHold
from tests.e2e.test_cli import run


@pytest.mark.slow
def test_trucks_for_held_boxes_leave_without_them_and_the_day_goes_on(
    after_a_day: dict[str, str],
) -> None:
    hub = bootstrap(Settings(data_dir=Path(after_a_day["HUBPORT_DATA_DIR"])))
    try:
        in_yard = [
            box["number"]
            for box in hub.queries.containers("", "in_hub", None, 200)
            if str(box["place"]).startswith("yard:") and box["customs_status"] == "released"
        ]
        assert len(in_yard) >= 40
        for number in in_yard:
            hub.bus.handle(PlaceHold(ContainerNumber(number), f"desk-{number}", "x-ray"))
    finally:
        hub.close()
    day = run(after_a_day, "demo", "--hours", "9")  # past the day's first departures
    assert "trucks left without their box" in day.stdout and "customs held" in day.stdout
    assert "boxes stayed behind under a customs hold" in day.stdout
    assert "KPIs of the day" in day.stdout
    assert "sound" in run(after_a_day, "check").stdout
