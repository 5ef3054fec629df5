"""Quotes on the shipped network: bills that add up, CO2 per leg, clear refusals."""

from __future__ import annotations

from datetime import datetime

import pytest

from hubport.adapters.corridor_files import load_network
from hubport.corridor.quote import QuoteError, QuoteRequest, container_type, parse_mass, quote

NETWORK = load_network()


def test_every_option_is_pareto_and_its_bill_adds_up() -> None:
    options, _timetable, size_type = quote(
        NETWORK, QuoteRequest("CNJGJ", "THLCH", "40HC", 20_000, datetime(2026, 12, 1))
    )
    assert size_type.code == "45G1" and len(options) >= 2
    keys = [(o.ready, round(o.cost, 2), o.itinerary.transfers) for o in options]
    for key in keys:
        assert not any(
            other != key and all(a <= b for a, b in zip(other, key, strict=True)) for other in keys
        )
    for option in options:
        assert option.cost == pytest.approx(sum(line.amount for line in option.itinerary.lines))
        assert option.co2_kg == pytest.approx(sum(option.co2_per_leg)) and option.co2_kg > 0
    assert sum(option.fastest for option in options) >= 1
    assert sum(option.cheapest for option in options) >= 1
    assert [o.ready for o in options] == sorted(o.ready for o in options)


def test_rail_sea_via_qinzhou_carries_the_declaration_through() -> None:
    options, _, _ = quote(
        NETWORK, QuoteRequest("CNJGJ", "SGSIN", "20GP", 15_000, datetime(2026, 12, 1))
    )
    via_qinzhou = [o for o in options if o.itinerary.legs[0].service.id == "RS-QZH"]  # type: ignore[union-attr]
    assert via_qinzhou and via_qinzhou[0].itinerary.customs_saved_hours == 36


def test_unknown_place_gets_the_nearest_names() -> None:
    with pytest.raises(QuoteError, match=r"unknown place 'THLHC'; did you mean .*THLCH"):
        quote(NETWORK, QuoteRequest("CNJGJ", "THLHC", "40HC", 20_000, datetime(2026, 12, 1)))


def test_unknown_container_type_gets_suggestions() -> None:
    with pytest.raises(QuoteError, match=r"unknown container type '40HX'; did you mean .*40HC"):
        container_type("40HX")


def test_overweight_cargo_is_refused() -> None:
    with pytest.raises(QuoteError, match="does not fit a 22G1"):
        quote(NETWORK, QuoteRequest("CNJGJ", "THLCH", "20GP", 40_000, datetime(2026, 12, 1)))


def test_mass_is_read_in_tonnes_or_kilograms() -> None:
    assert parse_mass("20t") == 20_000 and parse_mass("18500kg") == 18_500
    with pytest.raises(QuoteError, match="not a number with t or kg"):
        parse_mass("heavy")
