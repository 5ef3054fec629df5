"""Where the river port and the road meet the inventory's rules.

A vessel lies at the river port, 10 km from the yard: a box goes between a vessel and the
rail station only by shuttle truck, worked at the river port; the station's gantry cranes
work trucks at the station only; and nothing is loaded on a truck on the road. A box a
vessel takes away must be free to leave, as for a train or a road truck. A shuttle stays
inside the supervised area, so a box under a customs hold may ride one (to the inspection
area, say); it may not leave on it.
"""

from __future__ import annotations

from typing import Protocol

from hubport.domain.container import Container
from hubport.domain.errors import InvalidOperation, InvalidPlace
from hubport.domain.places import Place, TruckSlot, VesselCell
from hubport.domain.records import TruckRecord, VesselRecord


class CarrierView(Protocol):
    """What the rules read of the hub's carriers."""

    def find_truck(self, visit_id: str) -> TruckRecord | None: ...

    def find_vessel(self, call_id: str) -> VesselRecord | None: ...


def check_vessel_cell(view: CarrierView, cell: VesselCell) -> None:
    """A box may stand in a cell of a vessel that lies alongside its berth."""
    record = view.find_vessel(cell.call)
    if record is None:
        raise InvalidPlace(f"{cell}: no vessel call {cell.call!r} is known")
    if record.state != "on_site":
        raise InvalidPlace(f"{cell}: vessel call {cell.call} is {record.state}, not alongside")


def check_truck_spot(view: CarrierView, spot: TruckSlot) -> TruckRecord:
    """A box may stand on a truck in the hub that is not on the road."""
    truck = view.find_truck(spot.visit)
    if truck is None or truck.state != "on_site":
        raise InvalidPlace(f"{spot}: truck visit {spot.visit} is not in the hub")
    if truck.location == "road":
        raise InvalidPlace(f"{spot}: shuttle {spot.visit} is on the road to the {truck.bound_for}")
    return truck


def check_transfer(
    view: CarrierView,
    container: Container,
    origin: Place,
    destination: Place,
    crane: str | None,
) -> None:
    """Refuse a move the hub's geography or customs does not allow (see the module)."""
    number = container.number.value
    ends = (origin, destination)
    cells = [place for place in ends if isinstance(place, VesselCell)]
    trucks = [place for place in ends if isinstance(place, TruckSlot)]
    if cells and len(cells) + len(trucks) < 2:
        other = destination if origin in cells else origin
        raise InvalidOperation(
            number,
            f"cannot go between {cells[0]} and {other}: a vessel lies at the river port, "
            "boxes go between it and the rail station by shuttle truck",
        )
    for spot in trucks:
        truck = check_truck_spot(view, spot)
        if cells and not truck.truck.shuttle:
            raise InvalidOperation(number, f"{spot}: only a shuttle truck works a vessel")
        if cells and truck.location != "river_port":
            raise InvalidOperation(number, f"{spot}: shuttle {spot.visit} is not at the river port")
        if crane is not None and truck.location != "station":
            raise InvalidOperation(
                number, f"{spot}: crane {crane} works trucks at the station, not the river port"
            )
    leaving = isinstance(destination, VesselCell) and (
        not isinstance(origin, VesselCell) or origin.call != destination.call
    )
    if leaving and not container.customs_status.may_leave:
        raise InvalidOperation(
            number, f"customs status {container.customs_status.value}: may not be loaded to leave"
        )


__all__ = ["CarrierView", "check_transfer", "check_truck_spot", "check_vessel_cell"]
