"""Every shared sample is read; the valid ones pass, the defective ones fail for their defect."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.inbound import interpret
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate

SAMPLES = Path(__file__).parents[3] / "data" / "edi"
HUB = frozenset({"CNJGJ", "CNLOH"})

#: file → the defects validation must report (as fragments of the problem text).
DEFECTS = {
    "BAPLIE_D13B_SMDG31_edifabric.edi": [
        "segment 22 UNT: UNT counts 21 segments, the message has 22"
    ],
    "BAPLIE_D95B_SMDG20_php-edifact.edi": [],
    "COARRI_D95B_ITG13_php-edifact.edi": [],
    "CODECO_D95B_SMDG16_smartdatamodels.edi": [
        "segment 7 EQD: invalid container number 'TESI1120274'"
    ],
    "COPRAR_D95B_apimeister.edi": [
        "no UNB header",
        "UNT counts 56 segments, the message has 29",
        "segment 10 EQD: invalid container number 'MSTI6415664'",
        "date '20121124' does not match format 203",
    ],
    "CUSCAR_D03B_edifabric.edi": [],
    "IFTSAI_D99B_portxchange.edi": ["no UNZ trailer", "message type IFTSAI is not supported"],
    "IFTSTA_D00B_apimeister.edi": [
        "UNZ reference '2805570' does not match '2803570'",
        "invalid container number 'TRHU4561222': check digit is 2, expected 5",
    ],
    "IFTSTA_D96A_EAN004_edifabric.edi": [
        "segment 20 DTM: date '20020148' does not match format 102"
    ],
}


def test_every_sample_in_the_test_data_is_listed() -> None:
    assert sorted(path.name for path in SAMPLES.glob("*.edi")) == sorted(DEFECTS)


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_sample_is_accepted_or_rejected_for_its_known_defect(name: str) -> None:
    interchange = read_interchange((SAMPLES / name).read_text(encoding="utf-8"))
    problems = [str(problem) for problem in validate(interchange)]
    for defect in DEFECTS[name]:
        assert any(defect in problem for problem in problems), (defect, problems)
    if not DEFECTS[name]:
        assert problems == []
        for message in interchange.messages:
            _intent, found = interpret(decode(message), HUB)
            assert found == []


def test_bayplan_slots_decode_with_stowage_mass_and_ports() -> None:
    interchange = read_interchange((SAMPLES / "BAPLIE_D95B_SMDG20_php-edifact.edi").read_text())
    document = decode(interchange.messages[0])
    first = document.equipment[0]
    assert (document.transport_id, document.transport_name) == ("VRIB3", "OOCL BEIJING")
    assert (first.number, first.size_type, first.position) == ("OOLU4293959", "4200", "0780690")
    assert (first.gross_mass_kg, first.loading_place, first.discharge_place) == (
        3833,
        "USLGB",
        "CNYTN",
    )
    assert first.full is False


def test_coarri_holds_a_discharge_and_a_loading_report() -> None:
    interchange = read_interchange((SAMPLES / "COARRI_D95B_ITG13_php-edifact.edi").read_text())
    discharge, loading = (decode(message) for message in interchange.messages)
    assert (discharge.code, len(discharge.equipment)) == ("44", 2)
    assert (loading.code, len(loading.equipment)) == ("46", 19)
    assert loading.equipment[0].gross_mass_kg == 21500  # EGW, not the tare


def test_smdg31_bayplan_with_its_count_corrected_is_accepted_and_decoded() -> None:
    text = (SAMPLES / "BAPLIE_D13B_SMDG31_edifabric.edi").read_text()
    corrected = read_interchange(text.replace("UNT+21+M-EX1/1", "UNT+22+M-EX1/1"))
    assert validate(corrected) == []
    document = decode(corrected.messages[0])
    assert (document.directory, document.code, document.transport_id) == ("D.13B", "659", "9354351")
    (slot,) = document.equipment
    assert (slot.number, slot.size_type, slot.position, slot.full) == (
        "SUDU1234569",
        "42U0",
        "0200688",
        True,
    )


def test_a_d00b_coprar_is_read_like_its_d95b_profile() -> None:
    from tests.unit.adapters.edi.messages import NUMBERS, coprar, line

    text = coprar(line(NUMBERS[0])).replace("COPRAR:D:95B:UN:SMDG16", "COPRAR:D:00B:UN:SMDG20")
    interchange = read_interchange(text)
    assert validate(interchange) == []
    intent, problems = interpret(decode(interchange.messages[0]), HUB)
    assert problems == [] and [advice.number.value for advice in intent.advices] == [NUMBERS[0]]
