"""The shipped Luohuang delivery site and a match on it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from hubport.domain.hub_time import HUB_TIME
from hubport.futures.adapters.site_file import read_delivery_site
from hubport.futures.domain.delivery import Delivery
from hubport.futures.domain.site import DeliverySite

#: The matching day D and the settlement day S of the test match.
D = date(2025, 9, 15)
S = date(2025, 9, 16)


def hub(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HUB_TIME)


@pytest.fixture(scope="session")
def delivery_site() -> DeliverySite:
    return read_delivery_site()


@pytest.fixture
def delivery(delivery_site: DeliverySite) -> Delivery:
    return Delivery.matched(
        "D1",
        delivery_site.rules,
        contract="LG2509",
        lots=2,
        buyer="M0101",
        seller="M0202",
        matched_on=D,
        settlement_day=S,
        price_cny_per_m3=Decimal(810),
        at=hub(D, 15),
    )
