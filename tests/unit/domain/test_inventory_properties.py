"""Property tests: whatever sequence of operations, legal or not, the inventory stays sound."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from hubport.domain.container import Container, CustomsStatus
from hubport.domain.errors import HubportError
from hubport.domain.events import ContainerDeparted, ContainerMoved
from hubport.domain.invariants import violations
from hubport.domain.inventory import ContainerState, Inventory
from hubport.domain.places import (
    Place,
    Spreader,
    TruckSlot,
    VesselCell,
    WagonSlot,
    YardSlot,
    carrier_of,
)
from hubport.domain.river import VesselCall
from hubport.domain.site import Site
from hubport.domain.visits import TruckVisit
from tests.conftest import at, box, train, truck

CODES = ("22G1", "42G1", "45G1", "22R1", "22T1")
#: Moves are drawn more often than carriers come and go, so that boxes get somewhere.
_WEIGHTED = ("arrive", "move", "port_move") * 3


def make_box(index: int, code: str, flag: bool) -> Container:
    if code == "22R1":
        return box(index, code, reefer_setpoint_c=-18.0 if flag else None)
    if code == "22T1":
        return box(index, code, imdg_class="3" if flag else None)
    return box(index, code, customs_status=CustomsStatus.HELD if flag else CustomsStatus.RELEASED)


places = st.one_of(
    st.builds(
        YardSlot,
        st.sampled_from(["A", "B"]),
        st.sampled_from([3, 4, 5, 6, 7, 55, 56, 57]),
        st.integers(1, 3),
        st.integers(1, 3),
    ),
    st.builds(WagonSlot, st.just("T100"), st.integers(1, 4), st.sampled_from(["A", "B", "AB"])),
    st.builds(TruckSlot, st.sampled_from(["TV1", "TV2", "SH1"]), st.sampled_from(["A", "B", "AB"])),
    st.builds(Spreader, st.sampled_from(["ARMG1", "ARMG2", "NOPE"])),
    st.builds(
        VesselCell, st.just("B1"), st.sampled_from([1, 2, 3]), st.integers(1, 2), st.just(82)
    ),
)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("announce"), st.integers(0, 3), st.sampled_from(CODES), st.booleans()),
        *[st.tuples(st.just(kind), st.integers(0, 3), places) for kind in _WEIGHTED],
        st.tuples(st.just("arrive"), st.integers(0, 3), places),
        st.tuples(st.just("move"), st.integers(0, 3), places),
        st.tuples(st.just("release"), st.integers(0, 3)),
        st.tuples(st.just("truck_in"), st.sampled_from(["TV1", "TV2"])),
        st.tuples(st.just("truck_out"), st.sampled_from(["TV1", "TV2"])),
        st.tuples(st.just("train_out")),
        st.tuples(st.just("hold"), st.integers(0, 3)),
        st.tuples(st.just("shuttle_in"), st.sampled_from(["station", "river_port"])),
        st.tuples(st.just("shuttle_drive")),
        st.tuples(st.just("shuttle_reach")),
        st.tuples(st.just("vessel_out")),
        st.tuples(st.just("port_move"), st.integers(0, 3), places),
    ),
    min_size=30,
    max_size=80,
)


def apply(
    inventory: Inventory, operation: tuple[object, ...], boxes: dict[int, Container], minute: int
) -> None:
    kind = operation[0]
    when = at(minute)
    if kind == "announce":
        index, code, flag = operation[1], operation[2], operation[3]
        container = make_box(int(index), str(code), bool(flag))  # type: ignore[arg-type]
        inventory.announce(container, when)
        boxes[int(index)] = container  # type: ignore[arg-type]
    elif kind in ("arrive", "move"):
        container = boxes.get(int(operation[1]))  # type: ignore[arg-type]
        if container is None:
            raise HubportError("unknown box in this run")
        place: Place = operation[2]  # type: ignore[assignment]
        if kind == "arrive":
            inventory.arrive(container.number, place, when)
        else:
            inventory.move(container.number, place, when, crane="ARMG1")
    elif kind in ("release", "hold"):
        container = boxes.get(int(operation[1]))  # type: ignore[arg-type]
        if container is None:
            raise HubportError("unknown box in this run")
        status = CustomsStatus.RELEASED if kind == "release" else CustomsStatus.HELD
        inventory.set_customs_status(container.number, status, "test", when)
    elif kind == "truck_in":
        inventory.truck_arrives(truck(str(operation[1])), when)
    elif kind == "truck_out":
        inventory.truck_departs(str(operation[1]), when)
    elif kind == "train_out":
        inventory.train_departs("T100", when)
    elif kind == "shuttle_in":
        shuttle = TruckVisit("SH1", "渝D00001", shuttle=True, starts_at=operation[1])  # type: ignore[arg-type]
        inventory.truck_arrives(shuttle, when)
    elif kind == "shuttle_drive":
        inventory.shuttle_leaves("SH1", when)
    elif kind == "shuttle_reach":
        inventory.shuttle_reaches("SH1", when)
    elif kind == "vessel_out":
        inventory.vessel_departs("B1", when)
    elif kind == "port_move":  # the river port's crane (no gantry crane of the station)
        container = boxes.get(int(operation[1]))  # type: ignore[arg-type]
        if container is None:
            raise HubportError("unknown box in this run")
        inventory.move(container.number, operation[2], when, crane=None)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(operations)
def test_any_sequence_keeps_every_box_in_exactly_one_place(
    site: Site, sequence: list[tuple[object, ...]]
) -> None:
    inventory = Inventory(site)
    inventory.register_train(train("T100", wagons=4), at(0))
    inventory.train_arrives("T100", "T1", at(0))
    inventory.register_vessel(BARGE, at(0))
    inventory.vessel_berths("B1", at(0))
    boxes: dict[int, Container] = {}
    arrived = departed = 0
    for minute, operation in enumerate(sequence, start=1):
        before = copy.deepcopy(inventory.snapshot())
        events_before = len(inventory.pending)
        try:
            apply(inventory, operation, boxes, minute)
        except HubportError:
            assert inventory.snapshot() == before, f"rejected {operation} changed the inventory"
            assert len(inventory.pending) == events_before
        assert violations(inventory) == []
        for event in inventory.pending[events_before:]:
            assert not _held_box_leaves(inventory, event), f"{operation}: {event}"
        arrived = sum(1 for e in inventory.pending if type(e).__name__ == "ContainerArrived")
        departed = sum(1 for e in inventory.pending if type(e).__name__ == "ContainerDeparted")
        in_hub = sum(1 for r in inventory.records.values() if r.state is ContainerState.IN_HUB)
        assert in_hub == arrived - departed, "a box was lost or created"
    replayed = Inventory(site)
    for event in inventory.pending:
        replayed.apply(event)
    assert replayed.snapshot() == inventory.snapshot()


BARGE = VesselCall("B1", "Minsheng 18", "barge", "V1", "LH1", at(0), at(600), 85.0)


def _held_box_leaves(inventory: Inventory, event: object) -> bool:
    """A box under a customs hold left the hub, or was loaded on a wagon, a vessel or a
    road truck (a restow aboard one carrier, or a ride on a shuttle, is not loading)."""
    if isinstance(event, ContainerDeparted):
        return inventory.get(event.number).container.customs_status is CustomsStatus.HELD
    if not isinstance(event, ContainerMoved):
        return False
    if inventory.get(event.number).container.customs_status is not CustomsStatus.HELD:
        return False
    destination, origin = event.destination, event.origin
    if isinstance(destination, TruckSlot):
        record = inventory.find_truck(destination.visit)
        return not (record is not None and record.truck.shuttle)
    if isinstance(destination, WagonSlot | VesselCell):
        return carrier_of(origin) != carrier_of(destination)
    return False
