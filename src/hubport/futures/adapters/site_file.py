"""Reading a delivery site file (TOML) into a ``DeliverySite``; an error names the key."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hubport.adapters.toml_files import read_toml
from hubport.futures.domain.errors import SiteFileError
from hubport.futures.domain.inspection import QualityRules
from hubport.futures.domain.rules import DeliveryRules, PaymentMilestone
from hubport.futures.domain.site import DeliverySite, Fees, LoadingSpot, WagonType

#: The shipped site: Luohuang port's log delivery site.
SHIPPED = "luohuang-logs.toml"


def read_delivery_site(path: Path | None = None) -> DeliverySite:
    """The site in ``path``, or the shipped Luohuang site."""
    data, where = read_toml(path, SHIPPED, "delivery site file", SiteFileError)
    return site_from_data(data, where)


def site_from_data(data: dict[str, Any], where: str) -> DeliverySite:
    site = _table(data, "site", where)
    rules = _table(data, "rules", where)
    quality = _table(data, "quality", where)
    fees = _table(data, "fees", where)
    try:
        return DeliverySite(
            code=str(site["code"]),
            name=str(site["name"]),
            exchange=str(site["exchange"]),
            commodity=str(site["commodity"]),
            method=str(site["method"]),
            daily_capacity_m3=_decimal(site, "daily_capacity_m3"),
            opens=_time(site, "opens"),
            closes=_time(site, "closes"),
            spots=tuple(
                LoadingSpot(str(s["track"]), str(s["spot"]), int(s["wagons"]))
                for s in data.get("spots", [])
            ),
            shared_tracks=tuple(str(t) for t in site.get("shared_tracks", [])),
            wagon_types=tuple(
                WagonType(
                    str(w["code"]),
                    str(w["kind"]),
                    _decimal(w, "max_load_t"),
                    _decimal(w, "max_volume_m3"),
                    _decimal(w, "max_log_length_m"),
                )
                for w in data.get("wagon_types", [])
            ),
            fees=Fees(
                _decimal(fees, "delivery"), _decimal(fees, "inspection"), _decimal(fees, "loading")
            ),
            inspection_body=str(site["inspection_body"]),
            rules=DeliveryRules(
                lot_m3=_decimal(rules, "lot_m3"),
                arrival_days_after_settlement=int(rules["arrival_days_after_settlement"]),
                arrival_cutoff=_time(rules, "arrival_cutoff"),
                handover_days_after_arrival=int(rules["handover_days_after_arrival"]),
                payments=tuple(
                    PaymentMilestone(
                        str(p["name"]), int(p["days_after_settlement"]), _decimal(p, "share")
                    )
                    for p in rules.get("payments", [])
                ),
                alarm_before=timedelta(hours=float(rules["alarm_before_hours"])),
            ),
            quality=QualityRules(
                species=tuple(str(s) for s in quality["species"]),
                lengths_m=tuple(
                    Decimal(str(x)).quantize(Decimal("0.1")) for x in quality["lengths_m"]
                ),
                min_diameter_cm=int(quality["min_diameter_cm"]),
                rejecting_defects=tuple(str(d) for d in quality["rejecting_defects"]),
                max_rejected_share=_decimal(quality, "max_rejected_share"),
                volume_tolerance=_decimal(quality, "volume_tolerance"),
            ),
        )
    except KeyError as error:
        raise SiteFileError(f"delivery site file {where}: missing key {error.args[0]!r}") from None
    except (TypeError, ValueError) as error:
        raise SiteFileError(f"delivery site file {where}: {error}") from None


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise SiteFileError(f"delivery site file {where}: no [{name}] table")
    return table


def _decimal(table: dict[str, Any], key: str) -> Decimal:
    try:
        return Decimal(str(table[key]))
    except InvalidOperation:
        raise SiteFileError(f"{key} = {table[key]!r} is not a number") from None


def _time(table: dict[str, Any], key: str) -> time:
    try:
        return time.fromisoformat(str(table[key]))
    except ValueError:
        raise SiteFileError(f"{key} = {table[key]!r} is not a time such as 13:30") from None


__all__ = ["SHIPPED", "read_delivery_site", "site_from_data"]
