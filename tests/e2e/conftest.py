"""Fixtures of the end-to-end tests: a clean environment with its own data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUBPORT_")}
    environment.update(HUBPORT_DATA_DIR=str(tmp_path / "var"), COLUMNS="120")
    return environment
