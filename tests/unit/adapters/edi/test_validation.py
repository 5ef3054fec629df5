"""Validation names the message, segment and problem, for each kind of defect."""

from __future__ import annotations

import pytest

from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate
from tests.unit.adapters.edi.messages import NUMBERS, coprar, line


def problems_of(text: str) -> list[str]:
    return [str(problem) for problem in validate(read_interchange(text))]


def test_a_written_message_is_valid() -> None:
    assert problems_of(coprar(line(NUMBERS[0]), line(NUMBERS[1]))) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("UNT+9+1", "UNT+8+1"), "UNT counts 8 segments, the message has 9"),
        (lambda t: t.replace("UNT+9+1", "UNT+9+2"), "UNT reference '2' does not match UNH '1'"),
        (lambda t: t.replace("UNZ+1+100", "UNZ+2+100"), "UNZ counts 2 messages"),
        (lambda t: t.replace("UNZ+1+100", "UNZ+1+101"), "UNZ reference '101' does not match"),
        (lambda t: t.replace("CSQU3054383", "CSQU3054384"), "check digit is 4, expected 3"),
        (lambda t: t.replace("22G1", "22X9"), "size-type code: type group 'X'"),
        (lambda t: t.replace("CNJGJ", "CN-GJ"), "'CN-GJ' is not a UN/LOCODE"),
        (lambda t: t.replace("COPRAR:D:95B", "COPRAR:D:24A"), "COPRAR D.24A is not supported"),
        (lambda t: t.replace("COPRAR:D:95B", "COPRAR:D:93A"), "COPRAR D.93A is not supported"),
        (lambda t: t.replace("COPRAR:D", "IFTMIN:D"), "message type IFTMIN is not supported"),
        (lambda t: t.replace("MEA+AAE+VGM+KGM:18000", "MEA+AAE+VGM+KGM:18t"), "not a number"),
        (lambda t: t.replace("UNOC:3", "UNOA:3").replace("China-Laos", "中老铁路"), "repertoire"),
        (lambda t: t[: t.index("UNT")], "no UNT trailer"),
        (lambda t: t[: t.index("UNZ")], "no UNZ trailer"),
        (lambda t: t.split("\n", 2)[2], "no UNB header"),
    ],
)
def test_defect_is_reported_with_its_place(change: object, expected: str) -> None:
    text = coprar(line(NUMBERS[0]))
    changed = change(text)  # type: ignore[operator]
    assert changed != text
    found = problems_of(changed)
    assert any(expected in problem for problem in found), found


def test_missing_required_segment_is_named() -> None:
    text = coprar(line(NUMBERS[0]))
    without_tdt = "\n".join(row for row in text.split("\n") if not row.startswith("TDT"))
    found = problems_of(without_tdt.replace("UNT+9+1", "UNT+8+1"))
    assert found == ["message 1, segment 1 UNH: COPRAR needs a TDT segment and has none"]


def test_bad_date_is_reported() -> None:
    text = coprar(line(NUMBERS[0])).replace("BGM+121", "DTM+137:202613011200:203'\nBGM+121")
    found = problems_of(text.replace("UNT+9+1", "UNT+10+1"))
    assert any("date '202613011200' does not match format 203" in p for p in found), found


def test_empty_file_is_rejected() -> None:
    assert problems_of("   \n") == ["the file is empty"]


def test_a_damaged_service_string_advice_is_a_syntax_problem() -> None:
    # Found by benchmarks/edi_fuzz.py: pydifact raised its own ValidationError here.
    text = coprar(line(NUMBERS[0]))
    found = problems_of(text.split("\n", 1)[1].rstrip() + "UNA:+")
    assert any("syntax error" in problem for problem in found), found
