"""An enterprise's monthly logistics bill against a hand calculation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hubport.park.domain.errors import ParkError
from hubport.park.domain.logistics import LogisticsFigures, monthly_bill


def test_the_bill_equals_a_hand_calculation() -> None:
    # 1,000 t: 900 t by rail = 36 boxes of 25 t; 100 t by road
    bill = monthly_bill(1000, {"freight": 2300.0, "handling": 200.0}, LogisticsFigures())
    amounts = {line.label: line.amount_cny for line in bill.lines}
    assert bill.boxes == 36
    assert amounts["corridor by rail: freight"] == Decimal("82800.00")  # 36 × 2,300
    assert amounts["corridor by rail: handling"] == Decimal("7200.00")
    assert amounts["by road"] == Decimal("42000.00")  # 100 t × 420
    assert amounts["next-day delivery within 50 km"] == Decimal("35000.00")  # 1,000 t × 35
    assert amounts["shared warehousing saving"] == Decimal("-40000.00")  # 1,000 t × 40
    assert bill.total_cny == Decimal("127000.00")
    assert bill.saving_range_cny == (Decimal("30000.00"), Decimal("50000.00"))


def test_a_part_box_is_a_whole_box() -> None:
    assert monthly_bill(30, {"freight": 1.0}, LogisticsFigures(rail_share=1.0)).boxes == 2


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: LogisticsFigures(rail_share=1.2), "rail share 1.2"),
        (lambda: LogisticsFigures(warehousing_saving_cny_per_t=(50, 30)), "is not a range"),
        (lambda: monthly_bill(0, {}, LogisticsFigures()), "0 t a month"),
    ],
)
def test_wrong_figures_are_named(make: object, named: str) -> None:
    with pytest.raises(ParkError, match=named):
        make()  # type: ignore[operator]
