"""Where boxes stand in the yard and where a box may be set down (a part of
``Inventory``): the ground stacks and their summaries, the boxes above one, and the
check every set-down passes (fit, occupancy, stacking rules, a carrier's own rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hubport.domain import river_rules, stacking_rules
from hubport.domain.container import Container, ContainerNumber, CustomsStatus
from hubport.domain.errors import HubportError, PlaceOccupied, StackingRuleViolation
from hubport.domain.places import (
    Place,
    Spreader,
    StackKey,
    TruckSlot,
    VesselCell,
    WagonSlot,
    YardSlot,
    stack_of_position,
    yard_key,
)
from hubport.domain.records import (
    InventorySource,
    Record,
    TrainRecord,
    TruckRecord,
    VesselRecord,
)
from hubport.domain.stacks import BayRange, StackSummary, summarise

if TYPE_CHECKING:
    from hubport.domain.site import Site


class YardStacks:
    """The ground stacks as the inventory knows them, and the set-down check."""

    if TYPE_CHECKING:
        site: Site
        source: InventorySource | None
        records: dict[str, Record]
        _occupancy: dict[str, str]
        _stacks_loaded: set[StackKey]

        def _ensure_stack(self, stack: StackKey) -> None: ...
        def get(self, number: ContainerNumber | str) -> Record: ...
        def occupant(self, position: str) -> str | None: ...
        def find_truck(self, visit_id: str) -> TruckRecord | None: ...
        def find_train(self, train_id: str) -> TrainRecord | None: ...
        def find_vessel(self, call_id: str) -> VesselRecord | None: ...
        def wagon_load_kg(self, train: str, wagon: int, without: str | None = None) -> int: ...

    def stack(self, block: str, bay: int, row: int) -> list[str]:
        """The boxes standing on one 20' ground position, bottom to top."""
        self._ensure_stack(StackKey(block, bay, row))
        boxes = []
        tier = 1
        while (number := self._occupancy.get(yard_key(block, bay, row, tier))) is not None:
            boxes.append(number)
            tier += 1
        return boxes

    def height(self, block: str, bay: int, row: int) -> int:
        return len(self.stack(block, bay, row))

    def stack_summaries(
        self, ranges: Iterable[BayRange] | None = None
    ) -> dict[StackKey, StackSummary]:
        """The summary of every non-empty ground stack within ``ranges`` (default: the
        whole yard), as of now.

        A scoped inventory reads the store's summaries and overlays the stacks it loaded
        (whose boxes it may have moved); without a source they are computed from the boxes.
        """
        wanted = tuple(ranges) if ranges is not None else whole_yard(self.site)
        summaries: dict[StackKey, StackSummary] = {}
        if self.source is not None:
            for summary in self.source.stack_summaries(wanted):
                if summary.stack not in self._stacks_loaded and summary.height:
                    summaries[summary.stack] = summary
            stacks: Iterable[StackKey] = self._stacks_loaded
        else:
            stacks = {
                located[0]
                for position in self._occupancy
                if (located := stack_of_position(position)) is not None
            }
        for stack in stacks:
            if any(stack in bay_range for bay_range in wanted):
                summary = self.summary(stack)
                if summary.height:
                    summaries[stack] = summary
        return summaries

    def summary(self, stack: StackKey) -> StackSummary:
        """One ground stack's summary, from its boxes."""
        boxes = []
        for number in self.stack(stack.block, stack.bay, stack.row):
            record = self.records[number]
            if isinstance(record.place, YardSlot):
                boxes.append((record.container, record.place))
        return summarise(stack, boxes)

    def boxes_above(self, number: ContainerNumber | str) -> list[str]:
        """Boxes that must be moved before ``number`` can be picked, top first."""
        record = self.get(number)
        if not isinstance(record.place, YardSlot):
            return []
        slot = record.place
        above: list[str] = []
        for bay in slot.ground_bays:
            for box in self.stack(slot.block, bay, slot.row)[slot.tier :]:
                if box not in above:
                    above.append(box)
        return sorted(above, key=lambda box: -self._tier_of(box))

    def can_stand(self, container: Container, place: Place) -> bool:
        """True when ``container`` could be set down at ``place`` now."""
        try:
            self.check_can_stand(container, place, moving=container.number.value)
        except HubportError:
            return False
        return True

    def _tier_of(self, number: str) -> int:
        place = self.records[number].place
        return place.tier if isinstance(place, YardSlot) else 0

    # -- where a box may stand ---------------------------------------------------------

    def check_can_stand(self, container: Container, place: Place, moving: str | None) -> None:
        """Raise unless ``container`` may stand at ``place``; ``moving`` is leaving its slot."""
        place.check_fits(container.size_type)
        if (
            moving is not None
            and isinstance(place, WagonSlot | TruckSlot)
            and container.customs_status is CustomsStatus.HELD
            and not self.is_shuttle_spot(place)
        ):
            raise StackingRuleViolation(
                moving, str(place), "the box is under a customs hold: it may not be loaded"
            )
        for position in place.positions():
            occupant = self.occupant(position)
            if occupant is not None and occupant != moving:
                raise PlaceOccupied(str(place), occupant)
        if isinstance(place, YardSlot):
            stacking_rules.check_yard_slot(self, container, place, moving)
        elif isinstance(place, WagonSlot):
            stacking_rules.check_wagon_load(self, container, place, moving)
        elif isinstance(place, TruckSlot):
            river_rules.check_truck_spot(self, place)
        elif isinstance(place, Spreader):
            self.site.crane(place.crane)
        elif isinstance(place, VesselCell):
            river_rules.check_vessel_cell(self, place)

    def is_shuttle_spot(self, place: Place | None) -> bool:
        """A shuttle truck stays in the supervised area (see ``river_rules``)."""
        if not isinstance(place, TruckSlot):
            return False
        truck = self.find_truck(place.visit)
        return truck is not None and truck.truck.shuttle


def whole_yard(site: Site) -> tuple[BayRange, ...]:
    """Every ground bay of every block."""
    return tuple(BayRange(block.id, 1, 2 * block.bays - 1) for block in site.blocks.values())


__all__ = ["YardStacks", "whole_yard"]
