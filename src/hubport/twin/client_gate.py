"""The gate's booking screen as a haulier's system reads it: the appointment windows and
the room left in each (``GET /api/gate/windows``), so that a truck is booked into the
first window with room rather than tried window after window (a part of
``HttpHubClient``; the in-process client reads the same through the query side)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from urllib.parse import quote

from hubport.domain.gate import GateWindow


class GateOverHttp:
    """Mixed into ``HttpHubClient``: it gives ``_ok``."""

    def _ok(
        self, method: str, path: str, role: str, body: Any = None, key: str | None = None
    ) -> Any:
        raise NotImplementedError

    def gate_windows(self, start: datetime, end: datetime) -> list[GateWindow]:
        """The windows from the one holding ``start`` to the last starting before ``end``."""
        hours = max(1, math.ceil((end - start).total_seconds() / 3600))
        path = f"/api/gate/windows?start={quote(start.isoformat())}&hours={hours}"
        windows = [
            GateWindow(
                datetime.fromisoformat(row["start"]),
                datetime.fromisoformat(row["end"]),
                int(row["booked"]),
                int(row["trucks"]),
            )
            for row in self._ok("GET", path, "operator")
        ]
        return [window for window in windows if window.start < end]

    def move_appointment(self, appointment: str, at: datetime) -> None:
        path = f"/api/appointments/{quote(appointment)}/change"
        self._ok("POST", path, "operator", {"at": at.isoformat()})


__all__ = ["GateOverHttp"]
