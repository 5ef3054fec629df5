"""Inspection: whether a tally is a good delivery of a match, by the site's quality rules.

The rules are data (the site file's ``[quality]``): the species accepted, the checked
lengths and the smallest diameter, the defects that reject a piece, the share of rejected
pieces a delivery may carry, and the tolerance between the tallied and the matched
volume. The verdict lists every reason, so an inspector and both members read the same
account of a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hubport.futures.domain.tally import Tally


@dataclass(frozen=True)
class QualityRules:
    """What a good delivery is at this site."""

    species: tuple[str, ...]
    lengths_m: tuple[Decimal, ...]
    min_diameter_cm: int
    rejecting_defects: tuple[str, ...]
    #: The share of pieces that may be rejected (wrong species, length, diameter or a
    #: rejecting defect) before the whole delivery fails.
    max_rejected_share: Decimal
    #: |tallied − matched| ÷ matched may not exceed this.
    volume_tolerance: Decimal


@dataclass(frozen=True)
class Verdict:
    """An inspection's outcome: passed or not, with the figures and the reasons."""

    passed: bool
    #: The accepted pieces' volume: a rejected piece is not delivered.
    tallied_m3: Decimal
    target_m3: Decimal
    rejected_pieces: int
    reasons: tuple[str, ...]

    @property
    def deviation(self) -> Decimal:
        """(tallied − target) ÷ target."""
        return (self.tallied_m3 - self.target_m3) / self.target_m3


def inspect(tally: Tally, target_m3: Decimal, rules: QualityRules) -> Verdict:
    """Judge ``tally`` against the match's volume ``target_m3`` by ``rules``."""
    rejected = 0
    accepted_m3 = Decimal(0)
    reasons: list[str] = []
    for piece in tally.pieces:
        faults = []
        if piece.species not in rules.species:
            faults.append(f"species {piece.species!r}")
        if piece.log.length_m not in rules.lengths_m:
            faults.append(f"length {piece.log.length_m} m")
        if piece.log.diameter_cm < rules.min_diameter_cm:
            faults.append(f"diameter {piece.log.diameter_cm} cm")
        faults.extend(f"defect {code}" for code in piece.defects if code in rules.rejecting_defects)
        if faults:
            rejected += 1
            if len(reasons) < 10:
                reasons.append(f"piece {piece.number}: {', '.join(faults)}")
        else:
            accepted_m3 += piece.volume_m3
    share = Decimal(rejected) / len(tally.pieces)
    verdict_reasons: list[str] = []
    if share > rules.max_rejected_share:
        verdict_reasons.append(
            f"{rejected} of {len(tally.pieces)} pieces rejected ({share:.1%}), more than "
            f"{rules.max_rejected_share:.0%}"
        )
        verdict_reasons.extend(reasons)
    tallied = accepted_m3
    deviation = (tallied - target_m3) / target_m3
    if abs(deviation) > rules.volume_tolerance:
        verdict_reasons.append(
            f"tallied {tallied} m³ against {target_m3} m³ matched ({deviation:+.2%}), "
            f"outside ±{rules.volume_tolerance:.0%}"
        )
    return Verdict(not verdict_reasons, tallied, target_m3, rejected, tuple(verdict_reasons))


__all__ = ["QualityRules", "Verdict", "inspect"]
