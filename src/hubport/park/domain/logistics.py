"""An enterprise's monthly logistics bill: its inbound materials brought by corridor
train through the station (the corridor quote engine's cheapest option, per box) and the
rest by road, the next-day delivery from the station to the plant within 50 km, and what
the park's shared warehousing saves. Every figure is configurable; the defaults are the
park's published ones or marked as assumptions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hubport.park.domain.errors import ParkError


@dataclass(frozen=True)
class LogisticsFigures:
    #: Published by the park (the issue's figures): 90 % of raw materials by rail.
    rail_share: float = 0.9
    #: Published: shared warehousing saves 30-50 CNY a tonne.
    warehousing_saving_cny_per_t: tuple[float, float] = (30.0, 50.0)
    #: Assumed: next-day delivery within 50 km of the station, per tonne.
    next_day_delivery_cny_per_t: float = 35.0
    #: Assumed: the road share brought by truck over the corridor's distance, per tonne.
    road_cny_per_t: float = 420.0
    #: Assumed: tonnes of cargo in a 40' box.
    tonnes_per_box: float = 25.0

    def __post_init__(self) -> None:
        if not 0 <= self.rail_share <= 1:
            raise ParkError(f"rail share {self.rail_share} is not between 0 and 1")
        low, high = self.warehousing_saving_cny_per_t
        if not 0 <= low <= high:
            raise ParkError(f"warehousing saving {low}-{high} CNY/t is not a range")
        if self.tonnes_per_box <= 0:
            raise ParkError(f"tonnes per box {self.tonnes_per_box} must be positive")


@dataclass(frozen=True)
class BillLine:
    label: str
    amount_cny: Decimal
    basis: str


@dataclass(frozen=True)
class LogisticsBill:
    tonnes: float
    boxes: int
    lines: tuple[BillLine, ...]
    saving_range_cny: tuple[Decimal, Decimal]

    @property
    def total_cny(self) -> Decimal:
        return sum((line.amount_cny for line in self.lines), Decimal(0))


def _cny(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def monthly_bill(
    tonnes: float, box_lines: dict[str, float], figures: LogisticsFigures
) -> LogisticsBill:
    """The month's bill for ``tonnes`` of inbound material; ``box_lines`` is one box's
    corridor bill by kind (freight, handling, port, customs, trucking...)."""
    if tonnes <= 0:
        raise ParkError(f"{tonnes} t a month: a flow is positive")
    rail_t = tonnes * figures.rail_share
    boxes = math.ceil(rail_t / figures.tonnes_per_box) if rail_t else 0
    lines = [
        BillLine(
            f"corridor by rail: {kind}", _cny(amount * boxes), f"{boxes} boxes × {amount:,.2f}"
        )
        for kind, amount in sorted(box_lines.items())
    ]
    road_t = tonnes - rail_t
    if road_t:
        lines.append(
            BillLine(
                "by road",
                _cny(road_t * figures.road_cny_per_t),
                f"{road_t:,.0f} t × {figures.road_cny_per_t:g}",
            )
        )
    lines.append(
        BillLine(
            "next-day delivery within 50 km",
            _cny(tonnes * figures.next_day_delivery_cny_per_t),
            f"{tonnes:,.0f} t × {figures.next_day_delivery_cny_per_t:g}",
        )
    )
    low, high = figures.warehousing_saving_cny_per_t
    middle = (low + high) / 2
    lines.append(
        BillLine(
            "shared warehousing saving",
            -_cny(tonnes * middle),
            f"{tonnes:,.0f} t × {middle:g} (published range {low:g}-{high:g})",
        )
    )
    return LogisticsBill(tonnes, boxes, tuple(lines), (_cny(tonnes * low), _cny(tonnes * high)))


__all__ = ["BillLine", "LogisticsBill", "LogisticsFigures", "monthly_bill"]
