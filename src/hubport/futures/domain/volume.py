"""The volume of one log by the national log-volume table, GB/T 4814-2013 《原木材积表》.

A log is measured at its small end: its checked length L (检尺长, metres) and checked
diameter D (检尺径, centimetres), each rounded down to the standard's steps by the
measuring rules of GB/T 144 (length in 0.2 m steps from 2 m, 0.1 m below; diameter in
even centimetres). The standard gives the volume V (m³) by range:

- short logs (短原木), L from 0.5 to 1.9 m: V = 0.8·L·(D + 0.5·L)² ÷ 10000;
- small-diameter logs (小径原木), L from 2 to 10 m and D from 4 to 12 cm:
  V = 0.7854·L·(D + 0.45·L + 0.2)² ÷ 10000;
- logs of D 14 cm and more, L from 2 to 10 m:
  V = 0.7854·L·[D + 0.5·L + 0.005·L² + 0.000125·L·(14 − L)²·(D − 10)]² ÷ 10000;
- over-long logs (超长原木), L over 10 m up to 20 m: V = 0.8·L·(D + 0.5·L)² ÷ 10000.

The table's values keep four decimals for D of 4 and 6 cm and three from 8 cm
(GB 4814-84 §4, whose table GB/T 4814-2013 keeps unchanged), rounded half up. The
arithmetic is done in ``Decimal``: the formulas' coefficients are exact decimals, so a
value on a rounding boundary rounds as the printed table does.

Sources: GB/T 4814-2013 (foreword: short, small and over-long logs brought into the
standard; lengths 0.5–20.0 m, diameters 4–120 cm); the formulas as published with the
1984 table; the short-log and small-diameter formulas checked against the printed
table's rows (``tests/unit/futures/test_volume.py`` holds the pairs).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hubport.futures.domain.errors import InvalidMeasure

SHORTEST_M = Decimal("0.5")
STANDARD_FROM_M = Decimal("2.0")
STANDARD_TO_M = Decimal("10.0")
LONGEST_M = Decimal("20.0")
THINNEST_CM = 4
THICKEST_CM = 120
#: Lengths outside the 0.2 m steps that the table still lists (pit props of 2.5 m).
EXTRA_LENGTHS_M = (Decimal("2.5"),)

_PI_4 = Decimal("0.7854")
_ROUGH = Decimal("0.8")
_CM2_TO_M2 = Decimal(10000)


@dataclass(frozen=True)
class Log:
    """One measured log: checked length (m) and checked diameter (cm), as the standard's
    steps give them."""

    length_m: Decimal
    diameter_cm: int

    @classmethod
    def measured(cls, length_m: object, diameter_cm: object) -> Log:
        """A log from measured figures as typed or read from a file; an error names a
        figure that is not a number, out of the table's range, or off its steps."""
        length = _decimal("length", length_m)
        diameter = _decimal("diameter", diameter_cm)
        if not SHORTEST_M <= length <= LONGEST_M:
            raise InvalidMeasure(
                f"length {length} m is outside GB/T 4814's range {SHORTEST_M}–{LONGEST_M} m"
            )
        step = Decimal("0.1") if length < STANDARD_FROM_M else Decimal("0.2")
        if length % step != 0 and length not in EXTRA_LENGTHS_M:
            raise InvalidMeasure(
                f"length {length} m is not a checked length: from 2 m lengths go in 0.2 m "
                "steps (0.1 m below), rounded down as GB/T 144 measures them"
            )
        if diameter != diameter.to_integral_value() or not (THINNEST_CM <= diameter <= THICKEST_CM):
            raise InvalidMeasure(
                f"diameter {diameter} cm is not a whole number of centimetres from "
                f"{THINNEST_CM} to {THICKEST_CM}"
            )
        if int(diameter) % 2:
            raise InvalidMeasure(
                f"diameter {diameter} cm is not a checked diameter: diameters go in even "
                "centimetres (GB/T 144: 1 cm and more rounds up to the next step)"
            )
        return cls(length.quantize(Decimal("0.1")), int(diameter))

    @property
    def places(self) -> int:
        """Decimals the table keeps for this log's volume."""
        return 4 if self.diameter_cm <= 6 else 3

    def exact_volume_m3(self) -> Decimal:
        """The formula's value, unrounded."""
        length, diameter = self.length_m, Decimal(self.diameter_cm)
        if length < STANDARD_FROM_M or length > STANDARD_TO_M:
            return _ROUGH * length * (diameter + length / 2) ** 2 / _CM2_TO_M2
        if self.diameter_cm <= 12:
            inner = diameter + Decimal("0.45") * length + Decimal("0.2")
        else:
            inner = (
                diameter
                + Decimal("0.5") * length
                + Decimal("0.005") * length**2
                + Decimal("0.000125") * length * (14 - length) ** 2 * (diameter - 10)
            )
        return _PI_4 * length * inner**2 / _CM2_TO_M2

    def volume_m3(self) -> Decimal:
        """The table's value: the formula rounded half up to the table's decimals."""
        return self.exact_volume_m3().quantize(Decimal(1).scaleb(-self.places), ROUND_HALF_UP)


def log_volume(length_m: object, diameter_cm: object) -> Decimal:
    """The GB/T 4814 volume (m³) of one log of checked length and diameter."""
    return Log.measured(length_m, diameter_cm).volume_m3()


def _decimal(name: str, value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidMeasure(f"{name} {value!r} is not a number") from None
    if not number.is_finite():
        raise InvalidMeasure(f"{name} {value!r} is not a finite number")
    return number


__all__ = ["Log", "log_volume"]
