"""Containers: the ISO 6346 number, the size-type code and the box's cargo facts."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime

from stdnum import iso6346
from stdnum.exceptions import InvalidChecksum, ValidationError

from hubport.domain import size_type_codes
from hubport.domain.errors import InvalidContainer, InvalidContainerNumber, UnknownSizeType

_NUMBER_SHAPE = re.compile(r"^[A-Z]{3}[UJZR][0-9]{6}[0-9]$")
#: Numbers already found valid, in their compact form (bounded: cleared when full).
_VALID: set[str] = set()
_VALID_KEPT = 200_000


@dataclass(frozen=True, order=True)
class ContainerNumber:
    """An ISO 6346 container number such as ``CSQU3054383`` (owner, category, serial, check)."""

    value: str

    def __post_init__(self) -> None:
        if isinstance(self.value, str) and self.value in _VALID:
            return  # already checked: the log and the store repeat each number many times
        compact = iso6346.compact(self.value) if isinstance(self.value, str) else ""
        if not _NUMBER_SHAPE.match(compact):
            raise InvalidContainerNumber(
                str(self.value),
                "expected 3 owner letters, a category letter (U, J, Z or R), 6 digits "
                "and a check digit",
            )
        try:
            iso6346.validate(compact)
        except InvalidChecksum:
            expected = iso6346.calc_check_digit(compact[:10])
            raise InvalidContainerNumber(
                compact,
                f"check digit is {compact[10]}, expected {expected}",
                expected_check_digit=expected,
            ) from None
        except ValidationError as error:
            raise InvalidContainerNumber(compact, str(error)) from None
        object.__setattr__(self, "value", compact)
        if len(_VALID) >= _VALID_KEPT:
            _VALID.clear()
        _VALID.add(compact)

    @property
    def owner(self) -> str:
        """The owner code: three letters registered with the BIC."""
        return self.value[:3]

    def __str__(self) -> str:
        return self.value


class ContainerGroup(enum.Enum):
    """The type group of an ISO 6346 size-type code (its third character)."""

    GENERAL = "G"
    REEFER = "R"
    OPEN_TOP = "U"
    TANK = "T"
    PLATFORM = "P"
    VENTILATED = "V"
    BULK = "B"
    NAMED_CARGO = "S"
    INSULATED = "H"
    AIR_SURFACE = "A"


@dataclass(frozen=True)
class SizeType:
    """An ISO 6346 size-type code with the facts stacking and planning need."""

    code: str
    length_ft: int
    height_ft: float
    group: ContainerGroup
    tare_kg: int
    max_gross_kg: int

    @property
    def teu(self) -> float:
        """Twenty-foot equivalents; a 40' or 45' box counts 2, as the railway counts it."""
        return 1.0 if self.length_ft == 20 else 2.0

    @property
    def is_forty(self) -> bool:
        """True for boxes that take two 20' positions (40' and 45')."""
        return self.length_ft >= 40

    @property
    def is_reefer(self) -> bool:
        return self.group is ContainerGroup.REEFER

    @property
    def is_tank(self) -> bool:
        return self.group is ContainerGroup.TANK

    @property
    def is_open_top(self) -> bool:
        return self.group is ContainerGroup.OPEN_TOP

    @property
    def is_high_cube(self) -> bool:
        return self.height_ft >= 9.5

    @classmethod
    def of(cls, code: str) -> SizeType:
        """The size-type for a code such as ``45G1``; an unknown code raises UnknownSizeType."""
        normalised = code.strip().upper() if isinstance(code, str) else str(code)
        known = SIZE_TYPES.get(normalised)
        if known is not None:
            return known
        if size_type_codes.problem(normalised) is not None:
            raise UnknownSizeType(str(code), sorted(SIZE_TYPES))
        return _derived(size_type_codes.modern(normalised), str(code))

    def __str__(self) -> str:
        return self.code


def _size_types(*rows: tuple[str, int, float, ContainerGroup, int, int]) -> dict[str, SizeType]:
    return {row[0]: SizeType(*row) for row in rows}


_G, _R, _U, _T, _P = (
    ContainerGroup.GENERAL,
    ContainerGroup.REEFER,
    ContainerGroup.OPEN_TOP,
    ContainerGroup.TANK,
    ContainerGroup.PLATFORM,
)
#: Codes known to the platform: code, length ft, height ft, group, typical tare, max gross (kg).
SIZE_TYPES: dict[str, SizeType] = _size_types(
    ("22G1", 20, 8.5, _G, 2_200, 30_480),
    ("25G1", 20, 9.5, _G, 2_350, 30_480),
    ("22R1", 20, 8.5, _R, 3_000, 30_480),
    ("22U1", 20, 8.5, _U, 2_350, 30_480),
    ("22T1", 20, 8.5, _T, 3_700, 36_000),
    ("22P1", 20, 8.5, _P, 2_800, 34_000),
    ("42G1", 40, 8.5, _G, 3_750, 30_480),
    ("42R1", 40, 8.5, _R, 4_700, 34_000),
    ("42U1", 40, 8.5, _U, 3_900, 30_480),
    ("45G1", 40, 9.5, _G, 3_900, 30_480),
    ("45R1", 40, 9.5, _R, 4_800, 34_000),
    ("L5G1", 45, 9.5, _G, 4_800, 30_480),
)

