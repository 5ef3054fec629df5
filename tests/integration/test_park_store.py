"""The park desk on the store (SQLite and PostgreSQL): a request from intake to rating
with its steps and authors, isolation between enterprises and between departments,
supervision under an injected clock, the import (all or none, idempotent), the month's
KPIs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hubport.adapters.database import load_site
from hubport.bootstrap import Hub
from hubport.config import Settings
from hubport.park.adapters.import_file import parse_import
from hubport.park.bootstrap import ParkDesk
from hubport.park.domain.errors import ImportRefused, RequestNotFound, RequestRefused
from hubport.park.domain.history import rebuild_all
from hubport.park.services import commands as park
from hubport.park.services.handlers import ParkRoleRefused
from hubport.services.clock import ManualClock
from hubport.services.commands import Author
from tests.conftest import T0
from tests.integration.test_store import make_bus
from tests.integration.test_store import store as store  # the fixture


@pytest.fixture
def hub(store: Engine, tmp_path: Path) -> Iterator[Hub]:
    yield Hub(Settings(data_dir=tmp_path), store, load_site(store), make_bus(store))


@pytest.fixture
def desk(hub: Hub) -> ParkDesk:
    return hub.park()


def _clock(hub: Hub) -> ManualClock:
    assert isinstance(hub.bus.clock, ManualClock)
    return hub.bus.clock


def _file(desk: ParkDesk, request: str = "R1", enterprise: str = "E1") -> None:
    desk.bus.handle(
        park.SubmitRequest(
            role="enterprise",
            party=enterprise,
            request=request,
            enterprise=enterprise,
            channel="online",
            category="land",
            summary="power supply to the new plant",
            author=Author(f"{enterprise}-user", "enterprise", "api"),
            idempotency_key=f"api:park:request:{request}",
        )
    )


def _advance(hub: Hub, hours: float) -> None:
    clock = _clock(hub)
    clock.set(clock.now() + timedelta(hours=hours))


def test_a_request_runs_from_intake_to_rating(hub: Hub, desk: ParkDesk) -> None:
    _file(desk)
    _file(desk)  # a repeat: applied once
    _advance(hub, 1)
    desk.bus.handle(park.AssignRequest(request="R1", lead="planning", supporting=("power",)))
    for target, note in (("claimed", ""), ("in_progress", "surveyed"), ("answered", "connected")):
        _advance(hub, 2)
        desk.bus.handle(
            park.MoveRequest(
                role="department", party="planning", request="R1", target=target, note=note
            )
        )
    _advance(hub, 24)
    desk.bus.handle(
        park.CloseRequest(request="R1", reason="power on", evidence="meter photo, minutes JM-12")
    )
    desk.bus.handle(park.RateRequest(role="enterprise", party="E1", request="R1", score=5))
    found = desk.queries.request("R1", "enterprise", "E1")
    assert (found.state.value, found.rating, found.closing_reason) == ("closed", 5, "power on")
    steps = desk.queries.steps_of("R1")
    assert [s["state"] for s in steps] == [
        "assigned",
        "claimed",
        "in_progress",
        "answered",
        "closed",
    ]
    month = f"{T0:%Y-%m}"
    kpis = desk.queries.kpis(month)
    assert (kpis.received, kpis.completion_rate, kpis.satisfaction) == (1, 1.0, 1.0)


def test_each_sees_its_own_and_another_s_is_not_found(desk: ParkDesk) -> None:
    _file(desk, "R1", "E1")
    _file(desk, "R2", "E2")
    desk.bus.handle(park.AssignRequest(request="R1", lead="planning"))
    desk.bus.handle(park.AssignRequest(request="R2", lead="tax"))
    assert [r.id for r in desk.queries.requests("enterprise", "E1")] == ["R1"]
    assert [r.id for r in desk.queries.requests("department", "tax")] == ["R2"]
    with pytest.raises(RequestNotFound):
        desk.queries.request("R2", "enterprise", "E1")
    with pytest.raises(RequestNotFound):
        desk.queries.request("R1", "department", "tax")
    with pytest.raises(RequestNotFound):
        desk.bus.handle(
            park.MoveRequest(role="department", party="tax", request="R1", target="claimed")
        )
    with pytest.raises(RequestNotFound):
        desk.bus.handle(park.RateRequest(role="enterprise", party="E2", request="R1", score=1))
    with pytest.raises(ParkRoleRefused, match="files requests for itself only"):
        desk.bus.handle(
            park.SubmitRequest(role="enterprise", party="E2", request="R9", enterprise="E1")
        )


def test_an_illegal_step_is_refused_and_changes_nothing(desk: ParkDesk) -> None:
    _file(desk)
    with pytest.raises(RequestRefused, match="received cannot become answered"):
        desk.bus.handle(park.MoveRequest(role="park-admin", request="R1", target="answered"))
    with pytest.raises(RequestRefused, match="enterprise may not move a request from received"):
        desk.bus.handle(
            park.MoveRequest(role="enterprise", party="E1", request="R1", target="assigned")
        )
    assert desk.queries.steps_of("R1") == []


def test_supervision_takes_up_a_request_that_outstayed_its_state_once(
    hub: Hub, desk: ParkDesk
) -> None:
    _file(desk)
    desk.bus.handle(park.AssignRequest(request="R1", lead="planning"))
    _advance(hub, 23)
    assert desk.bus.handle(park.WatchRequestDeadlines()).result == {"escalated": []}
    _advance(hub, 2)  # a day to claim it has passed
    first = desk.bus.handle(park.WatchRequestDeadlines()).result["escalated"]
    assert [(e["request"], e["state"]) for e in first] == [("R1", "assigned")]
    assert desk.bus.handle(park.WatchRequestDeadlines()).result == {"escalated": []}
    assert desk.queries.request("R1", "park-admin", None).escalated[0][0].value == "assigned"


IMPORT = """{"requests": [
 {"id": "A", "enterprise": "E1", "received": "2026-11-02T09:00", "deadline": "2026-11-12T17:00",
  "events": [{"at": "2026-11-02T10:00", "state": "assigned", "by": "desk"},
             {"at": "2026-11-02T15:00", "state": "claimed", "by": "planning"},
             {"at": "2026-11-05T10:00", "state": "answered", "by": "planning"},
             {"at": "2026-11-06T09:00", "state": "closed", "by": "joint meeting"}], "rating": 5},
 {"id": "B", "enterprise": "E2", "received": "2026-11-04T09:00", "deadline": "2026-11-20T17:00",
  "events": [{"at": "2026-11-04T10:00", "state": "assigned", "by": "desk"},
             {"at": "2026-11-04T12:00", "state": "returned", "by": "tax"}], "rating": null}
]}"""


def _import(desk: ParkDesk, text: str) -> dict[str, object]:
    requests = rebuild_all(desk.table, parse_import(text), "test.json")
    fresh, same = desk.queries.split_known(requests)
    result = desk.bus.handle(park.ImportRequests(requests=tuple(fresh), source="test.json")).result
    return {**result, "same": same}


def test_an_import_is_idempotent_and_a_changed_history_is_refused(desk: ParkDesk) -> None:
    assert _import(desk, IMPORT)["imported"] == 2
    assert _import(desk, IMPORT) == {"imported": 0, "source": "test.json", "same": 2}
    changed = IMPORT.replace('"rating": 5', '"rating": 4')
    with pytest.raises(ImportRefused, match=r"request\(s\) A exist with another history"):
        _import(desk, changed)
    kpis = desk.queries.kpis("2026-11")
    assert (kpis.received, kpis.closed, kpis.returned) == (2, 1, 1)
    assert kpis.completion_rate == 1.0  # 1 closed of 2 less the 1 returned


def test_a_task_closes_at_a_joint_meeting_by_four_eyes_and_open_ones_carry_over(
    desk: ParkDesk,
) -> None:
    from datetime import date

    from hubport.park.domain.errors import TaskRefused
    from hubport.park.domain.meetings import Task

    for task_id, owner in (("T1", "li"), ("T2", "zhao")):
        desk.bus.handle(
            park.CreateTask(task=Task(task_id, f"task {task_id}", owner, date(2026, 12, 3)))
        )
    desk.bus.handle(park.CompleteTask(task="T1", by="li", note="energised"))
    first = desk.bus.handle(
        park.HoldMeeting(
            meeting="JM-1", kind="joint", held_on=date(2026, 12, 4), attendees=("wang", "li")
        )
    ).result
    assert first["agenda"] == ["task T2", "task T1"] and first["carried_over"] == []
    with pytest.raises(TaskRefused, match="li is its assignee"):
        desk.bus.handle(park.VerifyTask(task="T1", meeting="JM-1", by="li", evidence="sheet"))
    desk.bus.handle(park.VerifyTask(task="T1", meeting="JM-1", by="wang", evidence="sheet 117"))
    second = desk.bus.handle(
        park.HoldMeeting(
            meeting="JM-2", kind="joint", held_on=date(2026, 12, 11), attendees=("wang",)
        )
    ).result
    assert second == {"meeting": "JM-2", "agenda": ["task T2"], "carried_over": ["task T2"]}
    tasks = {t.id: t for t in desk.queries.tasks()}
    assert (tasks["T1"].state, tasks["T1"].verified_by) == ("verified", "wang")
    assert tasks["T2"].meetings_open == 1
    assert desk.queries.carried_over("2026-12") == 1
