"""The runtime's park duty: every few hub minutes, the requests that outstayed their
state's time limit go to supervision (督办), once each; level-triggered like the other
duties, so a runtime started again finds what is due and nothing twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hubport.domain.errors import HubportError
from hubport.park.bootstrap import ParkDesk
from hubport.park.services.commands import WatchRequestDeadlines
from hubport.services.commands import Author

log = logging.getLogger(__name__)

WATCH_EVERY = timedelta(minutes=10)
EARLIEST = datetime.min.replace(tzinfo=UTC)
RUNTIME = Author("hubport-runtime", "runtime", "runtime")


@dataclass
class ParkDuty:
    desk: ParkDesk
    next_watch: datetime = EARLIEST
    escalated: int = 0
    alarms: list[str] = field(default_factory=list)

    def run(self, now: datetime) -> None:
        if now < self.next_watch:
            return
        self.next_watch = now + WATCH_EVERY
        try:
            result = self.desk.bus.handle(WatchRequestDeadlines(author=RUNTIME)).result
        except HubportError as error:
            log.warning("runtime: the park's deadlines: %s", error)
            return
        self.escalated += len(result["escalated"])
        self.alarms = [
            f"park request {item['request']}: {item['state']} too long, to supervision"
            for item in result["escalated"]
        ]


__all__ = ["WATCH_EVERY", "ParkDuty"]