#: Typical tare (kg) per length; a reefer adds its machinery, a tank its barrel.
_TARE_KG = {20: 2_300, 40: 3_800, 45: 4_800}


def _derived(code: str, given: str) -> SizeType:
    """Facts for a valid ISO code outside the table, from the code's own grammar.

    Only lengths the yard's 20'/40' slots can take (20, 40 and 45 ft) are accepted.
    """
    length = size_type_codes.LENGTHS[code[0]]
    if length not in _TARE_KG:
        raise UnknownSizeType(given, sorted(SIZE_TYPES), f"a {length:g} ft box has no slot here")
    group = ContainerGroup(code[2])
    tare = _TARE_KG[int(length)]
    max_gross = 30_480
    if group in (ContainerGroup.REEFER, ContainerGroup.INSULATED):
        tare, max_gross = tare + 900, 34_000 if length >= 40 else 30_480
    elif group is ContainerGroup.TANK:
        tare, max_gross = tare + 1_400, 36_000
    return SizeType(code, int(length), size_type_codes.HEIGHTS[code[1]], group, tare, max_gross)


#: IMDG hazard classes and divisions accepted as a container's dangerous-goods class.
IMDG_CLASSES = frozenset(
    "1 1.1 1.2 1.3 1.4 1.5 1.6 2.1 2.2 2.3 3 4.1 4.2 4.3 5.1 5.2 6.1 6.2 7 8 9".split()
)


class CustomsStatus(enum.Enum):
    """Where a box stands with customs; only RELEASED or NOT_REQUIRED boxes may leave."""

    NOT_REQUIRED = "not_required"
    DECLARED = "declared"
    ARRIVED = "arrived"
    HELD = "held"
    RELEASED = "released"

    @property
    def may_leave(self) -> bool:
        return self in (CustomsStatus.NOT_REQUIRED, CustomsStatus.RELEASED)


class LegMode(enum.Enum):
    """How a box leaves the hub on its next leg."""

    RAIL = "rail"
    RIVER = "river"
    ROAD = "road"


@dataclass(frozen=True)
class NextLeg:
    """The box's onward leg: a train service, a vessel call or a truck appointment."""

    mode: LegMode
    reference: str
    due: datetime | None = None
    destination: str | None = None

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise InvalidContainer("a next leg needs a reference (service, call or appointment)")


@dataclass(frozen=True)
class Container:
    """One box with what the hub must know of it to stack, load and clear it."""

    number: ContainerNumber
    size_type: SizeType
    gross_mass_kg: int
    full: bool = True
    operator: str = ""
    reefer_setpoint_c: float | None = None
    imdg_class: str | None = None
    next_leg: NextLeg | None = None
    customs_status: CustomsStatus = CustomsStatus.NOT_REQUIRED
    seal: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        size = self.size_type
        if not size.tare_kg // 2 <= self.gross_mass_kg <= size.max_gross_kg:
            raise InvalidContainer(
                f"{self.number}: gross mass {self.gross_mass_kg} kg is outside "
                f"{size.tare_kg // 2}..{size.max_gross_kg} kg for a {size.code}"
            )
        if self.reefer_setpoint_c is not None:
            if not size.is_reefer:
                raise InvalidContainer(
                    f"{self.number}: a reefer set-point needs a reefer type, not {size.code}"
                )
            if not -40.0 <= self.reefer_setpoint_c <= 30.0:
                raise InvalidContainer(
                    f"{self.number}: reefer set-point {self.reefer_setpoint_c} °C is outside "
                    "-40..30 °C"
                )
        if self.imdg_class is not None and self.imdg_class not in IMDG_CLASSES:
            raise InvalidContainer(
                f"{self.number}: {self.imdg_class!r} is not an IMDG class "
                f"(expected one of {', '.join(sorted(IMDG_CLASSES))})"
            )

    @property
    def needs_power(self) -> bool:
        """A running reefer: it must stand where there is a plug."""
        return self.size_type.is_reefer and self.reefer_setpoint_c is not None

    @property
    def is_dangerous(self) -> bool:
        return self.imdg_class is not None

    @property
    def teu(self) -> float:
        return self.size_type.teu
