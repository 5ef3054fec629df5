"""Places a box can be: a yard slot, a wagon or truck spot, a vessel cell, a crane spreader.

Every place has a canonical text form (stored, logged and typed at the command line) and
occupies one or more *positions*; two boxes never share a position. Bay numbers follow the
terminal convention: odd bays are 20' positions, an even bay is a 40' slot covering the odd
bays on either side (bay 04 = bays 03 + 05).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from hubport.domain.container import SizeType
from hubport.domain.errors import InvalidPlace

Spot = Literal["A", "B", "AB"]
_SPOTS: tuple[Spot, ...] = ("A", "B", "AB")


def _bay_positions(bay: int) -> tuple[int, ...]:
    return (bay,) if bay % 2 else (bay - 1, bay + 1)


@dataclass(frozen=True, order=True)
class StackKey:
    """One 20' ground stack of the yard: block, odd bay, row."""

    block: str
    bay: int
    row: int

    def __str__(self) -> str:
        return f"{self.block}-{self.bay:02d}-{self.row:02d}"

    def position(self, tier: int) -> str:
        """The position key of this stack at ``tier``."""
        return yard_key(self.block, self.bay, self.row, tier)


def yard_key(block: str, bay: int, row: int, tier: int) -> str:
    """The position key of one 20' yard position (the only place it is spelled)."""
    return f"yard:{block}-{bay:02d}-{row:02d}-{tier}"


def stack_of_position(position: str) -> tuple[StackKey, int] | None:
    """The ground stack and tier of a yard position key; None for other positions."""
    if not position.startswith("yard:"):
        return None
    block, bay, row, tier = position[5:].rsplit("-", 3)
    return StackKey(block, int(bay), int(row)), int(tier)


def carrier_of_position(position: str) -> str | None:
    """The carrier a non-yard position key belongs to (``wagon:TRAIN``, ``truck:VISIT``,
    ``crane:ID``, ``vessel:CALL``); None for yard positions."""
    kind, _, rest = position.partition(":")
    if kind == "yard":
        return None
    return f"{kind}:{rest.split(':', 1)[0]}"


def _check_bay_fits(place: str, bay: int, size_type: SizeType) -> None:
    if size_type.is_forty and bay % 2:
        raise InvalidPlace(f"{place}: a {size_type.code} needs an even (40') bay, not {bay:02d}")
    if not size_type.is_forty and not bay % 2:
        raise InvalidPlace(f"{place}: a {size_type.code} needs an odd (20') bay, not {bay:02d}")


def _check_spot_fits(place: str, spot: Spot, size_type: SizeType) -> None:
    if size_type.is_forty != (spot == "AB"):
        wanted = "AB" if size_type.is_forty else "A or B"
        raise InvalidPlace(f"{place}: a {size_type.code} needs spot {wanted}, not {spot}")


@dataclass(frozen=True, order=True)
class YardSlot:
    """A stack position in a yard block: block, bay (odd 20', even 40'), row, tier (1 = ground)."""

    block: str
    bay: int
    row: int
    tier: int

    kind = "yard"

    def __str__(self) -> str:
        return yard_key(self.block, self.bay, self.row, self.tier)

    def positions(self) -> tuple[str, ...]:
        return tuple(yard_key(self.block, bay, self.row, self.tier) for bay in self.ground_bays)

    def check_fits(self, size_type: SizeType) -> None:
        _check_bay_fits(str(self), self.bay, size_type)

    @property
    def ground_bays(self) -> tuple[int, ...]:
        """The 20' bays this slot covers."""
        return _bay_positions(self.bay)

    @property
    def stacks(self) -> tuple[StackKey, ...]:
        """The ground stacks this slot stands on (two for a 40')."""
        return tuple(StackKey(self.block, bay, self.row) for bay in self.ground_bays)


@dataclass(frozen=True, order=True)
class WagonSlot:
    """A spot on a wagon of a train visit: A or B for a 20', AB for a 40'."""

    train: str
    wagon: int
    spot: Spot

    kind = "wagon"

    def __str__(self) -> str:
        return f"wagon:{self.train}:{self.wagon:02d}:{self.spot}"

    def positions(self) -> tuple[str, ...]:
        spots = ("A", "B") if self.spot == "AB" else (self.spot,)
        return tuple(f"wagon:{self.train}:{self.wagon:02d}:{spot}" for spot in spots)

    def check_fits(self, size_type: SizeType) -> None:
        _check_spot_fits(str(self), self.spot, size_type)


