"""The shipped corridor data loads; a bad row is refused with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubport.adapters.corridor_files import CorridorDataError, load_network


def test_shipped_network_loads_with_a_source_for_every_figure() -> None:
    network = load_network()
    assert {"CNJGJ", "CNQZH", "THLCH", "LAVTE"} <= set(network.places)
    for service in network.services.values():
        assert service.provenance.source and network.tariffs[service.id].provenance.source
    assert set(network.emissions) == {"rail", "river", "sea", "road"}


def test_user_file_overrides_a_figure(tmp_path: Path) -> None:
    (tmp_path / "tariffs.csv").write_text(
        "service,per_teu,per_feu,currency,source,date,assumed\n"
        "RS-QZH,700,1111,USD,our contract 2026,2026-11-01,no\n"
    )
    network = load_network(tmp_path)
    assert network.tariffs["RS-QZH"].per_feu == 1111
    assert network.tariffs["CL-VTE"].per_feu == load_network().tariffs["CL-VTE"].per_feu


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("X1,Test,rail,CNJGJ,CNQZH,Mon,25:00,48,,,src,2026,", "departure '25:00' is not HH:MM"),
        ("X1,Test,tram,CNJGJ,CNQZH,Mon,10:00,48,,,src,2026,", "mode 'tram' is not one of"),
        ("X1,Test,rail,CNJGJ,CNQZH,Funday,10:00,48,,,src,2026,", "'fun' is not a weekday"),
        ("X1,Test,rail,CNJGJ,CNQZH,Mon,10:00,-4,,,src,2026,", "transit_hours -4 is negative"),
        ("X1,Test,rail,CNJGJ,cnqzh,Mon,10:00,48,,,src,2026,", "to 'cnqzh' is not a UN/LOCODE"),
        ("X1,Test,rail,CNJGJ,CNQZH,Mon,10:00,48,,,,2026,", "every row needs a source"),
        ("X1,Test,rail,CNJGJ,CNQZH,Mon,10:00,48", "expected 13 columns"),
    ],
)
def test_bad_service_row_is_refused_with_file_line_and_reason(
    tmp_path: Path, row: str, reason: str
) -> None:
    header = (
        "id,name,mode,from,to,days,departure,transit_hours,distance_km,capacity_teu,"
        "source,date,assumed\n"
    )
    good = "X0,Good,rail,CNJGJ,CNQZH,Mon,10:00,48,,,src,2026,\n"
    (tmp_path / "services.csv").write_text(header + good + row + "\n")
    with pytest.raises(CorridorDataError) as raised:
        load_network(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'services.csv'}:3: ")
    assert reason in str(raised.value)


def test_service_without_a_tariff_is_refused(tmp_path: Path) -> None:
    (tmp_path / "services.csv").write_text(
        "id,name,mode,from,to,days,departure,transit_hours,distance_km,capacity_teu,"
        "source,date,assumed\nNEW,New,rail,CNJGJ,CNQZH,Mon,10:00,48,,,src,2026,\n"
    )
    with pytest.raises(CorridorDataError, match="service NEW has no tariff row"):
        load_network(tmp_path)
