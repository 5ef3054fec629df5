"""Real partners bend the standard: what keeps the meaning is accepted with the warning the
partner's profile allows; real defects are rejected whatever the profile says."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubport.adapters.edi.partners import (
    DEFAULT_ACCEPT,
    PartnerProfile,
    PartnerProfileError,
    profile_template,
    read_profile,
)
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate

SAMPLES = Path(__file__).parents[3] / "data" / "edi"
COARRI = (SAMPLES / "COARRI_D95B_ITG13_php-edifact.edi").read_text(encoding="utf-8")
BAPLIE = (SAMPLES / "BAPLIE_D95B_SMDG20_php-edifact.edi").read_text(encoding="utf-8")


def _sorted(text: str, profile: PartnerProfile) -> tuple[list[str], list[str]]:
    """(rejecting problems, accepted deviations) as the gateway sorts them."""
    problems, accepted = [], []
    for problem in validate(read_interchange(text)):
        if problem.deviation is not None and problem.deviation in profile.accept:
            accepted.append(problem.deviation)
        else:
            problems.append(str(problem))
    return problems, accepted


def test_directories_in_use_from_d95b_to_d23a_are_read() -> None:
    for directory in ("D:95B", "D:00B", "D:13B", "D:21A", "D:23A"):
        text = COARRI.replace("COARRI:D:95B", f"COARRI:{directory}")
        assert _sorted(text, PartnerProfile("ITGOAVTE")) == ([], []), directory


def test_a_directory_beyond_d23a_is_refused_unless_the_partner_vouches_for_it() -> None:
    text = COARRI.replace("COARRI:D:95B", "COARRI:D:24A")
    problems, _ = _sorted(text, PartnerProfile("ITGOAVTE"))
    assert any("COARRI D.24A is not supported; supported: D.95B to D.23A" in p for p in problems)
    vouched = PartnerProfile("ITGOAVTE", frozenset({"other-directory"}))
    assert _sorted(text, vouched) == ([], ["other-directory", "other-directory"])


def test_a_terminal_code_without_a_code_list_is_not_taken_for_a_un_locode() -> None:
    text = COARRI.replace("LOC+11+ITGOA:139:6+VTE:TER:ZZZ", "LOC+41+0002", 1)
    assert text != COARRI
    assert _sorted(text, PartnerProfile("ITGOAVTE")) == ([], [])


def test_a_code_said_to_be_a_un_locode_is_still_checked() -> None:
    text = COARRI.replace("LOC+11+ITGOA:139:6", "LOC+11+0002:139:6", 1)
    problems, _ = _sorted(text, PartnerProfile("ITGOAVTE"))
    assert any("'0002' is not a UN/LOCODE" in p for p in problems), problems


def test_an_empty_unb_recipient_is_accepted_by_default_with_a_warning() -> None:
    text = BAPLIE.replace("+OOCLIES:ZZ+", "++", 1)
    assert _sorted(text, PartnerProfile("LBCTI")) == ([], ["empty-recipient"])
    strict = PartnerProfile("LBCTI", frozenset())
    problems, accepted = _sorted(text, strict)
    assert accepted == [] and problems == ["segment 1 UNB: UNB has no recipient"]


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        (lambda t: t.replace("FCIU9908030", "FCIU9908031"), "check digit"),
        (lambda t: t.replace("UNH+1452515553811", "UNH+1452515553812", 1), "UNT reference"),
        (lambda t: t[: t.index("UNZ")], "no UNZ trailer"),
    ],
)
def test_real_defects_are_rejected_whatever_the_profile_accepts(
    defect: object, expected: str
) -> None:
    lenient = PartnerProfile("ITGOAVTE", frozenset({"empty-recipient", "other-directory"}))
    damaged = defect(COARRI)  # type: ignore[operator]
    problems, _ = _sorted(damaged, lenient)
    assert any(expected in p for p in problems), problems


def test_a_profile_file_says_what_a_partner_may_send(tmp_path: Path) -> None:
    assert read_profile(tmp_path, "CRCT") == PartnerProfile("CRCT")
    (tmp_path / "CRCT").mkdir()
    (tmp_path / "CRCT" / "profile.toml").write_text(profile_template("CRCT"))
    assert read_profile(tmp_path, "CRCT").accept == DEFAULT_ACCEPT
    (tmp_path / "CRCT" / "profile.toml").write_text('accept = ["other-directory"]\n')
    profile = read_profile(tmp_path, "CRCT")
    assert profile.accept == {"other-directory"} and profile.source.endswith("profile.toml")


def test_a_profile_cannot_accept_a_real_defect(tmp_path: Path) -> None:
    (tmp_path / "CRCT").mkdir()
    (tmp_path / "CRCT" / "profile.toml").write_text('accept = ["wrong-unt-count"]\n')
    with pytest.raises(PartnerProfileError, match="'wrong-unt-count' cannot be accepted"):
        read_profile(tmp_path, "CRCT")