@dataclass(frozen=True, order=True)
class TruckSlot:
    """A spot on a truck's chassis during a gate visit: A or B for a 20', AB for a 40'."""

    visit: str
    spot: Spot

    kind = "truck"

    def __str__(self) -> str:
        return f"truck:{self.visit}:{self.spot}"

    def positions(self) -> tuple[str, ...]:
        spots = ("A", "B") if self.spot == "AB" else (self.spot,)
        return tuple(f"truck:{self.visit}:{spot}" for spot in spots)

    def check_fits(self, size_type: SizeType) -> None:
        _check_spot_fits(str(self), self.spot, size_type)


@dataclass(frozen=True, order=True)
class VesselCell:
    """A stowage cell on a barge or ship call, as a BAPLIE gives it: bay, row, tier."""

    call: str
    bay: int
    row: int
    tier: int

    kind = "vessel"

    def __str__(self) -> str:
        return f"vessel:{self.call}:{self.bay:03d}{self.row:02d}{self.tier:02d}"

    def positions(self) -> tuple[str, ...]:
        return tuple(
            f"vessel:{self.call}:{bay:03d}{self.row:02d}{self.tier:02d}"
            for bay in _bay_positions(self.bay)
        )

    def check_fits(self, size_type: SizeType) -> None:
        _check_bay_fits(str(self), self.bay, size_type)


@dataclass(frozen=True, order=True)
class Spreader:
    """Held by a crane's spreader between its pick and its set-down."""

    crane: str

    kind = "crane"

    def __str__(self) -> str:
        return f"crane:{self.crane}"

    def positions(self) -> tuple[str, ...]:
        return (str(self),)

    def check_fits(self, size_type: SizeType) -> None:
        """A spreader takes any box."""


Place = YardSlot | WagonSlot | TruckSlot | VesselCell | Spreader


def carrier_of(place: Place) -> str | None:
    """The carrier key of a place off the yard (see ``carrier_of_position``); None in the yard."""
    return carrier_of_position(place.positions()[0])


_ID = r"[A-Za-z0-9_.\-]+"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^yard:(?P<block>[A-Za-z0-9]+)-(?P<bay>\d{1,3})-(?P<row>\d{1,2})-(?P<tier>\d{1,2})$"
        ),
        "yard",
    ),
    (re.compile(rf"^wagon:(?P<train>{_ID}):(?P<wagon>\d{{1,3}}):(?P<spot>AB|A|B)$"), "wagon"),
    (re.compile(rf"^truck:(?P<visit>{_ID}):(?P<spot>AB|A|B)$"), "truck"),
    (
        re.compile(rf"^vessel:(?P<call>{_ID}):(?P<bay>\d{{3}})(?P<row>\d{{2}})(?P<tier>\d{{2}})$"),
        "vessel",
    ),
    (re.compile(rf"^crane:(?P<crane>{_ID})$"), "crane"),
]


@functools.lru_cache(maxsize=65_536)
def parse_place(text: str) -> Place:
    """The place spelled ``text`` (for example ``yard:A-04-02-1`` or ``wagon:X8801:07:AB``);
    places are values, so a spelling read before is not parsed again."""
    for pattern, kind in _PATTERNS:
        match = pattern.match(text.strip())
        if not match:
            continue
        parts = match.groupdict()
        if kind == "yard":
            slot = YardSlot(
                parts["block"], int(parts["bay"]), int(parts["row"]), int(parts["tier"])
            )
            if slot.bay < 1 or slot.row < 1 or slot.tier < 1:
                raise InvalidPlace(f"{text!r}: bay, row and tier count from 1")
            return slot
        if kind == "wagon":
            return WagonSlot(parts["train"], int(parts["wagon"]), _spot(parts["spot"]))
        if kind == "truck":
            return TruckSlot(parts["visit"], _spot(parts["spot"]))
        if kind == "vessel":
            return VesselCell(
                parts["call"], int(parts["bay"]), int(parts["row"]), int(parts["tier"])
            )
        return Spreader(parts["crane"])
    raise InvalidPlace(
        f"{text!r} is not a place; expected yard:BLOCK-BAY-ROW-TIER, wagon:TRAIN:WAGON:SPOT, "
        "truck:VISIT:SPOT, vessel:CALL:BBBRRTT or crane:CRANE"
    )


def _spot(text: str) -> Spot:
    for spot in _SPOTS:
        if spot == text:
            return spot
    raise InvalidPlace(f"{text!r} is not a spot (A, B or AB)")
