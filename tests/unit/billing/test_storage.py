"""Storage over hand-worked stays: across the free days and the tiers, and across a
tariff change mid-stay; money rounded to the fen half up; contract rates over general."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from hubport.billing.adapters.tariff_file import read_tariff, tariffs_from_data
from hubport.billing.domain.money import MoneyError, cny
from hubport.billing.domain.storage import hub_days, storage_charge, storage_days
from hubport.billing.domain.tariff import StorageScale, StorageTier, TariffBook, TariffError
from hubport.domain.hub_time import HUB_TIME

BOOK = TariffBook(read_tariff())


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HUB_TIME)


def test_a_stay_counts_its_arrival_and_departure_days() -> None:
    assert len(hub_days(_at(date(2026, 3, 1), 23), _at(date(2026, 3, 2), 1))) == 2
    assert len(hub_days(_at(date(2026, 3, 1), 8), _at(date(2026, 3, 1), 20))) == 1


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (4, Decimal(0)),  # all free
        (5, Decimal(8)),  # day 5 at 8
        (10, Decimal(48)),  # days 5-10: 6 × 8
        (11, Decimal(64)),  # + day 11 at 16
        (14, Decimal(112)),  # 48 + 4 × 16
    ],
)
def test_a_full_20_foot_pays_after_its_free_days_by_tier(days: int, expected: Decimal) -> None:
    arrived = _at(date(2026, 3, 1))
    left = _at(date(2026, 3, days))
    assert storage_charge(storage_days(BOOK, 20, True, None, arrived, left)) == expected


def test_a_tariff_change_mid_stay_prices_the_days_after_it_by_the_new_scale() -> None:
    # arrives 2026-12-25, leaves 2027-01-06: 13 days; days 1-4 free (12-25..12-28),
    # days 5-7 (12-29..12-31) at 2026's 8 = 24; days 8-10 (01-01..01-03) at 2027's 10 = 30;
    # days 11-13 (01-04..01-06) at 2027's 20 = 60: 114 in all
    days = storage_days(BOOK, 20, True, None, _at(date(2026, 12, 25)), _at(date(2027, 1, 6)))
    assert len(days) == 13
    assert [d.tariff for d in days].count("general 2027") == 6
    assert storage_charge(days) == Decimal(114)


def test_money_is_rounded_to_the_fen_half_up() -> None:
    assert cny("2.345") == Decimal("2.35")
    assert cny(Decimal("2.344")) == Decimal("2.34")
    assert cny("-2.345") == Decimal("-2.35")
    with pytest.raises(MoneyError, match="'abc' is not an amount"):
        cny("abc")


def test_a_contract_rate_overrides_the_general_one_for_its_customer_only() -> None:
    contract = tariffs_from_data(
        {
            "vat_rate": 0.06,
            "customer": "COSCO",
            "versions": [
                {
                    "name": "COSCO 2026",
                    "valid_from": date(2026, 6, 1),
                    "rates": {"discharge_wagon": 150},
                }
            ],
        },
        "contract",
    )
    book = TariffBook(read_tariff(), contract)
    assert book.rate("discharge_wagon", "COSCO", date(2026, 7, 1))[0] == Decimal(150)
    assert book.rate("discharge_wagon", "COSCO", date(2026, 5, 1))[0] == Decimal(200)  # before
    assert book.rate("discharge_wagon", "MSK", date(2026, 7, 1))[0] == Decimal(200)
    assert book.rate("load_wagon", "COSCO", date(2026, 7, 1))[0] == Decimal(200)  # not in it


def test_a_wrong_tariff_is_named() -> None:
    from_2026 = TariffBook(tuple(t for t in BOOK.general if t.valid_from.year >= 2026))
    with pytest.raises(TariffError, match="no general tariff is in force on 2025-12-31"):
        from_2026.rate("load_wagon", None, date(2025, 12, 31))
    with pytest.raises(TariffError, match="must start the day after the 4 free days"):
        StorageScale(4, (StorageTier(6, Decimal(1)),))
    with pytest.raises(TariffError, match="'parking' is not a chargeable kind"):
        BOOK.rate("parking", None, date(2026, 7, 1))


def test_the_shipped_tariffs_price_every_day_the_twin_s_scenarios_run() -> None:
    """The twin replays 2024 (xiaonanya-2024) and the design-capacity years: a box's
    charges there are priced, not refused for want of a tariff."""
    from hubport.billing.adapters.tariff_file import read_tariff_book

    book = read_tariff_book()
    for day in (date(2024, 1, 1), date(2025, 12, 31), date(2026, 1, 1), date(2030, 6, 1)):
        for kind in ("discharge_wagon", "lift_on_truck", "reefer_hour"):
            assert book.rate(kind, "COS", day)[0] > 0
        assert book.storage(40, True, None, day)[0].free_days >= 1
