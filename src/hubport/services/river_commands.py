"""Commands of the river port: vessel calls at its berths, their bay plans and load lists,
the boxes worked between a vessel and a shuttle truck, and the shuttles on the road to
the rail station."""

from __future__ import annotations

from dataclasses import dataclass

from hubport.domain.container import ContainerNumber
from hubport.domain.places import Spot, VesselCell
from hubport.domain.river import Location, VesselCall
from hubport.services.commands import Command


@dataclass(frozen=True)
class RegisterVesselCall(Command):
    """Plan a barge or ship call in its berth window, with the boxes it is to take away."""

    call: VesselCall
    load_list: tuple[ContainerNumber, ...] = ()


@dataclass(frozen=True)
class RecordBayPlan(Command):
    """The boxes a call brings for the hub, each at its cell (a BAPLIE, or the operator).
    The boxes must be announced; a cell is given to one box."""

    call_id: str
    cells: tuple[tuple[ContainerNumber, VesselCell], ...]
    source: str = "operator"


@dataclass(frozen=True)
class RecordLoadList(Command):
    call_id: str
    numbers: tuple[ContainerNumber, ...]


@dataclass(frozen=True)
class BerthVessel(Command):
    """The vessel comes alongside: the boxes of its bay plan are aboard at their cells."""

    call_id: str


@dataclass(frozen=True)
class DepartVessel(Command):
    call_id: str


@dataclass(frozen=True)
class StartShuttle(Command):
    """A shuttle truck of the hub starts a trip at one end of the road."""

    visit: str
    plate: str
    at: Location = "river_port"


@dataclass(frozen=True)
class DischargeVessel(Command):
    """The river port's crane lifts a box off the vessel onto a shuttle at its side."""

    number: ContainerNumber
    shuttle: str
    spot: Spot


@dataclass(frozen=True)
class LoadVessel(Command):
    """The river port's crane lifts a box off a shuttle into a cell of the vessel."""

    number: ContainerNumber
    cell: VesselCell


@dataclass(frozen=True)
class DriveShuttle(Command):
    """The shuttle leaves its end of the road for the other (river port ⇄ station)."""

    visit: str


@dataclass(frozen=True)
class ShuttleArrives(Command):
    """The shuttle reaches the end it was bound for. At the station, the boxes aboard get
    their crane work at once (the linkage), as a truck's at the gate; ``plan_work`` False
    leaves the crane work to the caller (cranes that take no crane jobs)."""

    visit: str
    plan_work: bool = True


@dataclass(frozen=True)
class SendToRiverPort(Command):
    """Plan the crane job that puts a yard box on a shuttle at the station."""

    number: ContainerNumber
    shuttle: str
    spot: Spot


@dataclass(frozen=True)
class EndShuttle(Command):
    """The shuttle's trip is over; it must be empty."""

    visit: str


__all__ = [
    "BerthVessel",
    "DepartVessel",
    "DischargeVessel",
    "DriveShuttle",
    "EndShuttle",
    "LoadVessel",
    "RecordBayPlan",
    "RecordLoadList",
    "RegisterVesselCall",
    "SendToRiverPort",
    "ShuttleArrives",
    "StartShuttle",
]
