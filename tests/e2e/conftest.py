"""Fixtures of the end-to-end tests: a clean environment with its own data directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def clean_environment(data_dir: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUBPORT_")}
    environment.update(HUBPORT_DATA_DIR=str(data_dir), COLUMNS="120")
    return environment


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_environment(tmp_path / "var")


@pytest.fixture(scope="session")
def demo_day_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory after `hubport init` and one demo day, made once per session."""
    data_dir = tmp_path_factory.mktemp("demo-day") / "var"
    environment = clean_environment(data_dir)
    for args in (["init"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "hubport.entrypoints", *args],
            env=environment,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return data_dir


@pytest.fixture
def after_a_day(env: dict[str, str], demo_day_store: Path) -> dict[str, str]:
    """``env`` whose data directory is a copy of the demo-day store."""
    shutil.copytree(demo_day_store, env["HUBPORT_DATA_DIR"])
    return env
