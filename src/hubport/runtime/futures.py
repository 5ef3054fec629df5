"""The runtime's futures duty: every few hub minutes, the delivery site's deadlines.

Alarms ring a day before a deadline (once each, recorded as the delivery's event) and a
seller whose goods are not at the site by the arrival deadline is marked in default. The
duty is level-triggered like the others: a runtime started again, or a standby taking
over, finds what is due and nothing twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.futures.bootstrap import FuturesDesk
from hubport.futures.services.commands import WatchDeadlines
from hubport.services.commands import Author

log = logging.getLogger(__name__)

#: How often the deadlines are looked at (hub time).
WATCH_EVERY = timedelta(minutes=5)
EARLIEST = datetime.min.replace(tzinfo=UTC)
RUNTIME = Author("hubport-runtime", "runtime", "runtime")


@dataclass
class FuturesDuty:
    desk: FuturesDesk
    next_watch: datetime = EARLIEST
    #: The open alarms as last read: "delivery D1: arrival due 12-05 13:30".
    alarms: list[str] = field(default_factory=list)
    defaults: int = 0

    def run(self, now: datetime) -> None:
        if now < self.next_watch:
            return
        self.next_watch = now + WATCH_EVERY
        try:
            result = self.desk.bus.handle(WatchDeadlines(author=RUNTIME)).result
            self.defaults += len(result["defaults"])
            for default in result["defaults"]:
                log.warning(
                    "futures: delivery %s: %s in default", default["delivery"], default["party"]
                )
            self.alarms = [
                f"futures delivery {alarm.delivery}: {alarm.deadline} "
                f"{'overdue since' if alarm.overdue else 'due'} "
                f"{alarm.due.astimezone(HUB_TIME):%m-%d %H:%M}"
                for alarm in self.desk.queries.alarms(now)
            ]
        except HubportError as error:
            log.warning("runtime: the futures deadlines: %s", error)


__all__ = ["WATCH_EVERY", "FuturesDuty"]
