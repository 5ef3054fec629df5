"""Failed authentications: each is logged, and a source that fails too often is refused
for a while (429 with ``Retry-After``), so that tokens cannot be guessed at speed.

The count is per source address and per server process, over a sliding window: a
process's memory is the right place for a guard that must cost nothing on the way in.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from threading import Lock

from starlette.requests import Request

log = logging.getLogger("hubport.security")

#: Failures a source may make within the window before it is refused.
LIMIT, WINDOW_S = 10, 60.0


class FailedAuthentications:
    """The recent failures of each source."""

    def __init__(
        self,
        limit: int = LIMIT,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = Lock()

    def wait(self, source: str) -> float:
        """Seconds ``source`` must wait before it may try again (0: it may now)."""
        with self._lock:
            recent = self._recent(source)
            if len(recent) < self.limit:
                return 0.0
            return max(0.0, recent[0] + self.window_s - self.clock())

    def failed(self, source: str, where: str, why: str) -> None:
        with self._lock:
            self._recent(source).append(self.clock())
            count = len(self._failures[source])
        log.warning(
            "failed authentication from %s on %s: %s (%d in %gs)",
            source,
            where,
            why,
            count,
            self.window_s,
        )

    def _recent(self, source: str) -> deque[float]:
        recent = self._failures.setdefault(source, deque())
        horizon = self.clock() - self.window_s
        while recent and recent[0] <= horizon:
            recent.popleft()
        return recent


def source_of(request: Request) -> str:
    """The caller's address as the server saw it."""
    return request.client.host if request.client is not None else "unknown"


__all__ = ["LIMIT", "WINDOW_S", "FailedAuthentications", "source_of"]
