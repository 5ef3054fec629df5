"""The stacking rules: where a box may stand in the yard and on a wagon.

Checked before anything changes; each broken rule raises StackingRuleViolation (or
InvalidPlace) naming the box, the place and the rule.
"""

from __future__ import annotations

from typing import Protocol

from hubport.domain.container import Container
from hubport.domain.errors import InvalidPlace, StackingRuleViolation
from hubport.domain.places import WagonSlot, YardSlot, yard_key
from hubport.domain.records import Record, TrainRecord
from hubport.domain.site import Site


class HubView(Protocol):
    """What the rules read of the hub: the site, who stands where, and the carriers."""

    site: Site

    def occupant(self, position: str) -> str | None: ...

    def get(self, number: str) -> Record: ...

    def find_train(self, train_id: str) -> TrainRecord | None: ...

    def wagon_load_kg(self, train: str, wagon: int, without: str | None = None) -> int: ...


def check_yard_slot(
    inventory: HubView, container: Container, slot: YardSlot, moving: str | None
) -> None:
    """Raise StackingRuleViolation unless the box may stand at a yard slot."""
    number = container.number.value
    block = inventory.site.check_slot(slot)
    if slot.tier > block.max_tiers:
        raise StackingRuleViolation(
            number, str(slot), f"tier {slot.tier} is above block {block.id}'s {block.max_tiers}"
        )
    if container.needs_power and not all(
        inventory.site.has_plug(slot.block, bay, slot.row) for bay in slot.ground_bays
    ):
        raise StackingRuleViolation(number, str(slot), "a running reefer needs a reefer plug")
    if container.is_dangerous and not all(
        inventory.site.in_dangerous_goods_zone(slot.block, bay, slot.row)
        for bay in slot.ground_bays
    ):
        raise StackingRuleViolation(
            number,
            str(slot),
            f"IMDG class {container.imdg_class} only in the dangerous-goods zone",
        )
    if slot.tier == 1:
        return
    site = inventory.site
    if any(site.in_inspection_area(slot.block, bay, slot.row) for bay in slot.ground_bays):
        raise StackingRuleViolation(
            number, str(slot), "the inspection area takes boxes one high (doors reachable)"
        )
    below = [
        inventory.occupant(yard_key(slot.block, bay, slot.row, slot.tier - 1))
        for bay in slot.ground_bays
    ]
    if any(box is None or box == moving for box in below):
        raise StackingRuleViolation(number, str(slot), "no box over empty space")
    supports = [inventory.get(box) for box in below if box is not None]
    if not container.size_type.is_forty:
        if supports[0].container.size_type.is_forty:
            raise StackingRuleViolation(number, str(slot), "a 20' never on top of a 40'")
        return
    first, second = supports
    if first.container.size_type.is_forty or second.container.size_type.is_forty:
        same_forty = (
            first is second and isinstance(first.place, YardSlot) and first.place.bay == slot.bay
        )
        if not same_forty:
            raise StackingRuleViolation(
                number, str(slot), "a 40' must sit on a 40' of the same bay or on two 20's"
            )


def check_wagon_load(
    inventory: HubView, container: Container, slot: WagonSlot, moving: str | None
) -> None:
    """Raise unless the wagon is on a track and keeps within its payload with the box."""
    record = inventory.find_train(slot.train)
    if record is None or record.state != "on_site":
        raise InvalidPlace(f"{slot}: train {slot.train} is not on a track")
    wagon = record.train.wagon(slot.wagon)
    load = inventory.wagon_load_kg(slot.train, slot.wagon, without=moving)
    if load + container.gross_mass_kg > wagon.max_payload_kg:
        raise StackingRuleViolation(
            container.number.value,
            str(slot),
            f"wagon {slot.wagon} would carry {load + container.gross_mass_kg} kg, "
            f"over its {wagon.max_payload_kg} kg payload",
        )
