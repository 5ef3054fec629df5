"""The demo (the world and the runtime in one process) at the site's volume, over several
days: the 2024 average traffic every day, boxes leave as well as arrive, the yard
settles, relocations happen and the store stays sound."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console

from hubport.bootstrap import bootstrap
from hubport.config import Settings
from hubport.entrypoints.demo_world import play

DAYS = 3


def test_days_at_the_hub_carry_the_2024_volume_at_a_steady_occupancy(
    demo_day_store: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "var"
    shutil.copytree(demo_day_store, data_dir)
    settings = Settings(data_dir=data_dir, database_url=None)
    output = io.StringIO()
    summaries = play(settings, Console(file=output, width=120), None, DAYS, settings.seed)
    assert [summary.day for summary in summaries] == list(range(2, 2 + DAYS))
    for summary in summaries:
        assert summary.teu_out == 250 and summary.teu_in == 200  # 5 trains out, 4 in
        assert summary.kpis.moves > 500
    # after the first days the yard holds steady, well inside its slots
    settled = [summary.yard_teu for summary in summaries[1:]]
    assert max(settled) - min(settled) <= 0.25 * min(settled)
    assert all(0.10 < summary.yard_share < 0.40 for summary in summaries[1:])
    assert sum(summary.kpis.relocations for summary in summaries) > 0
    text = output.getvalue()
    picture = data_dir / f"days-002-{1 + DAYS:03d}.png"
    assert "days at the hub" in text and picture.stat().st_size > 10_000
    hub = bootstrap(settings)
    try:
        report = hub.queries.audit()
        occupancy = hub.queries.yard_occupancy()
    finally:
        hub.close()
    assert report.sound, report.violations[:5]
    assert occupancy.teu == summaries[-1].yard_teu and occupancy.on_carriers == 0
