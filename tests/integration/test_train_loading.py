"""A departing train worked to its load plan: the plan from the live yard, crane jobs to
its slots, every box on its planned wagon, and the store sound."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine

from hubport.adapters.database import load_site
from hubport.domain.container import ContainerNumber, LegMode, NextLeg
from hubport.domain.errors import InvalidOperation
from hubport.domain.places import WagonSlot, parse_place
from hubport.planning.load_plan import Assignment
from hubport.services import commands
from hubport.services import crane_commands as jobs
from hubport.services.queries import Queries
from hubport.services.train_commands import PlanTrainLoad
from tests.conftest import box, train
from tests.integration.test_crane_floor import _floor, _open_jobs
from tests.integration.test_store import audit_store
from tests.integration.test_store import store as store  # the fixture
from tests.unit.planning.load_plan_validator import violations

LEG = NextLeg(LegMode.RAIL, "T200", None, "CNQZH")


def _yard_with_booked_boxes(store: Engine, count: int) -> tuple:  # type: ignore[type-arg]
    bus, floor = _floor(store)
    bus.handle(commands.RegisterTrain(train("T100", wagons=count)))
    boxes = [
        dataclasses.replace(box(i, "22G1" if i % 3 else "42G1", 12_000 + 1_500 * i), next_leg=LEG)
        for i in range(count)
    ]
    for each in boxes:
        bus.handle(commands.AnnounceContainer(each))
    consist = tuple(
        (b.number, WagonSlot("T100", i + 1, "A" if b.size_type.length_ft == 20 else "AB"))
        for i, b in enumerate(boxes)
    )
    bus.handle(commands.ArriveTrain("T100", "T1", consist))
    for i, each in enumerate(boxes):
        bus.handle(jobs.PlanCraneJob(f"in:{i}", each.number, "discharge"))
    floor.run(3 * 3600, until=lambda: not _open_jobs(bus))
    bus.handle(commands.DepartTrain("T100"))
    bus.handle(commands.RegisterTrain(train("T200", wagons=8, direction="outbound")))
    bus.handle(commands.ArriveTrain("T200", "T2", ()))
    return bus, floor, boxes


def test_a_train_is_loaded_to_its_plan_and_every_box_rides_where_planned(store: Engine) -> None:
    bus, floor, boxes = _yard_with_booked_boxes(store, 10)
    queries = Queries(store, load_site(store))
    assert queries.booked_on("T200") == sorted(b.number.value for b in boxes)
    request = queries.load_request("T200")
    plan = bus.handle(
        PlanTrainLoad("T200", tuple(b.number for b in boxes), idempotency_key="plan:T200")
    ).result
    placed = [Assignment(a["wagon"], a["position"], a["box"]) for a in plan["assignments"]]
    assert plan["status"] == "optimal" and violations(request, placed) == []
    again = bus.handle(
        PlanTrainLoad("T200", tuple(b.number for b in boxes), idempotency_key="plan:T200")
    )
    assert again.repeat and again.result == plan, "a repeated plan answers the same plan"
    for a in plan["assignments"]:
        slot = WagonSlot("T200", int(a["wagon"]), a["position"])
        bus.handle(
            jobs.PlanCraneJob(
                f"out:{a['box']}", ContainerNumber(a["box"]), "load", slot, train_id="T200"
            )
        )
    floor.run(3 * 3600, until=lambda: not _open_jobs(bus))
    with bus.uow_factory() as uow:
        for a in plan["assignments"]:
            assert uow.inventory.get(a["box"]).place == parse_place(
                f"wagon:T200:{int(a['wagon']):02d}:{a['position']}"
            )
    moves = queries.train_moves("T200")
    assert moves["load"]["done"] == len(plan["assignments"])
    assert audit_store(store) == []


def test_an_inbound_or_departed_train_has_no_load_plan(store: Engine) -> None:
    bus, _, _ = _yard_with_booked_boxes(store, 2)
    queries = Queries(store, load_site(store))
    with pytest.raises(InvalidOperation, match="inbound"):
        queries.load_request("T100")
    bus.handle(commands.DepartTrain("T200"))
    with pytest.raises(InvalidOperation, match="departed"):
        queries.load_request("T200")
