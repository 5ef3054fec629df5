"""A partner's advice about a box (from a COPRAR, BAPLIE…): what it says, merged with what
the hub already knows. Fields the advice leaves out keep their known values."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from hubport.domain.container import Container, ContainerNumber, NextLeg, SizeType
from hubport.domain.errors import InvalidContainer


@dataclass(frozen=True)
class ContainerAdvice:
    """What one message line says of a box; None means "not said"."""

    number: ContainerNumber
    size_type: SizeType | None = None
    gross_mass_kg: int | None = None
    full: bool | None = None
    operator: str | None = None
    reefer_setpoint_c: float | None = None
    imdg_class: str | None = None
    seal: str | None = None
    next_leg: NextLeg | None = None

    def new_container(self) -> Container:
        """The box as first announced by this advice."""
        if self.size_type is None:
            raise InvalidContainer(f"{self.number}: a new box needs its size-type code")
        full = True if self.full is None else self.full
        mass = self.gross_mass_kg
        if mass is None:
            if full:
                raise InvalidContainer(
                    f"{self.number}: a full box needs its gross mass to be announced"
                )
            mass = self.size_type.tare_kg
        return Container(
            number=self.number,
            size_type=self.size_type,
            gross_mass_kg=mass,
            full=full,
            operator=self.operator or "",
            reefer_setpoint_c=self.reefer_setpoint_c if self.size_type.is_reefer else None,
            imdg_class=self.imdg_class,
            next_leg=self.next_leg,
            seal=self.seal,
        )

    def merged(self, known: Container) -> Container:
        """``known`` with what this advice says instead; customs status stays as it is."""
        said = {
            name: value
            for name in (
                "size_type",
                "gross_mass_kg",
                "full",
                "operator",
                "reefer_setpoint_c",
                "imdg_class",
                "seal",
                "next_leg",
            )
            if (value := getattr(self, name)) is not None
        }
        if not (said.get("size_type") or known.size_type).is_reefer:
            said.pop("reefer_setpoint_c", None)
        return dataclasses.replace(known, **said)
