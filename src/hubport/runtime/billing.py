"""The runtime's billing duty: every week, once the week is over (Monday, hub time), the
billing run to the end of Sunday, its invoices issued.

The duty is level-triggered: it asks the ledger how far it is billed, and runs when a
whole week lies beyond that; the run's key names its week, so a runtime started again, or
a standby taking over, bills a week once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hubport.billing.bootstrap import BillingDesk
from hubport.billing.domain.charges import hub_day
from hubport.billing.services.commands import RunBilling
from hubport.domain.errors import HubportError
from hubport.services.commands import Author

log = logging.getLogger(__name__)

#: How often the ledger is asked (hub time).
LOOK_EVERY = timedelta(hours=1)
EARLIEST = datetime.min.replace(tzinfo=UTC)
RUNTIME = Author("hubport-runtime", "runtime", "runtime")


def last_sunday(today: date) -> date:
    """The Sunday that ended the last whole week before ``today``."""
    return today - timedelta(days=today.weekday() + 1)


@dataclass
class BillingDuty:
    desk: BillingDesk
    next_look: datetime = EARLIEST
    runs: int = 0
    #: What the last weekly run issued: invoices and their total (CNY, with VAT).
    last: str = ""

    def run(self, now: datetime) -> None:
        if now < self.next_look:
            return
        self.next_look = now + LOOK_EVERY
        week_end = last_sunday(hub_day(now))
        billed, _ = self.desk.queries.ledger_days()
        if billed is not None and billed >= week_end:
            return
        command = RunBilling(
            week_end, issue=True, idempotency_key=f"runtime:billing:{week_end}", author=RUNTIME
        )
        try:
            result = self.desk.bus.handle(command).result
        except HubportError as error:
            log.warning("runtime: the weekly billing to %s: %s", week_end, error)
            return
        self.runs += 1
        self.last = (
            f"billed to {week_end}: {result['new_lines']} lines, CNY {result['total_cny']}, "
            f"{len(result['invoices'])} invoices"
        )
        log.info("runtime: %s", self.last)


__all__ = ["BillingDuty", "last_sunday"]
