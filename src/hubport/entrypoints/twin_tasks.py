"""Twin runs as tasks side by side: on Ray (a local Ray by default, a cluster at an
address), or, where Ray is not installed, in a process pool. A sweep's cells and a long
run's parts both run here."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from hubport.twin.scenario import ScenarioError

T = TypeVar("T")


def _why(error: BaseException) -> str:
    """A failed run's error in a line: its last line (Ray wraps the remote traceback)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else ''}"[:300]


def execute(
    tasks: Sequence[T],
    work: Callable[[T], dict[str, Any]],
    address: str | None,
    workers: int | None,
    on_done: Callable[[int, int], None] | None,
    on_result: Callable[[int, dict[str, Any]], None],
) -> tuple[list[dict[str, Any]], str]:
    """Each task's outcome (in the tasks' order), told to ``on_result`` as it finishes."""
    try:
        import ray
    except ImportError:
        ray = None  # type: ignore[assignment]
    if ray is None:
        if address:
            raise ScenarioError("--address needs Ray: pip install 'hubport[twin]'")
        count = workers or os.cpu_count() or 1
        with ProcessPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(work, task) for task in tasks]
            pooled: list[dict[str, Any]] = []
            for index, future in enumerate(futures):
                try:
                    pooled.append(future.result())
                except Exception as error:  # a failed run is reported in its cell
                    pooled.append({"error": _why(error)})
                on_result(index, pooled[-1])
                if on_done:
                    on_done(index + 1, len(tasks))
        return pooled, f"process pool ({count} workers; Ray is not installed)"
    started_here = not ray.is_initialized()
    if started_here:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=workers or os.cpu_count() or 1, **options)
    try:
        remote = ray.remote(num_cpus=1)(work)
        pending = {remote.remote(task): index for index, task in enumerate(tasks)}
        outcomes: list[dict[str, Any] | None] = [None] * len(tasks)
        done = 0
        waiting = list(pending)
        while waiting:
            ready, waiting = ray.wait(waiting, num_returns=1)
            for ref in ready:
                index = pending[ref]
                try:
                    outcome: dict[str, Any] = ray.get(ref)
                except Exception as error:  # a failed run is reported in its cell
                    outcome = {"error": _why(error)}
                outcomes[index] = outcome
                on_result(index, outcome)
                done += 1
                if on_done:
                    on_done(done, len(tasks))
        where = f"Ray cluster at {address}" if address else "local Ray"
        resources = ray.cluster_resources().get("CPU", 0)  # type: ignore[no-untyped-call]
        return [o for o in outcomes if o is not None], f"{where} ({resources:.0f} CPUs)"
    finally:
        if started_here:
            ray.shutdown()


__all__ = ["execute"]
