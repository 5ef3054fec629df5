"""The inventory's invariants, checked as a whole: used by ``hubport check`` and the tests."""

from __future__ import annotations

from hubport.domain.errors import InvalidPlace, PlaceOccupied, StackingRuleViolation
from hubport.domain.inventory import Inventory
from hubport.domain.places import YardSlot
from hubport.domain.records import ContainerState, Record


def violations(inventory: Inventory) -> list[str]:
    """Every broken invariant of a wholly loaded inventory, in words; empty when sound."""
    found: list[str] = []
    claimed: dict[str, str] = {}
    occupancy = inventory.occupancy()
    for number, record in sorted(inventory.records.items()):
        if record.state is ContainerState.IN_HUB and record.place is None:
            found.append(f"{number} is in the hub but has no place")
        if record.state is not ContainerState.IN_HUB and record.place is not None:
            found.append(f"{number} is {record.state.value} but still at {record.place}")
        if record.place is None:
            continue
        for position in record.place.positions():
            if position in claimed:
                found.append(f"{number} and {claimed[position]} both claim {position}")
            claimed[position] = number
            if occupancy.get(position) != number:
                found.append(
                    f"{number} claims {position} but the yard map shows {occupancy.get(position)}"
                )
        found.extend(_slot_violations(inventory, record))
    for position, number in sorted(occupancy.items()):
        if claimed.get(position) != number:
            found.append(f"{position} shows {number}, which is not there")
    return found


def _slot_violations(inventory: Inventory, record: Record) -> list[str]:
    place = record.place
    if not isinstance(place, YardSlot):
        return []
    try:
        inventory.check_can_stand(record.container, place, moving=record.container.number.value)
    except (StackingRuleViolation, InvalidPlace, PlaceOccupied) as error:
        return [str(error)]
    return []
