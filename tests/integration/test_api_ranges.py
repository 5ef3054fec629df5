"""Input ranges: days and times outside the hub's horizon, quote windows, gate windows
written in odd offsets and echoed input are clear 4xx errors that change nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from hubport.domain.access import ROLES
from hubport.domain.hub_time import HUB_TIME
from tests.integration.app_hub import MINE, THEIRS, Api
from tests.integration.test_api_actors import _train
from tests.integration.test_console import logged_in

EXTREMES = ("9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31")


def _day_operations(api: Api) -> list[str]:
    """Every GET of the API that takes a ``day``."""
    schema = api.client.get("/api/openapi.json").json()
    return [
        path
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "get"
        and any(p["name"] == "day" for p in operation.get("parameters", ()))
        and "{" not in path
    ]


def _role_for(api: Api, path: str) -> str:
    for role in ("operator", "admin", *ROLES):
        if api.get(path, role).status_code != 403:
            return role
    raise AssertionError(f"no role may read {path}")


@pytest.mark.parametrize("day", EXTREMES)
def test_every_day_outside_the_horizon_is_a_400_naming_the_field(api: Api, day: str) -> None:
    paths = _day_operations(api)
    assert {"/api/kpis", "/api/appointments", "/api/quotes", "/api/gate/visits"} <= set(paths)
    for path in paths:
        query = "from=CNJGJ&to=SGSIN&" if path == "/api/quotes" else ""
        answer = api.get(f"{path}?{query}day={day}", _role_for(api, path))
        assert answer.status_code == 400, (path, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "out_of_horizon" and "day" in error["message"], path
        assert day in error["message"]


@pytest.mark.parametrize(
    "at",
    ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00-12:00"],
)
def test_an_appointment_at_an_extreme_time_is_refused_and_nothing_is_booked(
    api: Api, at: str
) -> None:
    body = {"appointment": "X1", "plate": "渝A12345", "kind": "collect", "box": str(MINE.number)}
    answer = api.post("/api/appointments", "operator", json=body | {"at": at})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "out_of_horizon"
    assert "at" in answer.json()["error"]["message"]
    assert api.hub.queries.appointment("X1") is None


def test_an_appointment_beyond_the_booking_horizon_is_refused_with_the_last_day(api: Api) -> None:
    body = {"appointment": "X2", "plate": "渝A12345", "kind": "collect", "box": str(MINE.number)}
    answer = api.post("/api/appointments", "operator", json=body | {"at": "2099-12-31T23:00"})
    assert answer.status_code == 409, answer.text
    assert "30 days ahead" in answer.json()["error"]["message"]
    assert api.hub.queries.appointment("X2") is None


def test_a_train_with_an_extreme_time_is_refused_naming_the_field(api: Api) -> None:
    train = _train("R9") | {"arrives": "0001-01-01T00:00:00+08:00"}
    answer = api.post("/api/trains", "railway", json=train)
    assert answer.status_code == 400 and "body.arrives" in answer.json()["error"]["message"]


def test_the_console_refuses_a_day_outside_the_horizon(api: Api) -> None:
    viewer = logged_in(api, "viewer")
    answer = viewer.get("/console/kpi?day=9999-12-31")
    assert answer.status_code == 400 and "9999-12-31" in answer.text


@pytest.mark.parametrize("window", ["3650d", "9999d", "32d", "0d"])
def test_a_quote_window_longer_than_a_month_is_refused_at_once(api: Api, window: str) -> None:
    answer = api.get(f"/api/quotes?from=CNJGJ&to=SGSIN&window={window}", "shipper")
    assert answer.status_code == 400 and "window" in answer.json()["error"]["message"]


def test_a_month_long_quote_window_is_answered(api: Api) -> None:
    answer = api.get("/api/quotes?from=CNJGJ&to=SGSIN&window=31d&day=2026-12-01", "shipper")
    assert answer.status_code == 200, answer.text


def test_input_echoed_in_an_error_is_cut_to_a_short_prefix(api: Api) -> None:
    answer = api.get("/api/containers/" + "A" * 10_000, "operator")
    message = answer.json()["error"]["message"]
    assert answer.status_code == 400 and len(message) < 200 and "10000 chars" in message


def _book(api: Api, appointment: str, at: str, box: str = str(THEIRS.number)) -> Any:
    body = {"appointment": appointment, "plate": f"P{appointment}", "kind": "deliver", "box": box}
    return api.post("/api/appointments", "operator", json=body | {"at": at})


def test_gate_windows_are_cut_in_hub_time_whatever_offset_the_caller_writes(api: Api) -> None:
    windows = {
        _book(api, f"W{n}", f"2026-12-01T10:05:00{offset}").json()["window"][0]
        for n, offset in enumerate(("+08:00", "+07:59", "+07:58", "+07:57", "Z"))
    }
    # 10:05+07:5x is 10:06-10:08 hub time: the hub's 10:00 window; 10:05Z is 18:05 hub time
    assert windows == {"2026-12-01T10:00:00+08:00", "2026-12-01T18:00:00+08:00"}


def test_a_full_window_stays_full_whatever_offset_the_caller_writes(api: Api) -> None:
    capacity = api.hub.site.gate.trucks
    for n in range(capacity):
        assert _book(api, f"F{n}", "2026-12-01T10:05:00+08:00").status_code == 201
    for n, offset in enumerate(("+07:59", "+07:58", "+07:57")):
        over = _book(api, f"O{n}", f"2026-12-01T10:05:00{offset}")
        assert over.status_code == 409 and "is full" in over.json()["error"]["message"]


def test_the_gate_windows_show_the_trucks_booked_and_the_room_left(api: Api) -> None:
    capacity = api.hub.site.gate.trucks
    for n in range(capacity):
        assert _book(api, f"F{n}", "2026-12-01T10:05:00+08:00").status_code == 201
    assert _book(api, "N1", "2026-12-01T10:40:00+08:00").status_code == 201
    answer = api.get("/api/gate/windows?start=2026-12-01T10:20:00%2B08:00&hours=2", "shipper")
    assert answer.status_code == 200
    windows = answer.json()
    assert [w["start"][11:16] for w in windows] == ["10:00", "10:30", "11:00", "11:30", "12:00"]
    assert [w["booked"] for w in windows] == [capacity, 1, 0, 0, 0]
    assert windows[0]["free"] == 0 and windows[1]["free"] == capacity - 1
    # the first with room is the one a full window's refusal names
    over = _book(api, "O1", "2026-12-01T10:05:00+08:00").json()["error"]["message"]
    assert "the next free window starts 10:30" in over
    for wrong in ("hours=0", "hours=400", "start=someday"):
        assert api.get(f"/api/gate/windows?{wrong}", "operator").status_code == 422


def test_a_box_has_at_most_one_open_collection(api: Api) -> None:
    body = {"plate": "渝A1", "kind": "collect", "box": str(MINE.number)}
    first = api.post(
        "/api/appointments", "operator", json=body | {"appointment": "C1", "at": "2026-12-01T11:00"}
    )
    assert first.status_code == 201, first.text
    for n in (2, 3):
        again = api.post(
            "/api/appointments",
            "operator",
            json=body | {"appointment": f"C{n}", "at": "2026-12-01T12:00"},
        )
        assert again.status_code == 409 and "C1" in again.json()["error"]["message"]
    assert api.post("/api/appointments/C1/cancel", "operator").status_code == 200
    later = api.post(
        "/api/appointments", "operator", json=body | {"appointment": "C4", "at": "2026-12-01T12:00"}
    )
    assert later.status_code == 201


def test_the_api_keeps_hub_time_when_the_hub_is_days_behind_the_wall_clock(api: Api) -> None:
    # the fixture's hub clock stands at T0 (2026-12-01 06:00), days before the wall clock
    from tests.conftest import T0

    assert T0.date() < datetime.now(HUB_TIME).date()
    held = api.post("/api/customs/holds", "customs", json={"box": str(MINE.number), "hold": "H9"})
    assert held.status_code in (200, 201), held.text
    (hold,) = api.get(f"/api/containers/{MINE.number}", "customs").json()["customs_record"]["holds"]
    assert datetime.fromisoformat(hold["placed_at"]) == T0
    # a booking later on the hub's day is in the hub's future, whatever the wall says
    booked = _book(api, "HUB-1", "2026-12-01T15:00")
    assert booked.status_code == 201, booked.text
    today = api.get("/api/appointments", "operator").json()  # "today" is the hub's day
    assert [a["appointment"] for a in today] == ["HUB-1"]
    assert api.get("/api/kpis", "operator").json()["day"] == T0.date().isoformat()
