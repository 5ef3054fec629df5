"""A tally (检尺记录): the delivered logs measured piece by piece, and their total volume."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from hubport.futures.domain.errors import InvalidTally
from hubport.futures.domain.volume import Log


@dataclass(frozen=True)
class TallyPiece:
    """One measured log: its species, checked length and diameter, the defects the
    inspector saw (codes of the site's quality rules), who measured it and the photo."""

    number: int
    species: str
    log: Log
    defects: tuple[str, ...] = ()
    inspector: str = ""
    photo: str = ""

    def __post_init__(self) -> None:
        if not self.species.strip():
            raise InvalidTally(f"piece {self.number}: the species is empty")

    @property
    def volume_m3(self) -> Decimal:
        return self.log.volume_m3()


@dataclass(frozen=True)
class Tally:
    """The pieces of one delivery's measuring, in the order measured."""

    pieces: tuple[TallyPiece, ...]

    def __post_init__(self) -> None:
        if not self.pieces:
            raise InvalidTally("a tally needs at least one piece")
        numbers = Counter(piece.number for piece in self.pieces)
        twice = sorted(number for number, count in numbers.items() if count > 1)
        if twice:
            raise InvalidTally(f"piece numbers {twice[:5]} appear more than once")

    @property
    def volume_m3(self) -> Decimal:
        """The sum of the pieces' table volumes (each rounded as the table prints it)."""
        return sum((piece.volume_m3 for piece in self.pieces), Decimal(0))

    def volume_by_species(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for piece in self.pieces:
            totals[piece.species] = totals.get(piece.species, Decimal(0)) + piece.volume_m3
        return totals

    def with_defect(self, codes: Sequence[str]) -> list[TallyPiece]:
        """The pieces that carry any of ``codes``."""
        wanted = set(codes)
        return [piece for piece in self.pieces if wanted.intersection(piece.defects)]


__all__ = ["Tally", "TallyPiece"]
