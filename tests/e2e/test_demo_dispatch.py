"""The site's day on the crane floor: the dispatcher shares the crane jobs over the four
cranes, the virtual controllers carry them out, and the store stays sound."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_cli import run


def test_a_day_on_the_dispatcher_uses_every_crane_and_leaves_a_sound_store(
    env: dict[str, str],
) -> None:
    run(env, "init")
    day = run(env, "demo", "--cranes", "dispatch").stdout
    moves = int(re.search(r"crane moves\s*│\s*(\d+)", day).group(1))  # type: ignore[union-attr]
    assert moves > 600  # 4 trains in, 5 out, 300 trucks
    assert "sound" in run(env, "check").stdout
    status = run(env, "cranes", "status").stdout
    done = [int(n) for n in re.findall(r"│ ARMG\d │ idle\s*│[^│]*│[^│]*│ (\d+)", status)]
    assert len(done) == 4 and sum(done) == moves
    assert min(done) > moves / 8, f"every crane takes a fair share of the work: {done}"
    assert (Path(env["HUBPORT_DATA_DIR"]) / "day-001.png").stat().st_size > 10_000
