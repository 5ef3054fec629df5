"""The reports the runtime sends by itself: each departed train's COARRI (what was
discharged from it or loaded onto it, box by box) to the railway's partner folder.

A report is written once: the file in ``EDI_DIR/PARTNER/out`` is the mark (a runtime
started again finds it there and writes nothing).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from hubport.adapters.edi.outbox import Outbox, deliver
from hubport.domain.errors import HubportError
from hubport.services.queries import Queries

log = logging.getLogger(__name__)

#: Trains that left longer ago than this are not looked at again.
REPORTED_WITHIN = timedelta(days=2)


class DepartureReports:
    """Writes the COARRI of every train that left lately and has none yet. A train seen
    reported, or with nothing to report (no box moved on or off it), is not looked at
    again by this runtime: a departed train's moves are final."""

    def __init__(self, queries: Queries, outbox: Outbox, root: Path, railway: str):
        self.queries, self.outbox, self.root, self.railway = queries, outbox, root, railway
        self._settled: set[str] = set()

    def send(self, now: datetime) -> list[Path]:
        """The reports written now."""
        written = []
        for train in self.queries.departed_since(now - REPORTED_WITHIN):
            if train in self._settled:
                continue
            target = self.root / self.railway / "out" / f"COARRI-{train}.edi"
            if target.exists():
                self._settled.add(train)
                continue
            try:
                documents = self.outbox.documents("COARRI", visit=train)
                if not any(document.equipment for document in documents):
                    self._settled.add(train)
                    continue
                sent = self.outbox.write(documents, self.railway, now, str(target))
            except HubportError as error:
                log.warning("runtime: no COARRI for train %s: %s", train, error)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            deliver(sent.text, target)
            self._settled.add(train)
            written.append(target)
        return written


__all__ = ["DepartureReports"]
