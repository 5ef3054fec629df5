"""A quote through the hub prices its handling and storage by the hub's tariff in force on
the quote's day."""

from __future__ import annotations

from datetime import date

from hubport.adapters.corridor_files import load_network
from hubport.billing.adapters.tariff_file import read_tariff_book
from hubport.billing.domain.quotes import priced_by_tariff

BOOK = read_tariff_book()


def test_the_hub_s_places_take_their_handling_and_storage_from_the_tariff() -> None:
    network = load_network()
    priced = priced_by_tariff(network, BOOK, {"CNJGJ", "CNLOH"}, date(2026, 12, 1))
    station, port = priced.nodes["CNJGJ"], priced.nodes["CNLOH"]
    assert station.handling_per_teu == 200 + 120  # discharge from a wagon, lift onto a truck
    assert port.handling_per_teu == 200 + 180  # discharge from a wagon, load onto a barge
    assert (station.free_storage_days, station.storage_per_teu_day) == (4, 8)
    assert "general 2026" in station.provenance.source
    assert priced.nodes["THLCH"] == network.nodes["THLCH"]  # not the hub's: untouched
    later = priced_by_tariff(network, BOOK, {"CNJGJ"}, date(2027, 1, 4))
    assert later.nodes["CNJGJ"].handling_per_teu == 210 + 125
