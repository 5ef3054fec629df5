"""Shared fixtures: a site, a clock, and builders for boxes and carriers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hubport.adapters.site_file import read_site_file
from hubport.domain.container import Container, ContainerNumber, CustomsStatus, SizeType
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.inventory import Inventory
from hubport.domain.site import Site
from hubport.domain.visits import TrainVisit, TruckVisit, Wagon

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=HUB_TIME)


def valid_number(index: int) -> ContainerNumber:
    """A valid ISO 6346 number; index picks a distinct one."""
    from stdnum import iso6346

    stem = f"HPTU{index:06d}"
    return ContainerNumber(stem + iso6346.calc_check_digit(stem))


def box(
    index: int,
    code: str = "22G1",
    mass: int = 20_000,
    **kwargs: object,
) -> Container:
    return Container(valid_number(index), SizeType.of(code), mass, **kwargs)  # type: ignore[arg-type]


def train(train_id: str = "T100", wagons: int = 10, direction: str = "inbound") -> TrainVisit:
    return TrainVisit(
        train_id,
        "test service",
        direction,  # type: ignore[arg-type]
        tuple(Wagon(n) for n in range(1, wagons + 1)),
    )


def truck(visit: str = "TV1") -> TruckVisit:
    return TruckVisit(visit, "渝A12345")


@pytest.fixture(scope="session")
def site() -> Site:
    return read_site_file(None)[0]


@pytest.fixture
def inventory(site: Site) -> Inventory:
    return Inventory(site)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


__all__ = ["T0", "CustomsStatus", "at", "box", "train", "truck", "valid_number"]
