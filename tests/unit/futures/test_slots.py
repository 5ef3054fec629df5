"""Booking a slot: capacity, spot and track conflicts are refused with their reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hubport.futures.domain.errors import SiteFileError, SlotRefused
from hubport.futures.domain.site import DeliverySite
from hubport.futures.domain.slots import BookedSlot, SlotRequest, TrackUse, WagonLoad, check_slot
from tests.unit.futures.conftest import S, hub


def _request(
    track: str = "LH1",
    spot: str = "A",
    start: int = 9,
    end: int = 12,
    wagons: int = 3,
    each: str = "60",
    delivery: str = "D1",
) -> SlotRequest:
    loads = tuple(WagonLoad("C70", Decimal(each)) for _ in range(wagons))
    return SlotRequest(delivery, track, spot, hub(S, start), hub(S, end), loads)


def test_a_free_spot_within_capacity_is_booked(delivery_site: DeliverySite) -> None:
    check_slot(delivery_site, _request(), [], [])


def test_a_booking_over_the_daily_capacity_is_refused(delivery_site: DeliverySite) -> None:
    booked = [BookedSlot("D0", "LH1", "B", hub(S, 8), hub(S, 17), Decimal(1700))]
    with pytest.raises(SlotRefused, match="exceed the site's daily capacity of 1800 m³"):
        check_slot(delivery_site, _request(), booked, [])


def test_an_overlapping_booking_on_the_same_spot_is_refused(delivery_site: DeliverySite) -> None:
    booked = [BookedSlot("D0", "LH1", "A", hub(S, 11), hub(S, 13), Decimal(90))]
    with pytest.raises(SlotRefused, match="spot LH1/A is booked by delivery D0 from 11:00"):
        check_slot(delivery_site, _request(), booked, [])
    check_slot(delivery_site, _request(spot="B"), booked, [])  # the other spot is free


def test_a_train_on_a_shared_track_keeps_it(delivery_site: DeliverySite) -> None:
    train = [TrackUse("X8041", "T2", hub(S, 10), hub(S, 14))]
    with pytest.raises(SlotRefused, match="track T2 has train X8041"):
        check_slot(delivery_site, _request(track="T2", spot="N"), [], train)
    check_slot(delivery_site, _request(track="T2", spot="N", start=14, end=16), [], train)


def test_a_train_on_another_track_does_not_matter(delivery_site: DeliverySite) -> None:
    check_slot(delivery_site, _request(), [], [TrackUse("X8041", "LH1", hub(S, 9), hub(S, 12))])


@pytest.mark.parametrize(
    ("request_", "named"),
    [
        (_request(start=6, end=9), "outside the site's working hours 08:00–18:00"),
        (_request(start=12, end=9), "empty or reversed"),
        (_request(wagons=11), "11 wagons do not fit spot LH1/A"),
        (_request(each="80"), "80 m³ is beyond its limit of 75 m³"),
        (_request(wagons=0), "names the wagon loads"),
    ],
)
def test_a_bad_slot_is_refused_by_name(
    delivery_site: DeliverySite, request_: SlotRequest, named: str
) -> None:
    with pytest.raises(SlotRefused, match=named):
        check_slot(delivery_site, request_, [], [])


def test_an_unknown_spot_or_wagon_type_is_named(delivery_site: DeliverySite) -> None:
    with pytest.raises(SiteFileError, match="no loading spot LH9/A"):
        check_slot(delivery_site, _request(track="LH9"), [], [])
    odd = SlotRequest("D1", "LH1", "A", hub(S, 9), hub(S, 10), (WagonLoad("P62", Decimal(10)),))
    with pytest.raises(SiteFileError, match="wagon type 'P62'"):
        check_slot(delivery_site, odd, [], [])
