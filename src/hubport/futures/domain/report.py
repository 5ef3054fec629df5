"""The site's daily report to the exchange: every delivery that was live that day, its
state at the day's end, the volumes matched, tallied and handed over, and the disputes
and defaults, built from the deliveries' events alone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.domain.delivery import FINAL, Delivery
from hubport.futures.domain.events import Defaulted, Disputed, HandedOver, Inspected

COLUMNS = (
    "day",
    "delivery",
    "contract",
    "lots",
    "buyer",
    "seller",
    "state",
    "matched_m3",
    "tallied_m3",
    "handed_over_m3",
    "tally_sha256",
    "disputes",
    "defaulted_party",
    "site_fees_cny",
)


@dataclass(frozen=True)
class ReportLine:
    day: date
    delivery: str
    contract: str
    lots: int
    buyer: str
    seller: str
    state: str
    matched_m3: Decimal
    tallied_m3: Decimal | None
    handed_over_m3: Decimal | None
    tally_sha256: str
    disputes: int
    defaulted_party: str
    #: The site's fees on the handed-over volume (delivery, inspection, loading).
    site_fees_cny: Decimal | None

    def as_row(self) -> dict[str, str]:
        return {
            name: "" if (value := getattr(self, name)) is None else str(value) for name in COLUMNS
        }


@dataclass(frozen=True)
class DailyReport:
    site: str
    day: date
    lines: tuple[ReportLine, ...]

    @property
    def handed_over_m3(self) -> Decimal:
        return sum((line.handed_over_m3 or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def site_fees_cny(self) -> Decimal:
        return sum((line.site_fees_cny or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def disputes(self) -> int:
        return sum(line.disputes for line in self.lines)


def day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), HUB_TIME)


def daily_report(
    site: str, day: date, deliveries: Iterable[Delivery], fees_per_m3: Decimal = Decimal(0)
) -> DailyReport:
    """The report of ``day``: deliveries matched by its end and not closed before it, with
    the site's fees (``fees_per_m3``, CNY) on each handed-over volume."""
    start, end = datetime.combine(day, time(0), HUB_TIME), day_end(day)
    lines = []
    for delivery in deliveries:
        events = [e for e in delivery.events if e.at < end]
        if not events:
            continue
        closed_before = [e for e in events if e.at < start]
        if closed_before and Delivery(delivery.id, delivery.rules, closed_before).state in FINAL:
            continue
        as_of = Delivery(delivery.id, delivery.rules, events)
        inspection = as_of.inspection
        handed = as_of.last(HandedOver)
        default = as_of.last(Defaulted)
        match = as_of.match
        lines.append(
            ReportLine(
                day,
                delivery.id,
                match.contract,
                match.lots,
                match.buyer,
                match.seller,
                as_of.state.value,
                match.volume_m3,
                inspection.tallied_m3 if isinstance(inspection, Inspected) else None,
                handed.volume_m3 if isinstance(handed, HandedOver) else None,
                inspection.tally_sha256 if isinstance(inspection, Inspected) else "",
                sum(isinstance(e, Disputed) and e.at >= start for e in events),
                default.party if isinstance(default, Defaulted) else "",
                (handed.volume_m3 * fees_per_m3).quantize(Decimal("0.01"))
                if isinstance(handed, HandedOver)
                else None,
            )
        )
    return DailyReport(site, day, tuple(sorted(lines, key=lambda line: line.delivery)))


__all__ = ["COLUMNS", "DailyReport", "ReportLine", "daily_report", "day_end"]
