"""The runtime's river duty on a real store (SQLite and PostgreSQL): a barge alongside
gets shuttles to the quay for its bay plan and its load list's boxes sent from the yard,
each shuttle drives when loaded and ends its trip when emptied, once and only once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from hubport.domain.container import ContainerNumber, CustomsStatus
from hubport.domain.places import VesselCell, YardSlot
from hubport.domain.river import VesselCall
from hubport.runtime.reactions import Reactions
from hubport.runtime.river import FLEET
from hubport.services import commands
from hubport.services import river_commands as river
from hubport.services.clock import ManualClock
from hubport.services.train_commands import AnnounceTrain
from tests.conftest import T0, box
from tests.integration.test_runtime import _announced, _hub, _open_jobs
from tests.integration.test_store import audit_store
from tests.integration.test_store import store as store  # the fixture

CALL = VesselCall("B1", "Minsheng Feeder", "barge", "V1", "LH1", T0, T0 + timedelta(hours=12), 85.0)


def _alongside(store: Engine, brings: int, takes: tuple[ContainerNumber, ...] = ()):  # type: ignore[no-untyped-def]
    clock = ManualClock(T0)
    bus, queries = _hub(store, clock)
    boxes = [box(60 + i) for i in range(brings)]
    for container in boxes:
        bus.handle(commands.AnnounceContainer(container))
    bus.handle(river.RegisterVesselCall(CALL, takes))
    cells = tuple(
        (container.number, VesselCell("B1", 1 + 2 * i, 1, 2)) for i, container in enumerate(boxes)
    )
    bus.handle(river.RecordBayPlan("B1", cells))
    bus.handle(river.BerthVessel("B1"))
    return bus, queries, boxes


def test_a_barge_alongside_gets_shuttles_to_the_quay_as_the_fleet_allows(store: Engine) -> None:
    bus, queries, _boxes = _alongside(store, FLEET + 2)
    reactions = Reactions(bus, queries)
    reactions.run(T0)
    trips = queries.shuttle_trips()
    assert len(trips) == FLEET
    assert {(t.starts_at, t.location, t.boxes) for t in trips} == {("river_port", "river_port", ())}
    assert Reactions(bus, queries).run(T0) == 0  # a runtime started again: none sent twice


def test_a_box_off_the_barge_is_driven_to_the_station_and_stacked_by_the_cranes(
    store: Engine,
) -> None:
    bus, queries, boxes = _alongside(store, 1)
    reactions = Reactions(bus, queries)
    reactions.run(T0)
    (trip,) = queries.shuttle_trips()
    number = boxes[0].number
    bus.handle(river.DischargeVessel(number, trip.visit, "A"))
    reactions.run(T0)
    (driving,) = queries.shuttle_trips()
    assert driving.on_road and driving.bound_for == "station"
    bus.handle(river.ShuttleArrives(trip.visit))
    assert _open_jobs(store) == {number.value: "receipt"}
    assert reactions.run(T0) == 0  # no more boxes aboard: no more shuttles
    assert audit_store(store) == []


def test_a_shuttle_emptied_at_the_other_end_ends_its_trip(store: Engine) -> None:
    bus, queries, boxes = _alongside(store, 1)
    reactions = Reactions(bus, queries)
    reactions.run(T0)
    (trip,) = queries.shuttle_trips()
    number = boxes[0].number
    bus.handle(river.DischargeVessel(number, trip.visit, "A"))
    reactions.run(T0)
    bus.handle(river.ShuttleArrives(trip.visit, plan_work=False))
    bus.handle(commands.MoveContainer(number, YardSlot("A", 3, 1, 1)))
    reactions.run(T0)
    assert queries.shuttle_trips() == []
    assert queries.container(number.value).place == YardSlot("A", 3, 1, 1)


def test_a_box_of_the_load_list_leaves_the_yard_by_shuttle_once_customs_releases_it(
    store: Engine,
) -> None:
    clock = ManualClock(T0)
    bus, queries = _hub(store, clock)
    visit, (leaving,) = _announced("IN9", 1, customs_status=CustomsStatus.HELD)
    bus.handle(AnnounceTrain(visit, (leaving,)))
    bus.handle(commands.ArriveTrain("IN9", "T1"))
    bus.handle(commands.MoveContainer(leaving.number, YardSlot("A", 5, 1, 1)))
    bus.handle(river.RegisterVesselCall(CALL, (leaving.number,)))
    bus.handle(river.BerthVessel("B1"))
    reactions = Reactions(bus, queries)
    reactions.run(T0)
    assert queries.shuttle_trips() == [] and _open_jobs(store) == {}  # held: it waits
    bus.handle(commands.SetCustomsStatus(leaving.number, CustomsStatus.RELEASED, "cleared"))
    reactions.run(T0)
    (trip,) = queries.shuttle_trips()
    assert (trip.starts_at, trip.location) == ("station", "station")
    assert _open_jobs(store) == {leaving.number.value: "delivery"}
    assert Reactions(bus, queries).run(T0) == 0
    assert audit_store(store) == []
