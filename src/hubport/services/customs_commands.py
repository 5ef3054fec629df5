"""Commands of customs at the supervised site (see ``domain/customs``).

Each says who asks (``role``, one of ROLES): only the customs role may place or lift a
hold, select a declaration for inspection or release it. Roles arrive with the API; the
rule is kept here, in the service layer, so that every entrypoint keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from hubport.domain.container import ContainerNumber
from hubport.domain.customs import Leg
from hubport.services.commands import Command

ROLES = ("operator", "customs", "shipper", "viewer", "admin")
#: The customs office of the supervised site (Chongqing customs, Jiangjin) as hubport's
#: default office code; a declaration names its own.
DEFAULT_OFFICE = "CQJJ"


@dataclass(frozen=True)
class LodgeDeclaration(Command):
    """Lodge a declaration for boxes and the legs it covers, before or after they arrive.

    ``continues`` names the previous leg's declaration when this one carries its transit
    on (see ``ContinueTransit``, which derives it without re-keying).
    """

    declaration: str
    kind: str
    numbers: tuple[ContainerNumber, ...]
    legs: tuple[Leg, ...]
    office: str = DEFAULT_OFFICE
    continues: str | None = None
    role: str = "operator"


@dataclass(frozen=True)
class ContinueTransit(Command):
    """Carry a transit declaration on to the next leg: its boxes, office and kind come
    from the previous declaration, its legs are the next ones; nothing is keyed again."""

    previous: str
    declaration: str
    legs: tuple[Leg, ...]
    role: str = "operator"


@dataclass(frozen=True)
class ReportArrival(Command):
    """A manual arrival report for a declaration (the way before the platform issued it
    at the first set-down); refused when the report was issued already."""

    declaration: str
    role: str = "operator"


@dataclass(frozen=True)
class SelectForInspection(Command):
    """Customs selects a declaration's box for inspection (risk selection): an open
    inspection order on the box holds it until customs lifts it."""

    declaration: str
    number: ContainerNumber
    hold_id: str
    reason: str
    role: str = "customs"


@dataclass(frozen=True)
class PlaceHold(Command):
    number: ContainerNumber
    hold_id: str
    reason: str
    role: str = "customs"


@dataclass(frozen=True)
class LiftHold(Command):
    hold_id: str
    reason: str
    role: str = "customs"


@dataclass(frozen=True)
class ReleaseDeclaration(Command):
    """Customs releases a declaration: its boxes may leave (unless a hold is open)."""

    declaration: str
    note: str = ""
    role: str = "customs"


@dataclass(frozen=True)
class CancelDeclaration(Command):
    declaration: str
    reason: str
    role: str = "operator"


__all__ = [
    "DEFAULT_OFFICE",
    "ROLES",
    "CancelDeclaration",
    "ContinueTransit",
    "LiftHold",
    "LodgeDeclaration",
    "PlaceHold",
    "ReleaseDeclaration",
    "ReportArrival",
    "SelectForInspection",
]
