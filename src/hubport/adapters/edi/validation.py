"""Checks run on an interchange before anything of it is applied.

Envelope (UNB/UNZ, UNG/UNE, UNH/UNT counts and references), the message type and
directory, the segments each type cannot do without, and the values the hub relies on:
ISO 6346 container numbers and size-type codes, UN/LOCODEs and dates. Every problem names
the message, the segment's position and tag; one problem rejects the whole interchange.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from hubport.adapters.edi.profiles import DIRECTORY, FUNCTIONS, PROFILES, supported
from hubport.adapters.edi.syntax import Interchange, Message, Problem, Segment
from hubport.domain import size_type_codes
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import InvalidContainerNumber

#: Syntax identifiers and the characters each allows beyond ASCII.
SYNTAXES = {"UNOA", "UNOB", "UNOC", "UNOD", "UNOE", "UNOF", "UNOW", "UNOY"}
#: The highest code point each syntax level allows (UNOC: ISO 8859-1; UNOW/UNOY: any).
_REPERTOIRE_LIMITS = {"UNOA": 126, "UNOB": 126, "UNOC": 255}

#: Date/time/period format codes (2379) and their strptime patterns.
DATE_FORMATS = {
    "101": ("YYMMDD", "%y%m%d"),
    "102": ("CCYYMMDD", "%Y%m%d"),
    "201": ("YYMMDDHHMM", "%y%m%d%H%M"),
    "203": ("CCYYMMDDHHMM", "%Y%m%d%H%M"),
    "204": ("CCYYMMDDHHMMSS", "%Y%m%d%H%M%S"),
}
_LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
#: LOC qualifiers whose first element is a stowage or terminal position, not a place code.
_POSITION_QUALIFIERS = {"147", "ZZZ"}
_MAX_SEGMENTS = 100_000
_MAX_VALUE = 512


def validate(interchange: Interchange) -> list[Problem]:
    """Every problem found; an empty list means the interchange may be applied."""
    problems = list(interchange.problems)
    if not interchange.segments:
        return problems or [Problem("no segments")]
    if len(interchange.segments) > _MAX_SEGMENTS:
        return [Problem(f"{len(interchange.segments)} segments; at most {_MAX_SEGMENTS}")]
    problems += _envelope(interchange)
    references = Counter(message.reference for message in interchange.messages)
    for message in interchange.messages:
        if references[message.reference] > 1:
            problems.append(
                Problem(
                    f"message reference {message.reference} is used "
                    f"{references[message.reference]} times in the interchange",
                    message.segments[0].position,
                    "UNH",
                    message.reference,
                )
            )
        problems += validate_message(message, interchange.syntax)
    return problems


def _envelope(interchange: Interchange) -> list[Problem]:
    problems: list[Problem] = []
    segments = interchange.segments
    header = interchange.header
    if header is None:
        first = segments[0]
        return [Problem("the interchange has no UNB header (a bare message?)", 1, first.tag)]
    syntax = header.get(0, 0)
    if syntax not in SYNTAXES:
        problems.append(
            Problem(f"syntax identifier {syntax!r} is not one of {sorted(SYNTAXES)}", 1, "UNB")
        )
    for index, name in ((1, "sender"), (2, "recipient"), (4, "control reference")):
        if not header.get(index, 0).strip():
            deviation = "empty-recipient" if name == "recipient" else None
            problems.append(Problem(f"UNB has no {name}", 1, "UNB", deviation=deviation))
    if len(header.get(4, 0)) > 14:
        problems.append(Problem("UNB control reference is longer than 14 characters", 1, "UNB"))
    prepared = header.get(3, 0) + header.get(3, 1)
    if _parse_date(prepared, "201" if len(prepared) == 10 else "203") is None:
        problems.append(
            Problem(f"UNB date/time {header.get(3, 0)}:{header.get(3, 1)} is not a date", 1, "UNB")
        )
    for segment in segments:
        control = next(
            (char for parts in segment.elements for part in parts for char in part if char < " "),
            None,
        )
        if control is not None:
            problems.append(
                Problem(
                    f"control character U+{ord(control):04X} in a value",
                    segment.position,
                    segment.tag,
                )
            )
            break
    limit = _REPERTOIRE_LIMITS.get(syntax)
    if limit is not None:
        for segment in segments:
            if any(
                ord(char) > limit for parts in segment.elements for part in parts for char in part
            ):
                problems.append(
                    Problem(
                        f"characters beyond {syntax}'s repertoire", segment.position, segment.tag
                    )
                )
                break
    trailer = segments[-1]
    if trailer.tag != "UNZ":
        problems.append(
            Problem(
                "the interchange has no UNZ trailer (cut short?)", trailer.position, trailer.tag
            )
        )
    else:
        groups = [segment for segment in segments if segment.tag == "UNG"]
        expected = len(groups) if groups else len(interchange.messages)
        problems += _count(
            trailer, expected, header.get(4, 0), "messages" if not groups else "groups"
        )
    problems += _groups(segments)
    return problems


def _groups(segments: list[Segment]) -> list[Problem]:
    problems: list[Problem] = []
    opened: Segment | None = None
    messages = 0
    for segment in segments:
        if segment.tag == "UNG":
            opened, messages = segment, 0
        elif segment.tag == "UNH":
            messages += 1
        elif segment.tag == "UNE":
            if opened is None:
                problems.append(Problem("UNE without UNG", segment.position, "UNE"))
            else:
                problems += _count(segment, messages, opened.get(4, 0), "messages")
            opened = None
    if opened is not None:
        problems.append(Problem("functional group has no UNE trailer", opened.position, "UNG"))
    return problems


def _count(trailer: Segment, expected: int, reference: str, what: str) -> list[Problem]:
    problems = []
    declared = trailer.get(0, 0)
    if not declared.isdigit() or int(declared) != expected:
        problems.append(
            Problem(
                f"{trailer.tag} counts {declared or 'nothing'} {what}, the interchange has "
                f"{expected}",
                trailer.position,
                trailer.tag,
            )
        )
    if trailer.get(1, 0) != reference:
        problems.append(
            Problem(
                f"{trailer.tag} reference {trailer.get(1, 0)!r} does not match {reference!r}",
                trailer.position,
                trailer.tag,
            )
        )
    return problems


def validate_message(message: Message, syntax: str = "UNOA") -> list[Problem]:
    """The problems of one message: trailer, profile, required segments and values."""
    problems: list[Problem] = []
    reference = message.reference or None

    def problem(text: str, segment: Segment) -> None:
        problems.append(Problem(text, segment.index, segment.tag, reference))

    head, trailer = message.segments[0], message.segments[-1]
    if not message.reference:
        problem("UNH has no message reference", head)
    declared = trailer.get(0, 0)
    if not declared.isdigit() or int(declared) != len(message.segments):
        problem(
            f"UNT counts {declared or 'nothing'} segments, the message has {len(message.segments)}",
            trailer,
        )
    if trailer.get(1, 0) != message.reference:
        problem(
            f"UNT reference {trailer.get(1, 0)!r} does not match UNH {message.reference!r}",
            trailer,
        )
    profile = PROFILES.get(message.type)
    if profile is None:
        problem(f"message type {message.type or '(none)'} is not supported ({supported()})", head)
        return problems
    if not profile.reads(message.directory):
        problems.append(
            Problem(
                f"{message.type} {message.directory or '(no directory)'} is not supported; "
                f"supported: {profile.directory_range}",
                head.index,
                head.tag,
                reference,
                deviation="other-directory" if DIRECTORY.match(message.directory) else None,
            )
        )
    tags = {segment.tag for segment in message.segments}
    for tag in profile.required:
        if tag not in tags:
            problem(f"{message.type} needs a {tag} segment and has none", head)
    for segment in message.body():
        for text in _segment_problems(segment):
            problem(text, segment)
    return problems


def _segment_problems(segment: Segment) -> list[str]:
    problems = [
        f"a value of {len(part)} characters (at most {_MAX_VALUE})"
        for parts in segment.elements
        for part in parts
        if len(part) > _MAX_VALUE
    ]
    if problems:
        return problems[:1]
    check = _CHECKS.get(segment.tag)
    return check(segment) if check is not None else []


def _check_bgm(segment: Segment) -> list[str]:
    function = segment.get(2, 0)
    if function and not (function in FUNCTIONS or re.fullmatch(r"\d{1,3}", function)):
        return [f"message function {function!r} is not a UN/EDIFACT 1225 code"]
    return []


def _check_equipment(segment: Segment) -> list[str]:
    problems: list[str] = []
    if segment.get(0, 0) != "CN":
        return problems
    number = segment.get(1, 0)
    if not number:
        problems.append("EQD+CN without a container number")
    else:
        try:
            ContainerNumber(number)
        except InvalidContainerNumber as error:
            problems.append(str(error))
    size_type = segment.get(2, 0)
    if size_type:
        reason = size_type_codes.problem(size_type)
        if reason is not None:
            problems.append(f"size-type code: {reason}")
    return problems


def _check_location(segment: Segment) -> list[str]:
    qualifier, code = segment.get(0, 0), segment.get(1, 0)
    if qualifier in _POSITION_QUALIFIERS or not code:
        return []
    agency, code_list = segment.get(1, 2), segment.get(1, 1)
    # checked against UN/LOCODE only when its code list says so (139, or agency 6 with no
    # other list): a terminal's own code (LOC+41+0002) is not a UN/LOCODE, nor meant to be
    is_locode = code_list == "139" or (agency == "6" and code_list in ("", "139"))
    if is_locode and not _LOCODE.match(code):
        return [f"location {code!r} is not a UN/LOCODE (2 letters and 3 letters or digits)"]
    return []


def _check_date(segment: Segment) -> list[str]:
    value, code = segment.get(0, 1), segment.get(0, 2)
    if not value:
        return []
    if not code:
        code = {6: "101", 8: "102", 10: "201", 12: "203", 14: "204"}.get(len(value), "")
    if code not in DATE_FORMATS:
        return [] if code else [f"date {value!r} has no format code and no known length"]
    if _parse_date(value, code) is None:
        return [f"date {value!r} does not match format {code} ({DATE_FORMATS[code][0]})"]
    return []


def _check_measure(segment: Segment) -> list[str]:
    value = segment.get(2, 1)
    if value and _number(value) is None:
        return [f"measure {value!r} is not a number"]
    return []


def _parse_date(value: str, code: str) -> datetime | None:
    pattern = DATE_FORMATS.get(code)
    if pattern is None or not value.isdigit() or len(value) != len(pattern[0]):
        return None
    try:
        return datetime.strptime(value, pattern[1])
    except ValueError:
        return None


def _number(value: str) -> float | None:
    if not re.fullmatch(r"-?\d{1,15}([.,]\d{1,6})?", value):
        return None
    return float(value.replace(",", "."))


_CHECKS = {
    "BGM": _check_bgm,
    "EQD": _check_equipment,
    "LOC": _check_location,
    "DTM": _check_date,
    "MEA": _check_measure,
}


def parse_date(value: str, code: str) -> datetime | None:
    """A DTM value in format ``code`` (or guessed from its length), None when unreadable."""
    if not code:
        code = {6: "101", 8: "102", 10: "201", 12: "203", 14: "204"}.get(len(value), "")
    return _parse_date(value, code)


def parse_number(value: str) -> float | None:
    """A numeric value (decimal point or comma), None when it is not a number."""
    return _number(value)
