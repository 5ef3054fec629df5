"""A measuring station's tally file and the inspection's verdict."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hubport.futures.domain.errors import InvalidTally
from hubport.futures.domain.inspection import inspect
from hubport.futures.domain.site import DeliverySite
from hubport.futures.domain.tally_document import parse_tally

GOOD = "species,length_m,diameter_cm\nradiata pine,4.0,20\nradiata pine,3.8,30\n辐射松,6.0,24\n"


def test_a_tally_totals_the_table_volumes_of_its_pieces() -> None:
    document = parse_tally(GOOD.encode())
    assert len(document.tally.pieces) == 3
    # 0.160 + 0.324 (3.8 m, 30 cm) + 0.366 (6.0 m, 24 cm)
    assert document.tally.volume_m3 == Decimal("0.850")
    assert document.tally.volume_by_species() == {
        "radiata pine": Decimal("0.484"),
        "辐射松": Decimal("0.366"),
    }


def test_the_same_file_has_the_same_hash_and_another_another() -> None:
    assert parse_tally(GOOD.encode()).sha256 == parse_tally(GOOD.encode()).sha256
    assert (
        parse_tally(GOOD.encode()).sha256
        != parse_tally((GOOD + "radiata pine,4.0,20\n").encode()).sha256
    )


def test_optional_columns_are_read() -> None:
    text = (
        "piece,species,length_m,diameter_cm,defects,inspector,photo\n"
        "7,radiata pine,4.0,20,rot;split,Li,p7.jpg\n"
    )
    piece = parse_tally(text.encode()).tally.pieces[0]
    assert (piece.number, piece.defects, piece.inspector, piece.photo) == (
        7,
        ("rot", "split"),
        "Li",
        "p7.jpg",
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("species,length_m\nradiata pine,4.0\n", "no column diameter_cm"),
        ("species,length_m,diameter_cm\nradiata pine,4.1,20\n", "row 2: length 4.1"),
        (
            "species,length_m,diameter_cm\nradiata pine,4.0,20\n,4.0,20\n",
            "row 3: piece 2: the species is empty",
        ),
        ("species,length_m,diameter_cm\n", "no pieces"),
        ("species,length_m,diameter_cm\nradiata pine,4.0,20,9\n", "row 2: more fields"),
        ("piece,species,length_m,diameter_cm\n1,a,4.0,20\n1,a,4.0,20\n", "appear more than once"),
    ],
)
def test_a_broken_tally_is_refused_by_row(text: str, named: str) -> None:
    with pytest.raises(InvalidTally, match=named):
        parse_tally(text.encode())


def test_a_tally_within_tolerance_and_grade_passes(delivery_site: DeliverySite) -> None:
    rows = "species,length_m,diameter_cm\n" + "radiata pine,4.0,30\n" * 100
    tally = parse_tally(rows.encode()).tally  # 100 × 0.344 (4.0 m, 30 cm) = 34.4 m³
    verdict = inspect(tally, Decimal("34.0"), delivery_site.quality)
    assert verdict.passed and verdict.tallied_m3 == Decimal("34.400")


def test_rejected_pieces_are_not_delivered_and_too_many_fail(delivery_site: DeliverySite) -> None:
    rows = "species,length_m,diameter_cm,defects\n" + "radiata pine,4.0,30,\n" * 90
    rows += "radiata pine,4.0,30,rot\n" * 6 + "spruce,4.0,30,\n" * 4
    verdict = inspect(parse_tally(rows.encode()).tally, Decimal("31.0"), delivery_site.quality)
    assert verdict.rejected_pieces == 10
    assert verdict.tallied_m3 == Decimal("30.960")  # the 90 good pieces only
    assert not verdict.passed
    assert "10 of 100 pieces rejected" in verdict.reasons[0]
    assert any("defect rot" in reason for reason in verdict.reasons)
    assert any("species 'spruce'" in reason for reason in verdict.reasons)


def test_a_short_delivery_fails_on_volume(delivery_site: DeliverySite) -> None:
    rows = "species,length_m,diameter_cm\n" + "radiata pine,4.0,30\n" * 100
    verdict = inspect(parse_tally(rows.encode()).tally, Decimal(90), delivery_site.quality)
    assert not verdict.passed and "outside ±3%" in verdict.reasons[0]
