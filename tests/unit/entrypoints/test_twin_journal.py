"""A sweep's journal keeps each finished run as it finishes, and gives them back to a
resumed sweep; failed runs and a line cut short are not kept."""

from __future__ import annotations

import json
from pathlib import Path

from hubport.entrypoints.twin_journal import Journal
from hubport.entrypoints.twin_sweep import Task

ONE = Task("tiny", (("cranes", 2.0),), 7, 1, None)
TWO = Task("tiny", (("cranes", 2.0),), 8, 1, None)
FAILED = Task("tiny", (("cranes", 3.0),), 7, 1, None)


def test_a_resumed_journal_gives_back_the_runs_finished_and_only_those(tmp_path: Path) -> None:
    path = tmp_path / "sweep" / "runs.jsonl"
    journal = Journal(path)
    journal.add(ONE, {"kpis": {"crane_moves": 30.0}})
    journal.add(FAILED, {"error": "RuntimeError: the hub stopped"})
    # the sweep was stopped while it wrote its next line
    with path.open("a", encoding="utf-8") as cut:
        cut.write('{"key": "[\\"tiny\\"')
    again = Journal(path, resume=True)
    assert again.outcome(ONE) == {"kpis": {"crane_moves": 30.0}}
    assert again.outcome(TWO) is None and again.outcome(FAILED) is None
    # the file holds exactly what is known: the cut line is gone, and new runs follow
    again.add(TWO, {"kpis": {"crane_moves": 31.0}})
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2


def test_a_journal_not_resumed_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    Journal(path).add(ONE, {"kpis": {}})
    assert Journal(path).outcome(ONE) is None and path.read_text(encoding="utf-8") == ""
    assert Journal(path, resume=True).outcome(ONE) is None
