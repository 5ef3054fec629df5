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


def report_departures(
    queries: Queries, outbox: Outbox, root: Path, railway: str, now: datetime
) -> list[Path]:
    """Write the COARRI of every train that left lately and has none yet; the files."""
    written = []
    for train in queries.departed_since(now - REPORTED_WITHIN):
        target = root / railway / "out" / f"COARRI-{train}.edi"
        if target.exists():
            continue
        try:
            documents = outbox.documents("COARRI", visit=train)
            if not any(document.equipment for document in documents):
                continue
            sent = outbox.write(documents, railway, now, str(target))
        except HubportError as error:
            log.warning("runtime: no COARRI for train %s: %s", train, error)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        deliver(sent.text, target)
        written.append(target)
    return written


__all__ = ["report_departures"]
