"""`make run` on a clean clone in a temporary folder: the newcomer's first minute."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_make_run_on_a_clean_clone_reaches_the_kpi_summary(tmp_path: Path) -> None:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed to clone and run")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clean"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBPORT_", "VIRTUAL_ENV"))}
    result = subprocess.run(
        ["make", "run"], cwd=clone, env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "KPIs of the day" in result.stdout
    assert (clone / "var" / "hubport.db").exists()
