"""Readers for the published bay instance formats.

Caserta–Voss (BRP "CV"), DLTS and Bortfeldt–Forster (CPMP) share one layout: a first line
``W N`` (stacks, boxes), then one line per stack ``h p1 .. ph`` listing priorities bottom to
top. None stores the maximum height: CV and DLTS use tiers + 2, BF puts it in the file name
(``cpmp_S_H_N_G_B_i.bay``).
"""

from __future__ import annotations

import re
from pathlib import Path

from hubport.domain.errors import BayFileError, InvalidBay
from hubport.planning.bay import Bay

_BF_NAME = re.compile(r"cpmp_(\d+)_(\d+)_(\d+)_(\d+)_(\d+)_(\d+)\.bay$")


def default_max_height(path: Path, tiers: int) -> int:
    """The height limit the instance's own set uses: from a BF name, else tiers + 2."""
    match = _BF_NAME.search(path.name)
    if match:
        return int(match.group(2))
    return tiers + 2


def _ints(path: Path, number: int, text: str, what: str) -> list[int]:
    try:
        return [int(word) for word in text.split()]
    except ValueError:
        raise BayFileError(str(path), number, f"{what} must be whole numbers: {text!r}") from None


def parse_bay(text: str, path: Path, max_height: int | None = None) -> Bay:
    """Parse the text of a bay file; ``path`` names it in errors and sets BF heights."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    content = [(number, line) for number, line in lines if line.strip()]
    if not content:
        raise BayFileError(str(path), 1, "the file is empty")
    number, header = content[0]
    head = _ints(path, number, header, "the header")
    if len(head) != 2:
        raise BayFileError(str(path), number, f"the header must be 'stacks boxes', got {header!r}")
    width, count = head
    if width < 1:
        raise BayFileError(str(path), number, f"the bay needs at least one stack, not {width}")
    rows = content[1:]
    if len(rows) < width:
        last = rows[-1][0] if rows else number
        raise BayFileError(
            str(path), last, f"the header announces {width} stacks but only {len(rows)} follow"
        )
    if len(rows) > width:
        raise BayFileError(
            str(path), rows[width][0], f"text after the {width} stacks the header announces"
        )
    stacks: list[list[int]] = []
    for number, line in rows:
        values = _ints(path, number, line, "a stack line")
        if not values or values[0] != len(values) - 1:
            raise BayFileError(
                str(path),
                number,
                f"a stack line starts with its box count; {values[0] if values else 'nothing'} "
                f"does not match the {max(0, len(values) - 1)} boxes that follow",
            )
        if any(p < 1 for p in values[1:]):
            raise BayFileError(str(path), number, "priorities must be 1 or more")
        stacks.append(values[1:])
    total = sum(len(stack) for stack in stacks)
    if total != count:
        raise BayFileError(
            str(path), content[0][0], f"the header announces {count} boxes but {total} are listed"
        )
    tiers = max((len(stack) for stack in stacks), default=0)
    height = max_height if max_height is not None else default_max_height(path, tiers)
    try:
        return Bay.of(stacks, height)
    except InvalidBay as error:
        raise BayFileError(str(path), content[0][0], str(error)) from None


def read_bay(path: Path, max_height: int | None = None) -> Bay:
    """Read a bay file in the CV / DLTS / BF layout."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BayFileError(str(path), 0, f"cannot read the file: {error}") from None
    return parse_bay(text, path, max_height)
