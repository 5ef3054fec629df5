"""The grammar of ISO 6346 size-type codes, so that any valid code can be read.

A 1995 code has four characters: length (``4`` = 40 ft), height and width (``5`` =
9 ft 6 in), and a two-character type (``G1`` = general purpose, passive vents). Older
messages still carry the 1984 form of four digits (``4500``); its type digits map to the
1995 groups by decade. python-stdnum checks container numbers but not these codes.
"""

from __future__ import annotations

import re

#: Length code → nominal length in feet (ISO 6346:1995, table 1).
LENGTHS: dict[str, float] = {
    "1": 10, "2": 20, "3": 30, "4": 40, "A": 24, "B": 24, "C": 24.5, "D": 29,
    "E": 35, "F": 40, "G": 41, "H": 43, "K": 44, "L": 45, "M": 48, "N": 49, "P": 53,
}  # fmt: skip

#: Height/width code → height in feet (widths beyond 8 ft share the heights).
HEIGHTS: dict[str, float] = {
    "0": 8.0, "2": 8.5, "4": 9.0, "5": 9.5, "6": 10.0, "8": 4.25, "9": 4.0,
    "C": 8.5, "D": 9.0, "E": 9.5, "F": 10.0, "L": 8.5, "M": 9.0, "N": 9.5, "P": 10.0,
}  # fmt: skip

#: Type group letter → the type digits defined for it in ISO 6346:1995.
TYPE_DETAILS: dict[str, str] = {
    "G": "0123456789",  # general purpose
    "V": "024",  # general purpose, ventilated
    "B": "0123456",  # dry bulk
    "S": "012",  # named cargo
    "R": "0129",  # refrigerated (integral / removable / heated)
    "H": "012569",  # refrigerated or heated with removable equipment; insulated
    "U": "0123456",  # open top
    "P": "0123456",  # platform (flat rack)
    "T": "0123456789",  # tank
    "A": "0",  # air/surface
}

#: 1984 type-code decades → the 1995 group letter.
LEGACY_GROUPS = "GVHRHUPTBA"

_CODE = re.compile(r"^[0-9A-Z]{4}$")


def problem(code: str) -> str | None:
    """Why ``code`` is not an ISO 6346 size-type code, or None when it is one."""
    if not isinstance(code, str) or not _CODE.match(code):
        return f"{code!r} is not four capital letters or digits"
    if code[0] not in LENGTHS:
        return f"length code {code[0]!r} of {code} is not in ISO 6346"
    if code[1] not in HEIGHTS:
        return f"height/width code {code[1]!r} of {code} is not in ISO 6346"
    if code.isdigit():
        return None  # the 1984 form: any two type digits
    group, detail = code[2], code[3]
    if group not in TYPE_DETAILS:
        return f"type group {group!r} of {code} is not in ISO 6346"
    if detail not in TYPE_DETAILS[group]:
        return f"type {group}{detail} of {code} is not in ISO 6346"
    return None


def modern(code: str) -> str:
    """The 1995 form of a valid code (``4500`` → ``45G0``); 1995 codes come back unchanged."""
    if problem(code) is not None:
        raise ValueError(problem(code))
    if not code.isdigit():
        return code
    decade, detail = int(code[2]), code[3]
    group = LEGACY_GROUPS[decade]
    if detail not in TYPE_DETAILS[group]:
        detail = TYPE_DETAILS[group][0]
    return f"{code[:2]}{group}{detail}"
