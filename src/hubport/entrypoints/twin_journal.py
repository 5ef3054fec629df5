"""A sweep's journal: each finished run as one JSON line, written the moment it finishes.

A sweep stopped half-way (a lost cluster, a closed laptop, a session's end) keeps the
runs it finished; ``hubport twin sweep ... --resume`` reads them back and runs only the
rest. A run is known by its scenario, cell, seed, days and warm-up; a failed run is not
kept (a resumed sweep runs it again), nor a line cut short by a crash mid-write.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubport.entrypoints.twin_sweep import Task


def task_key(task: Task) -> str:
    return json.dumps(
        [task.scenario, [[name, value] for name, value in task.params], task.seed, task.days,
         task.warmup]
    )  # fmt: skip


class Journal:
    """The finished runs of a sweep, in ``path`` (JSON lines)."""

    def __init__(self, path: Path, resume: bool = False):
        self.path = path
        self.done: dict[str, dict[str, Any]] = {}
        if resume and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.done[str(entry["key"])] = dict(entry["outcome"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short when the sweep was stopped
        path.parent.mkdir(parents=True, exist_ok=True)
        # the file holds exactly the runs known, whatever was cut short before
        path.write_text(
            "".join(json.dumps({"key": k, "outcome": o}) + "\n" for k, o in self.done.items()),
            encoding="utf-8",
        )

    def outcome(self, task: Task) -> dict[str, Any] | None:
        """The finished run of ``task``, or None."""
        return self.done.get(task_key(task))

    def add(self, task: Task, outcome: dict[str, Any]) -> None:
        """Keep a finished run (a failed one is not kept: a resumed sweep runs it again)."""
        if "error" in outcome:
            return
        key = task_key(task)
        self.done[key] = outcome
        with self.path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps({"key": key, "outcome": outcome}) + "\n")
            journal.flush()


__all__ = ["Journal", "task_key"]
