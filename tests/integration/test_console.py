"""The console on a real store: each page lets in the roles it declares and sends the rest
to the login page or a 403; forms are bus commands, sent once however often they come;
each user reads the console in its own language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from hubport.domain.access import FUTURES_ROLES, MACHINE_ROLES, OUTSIDE_HUB_ROLES, ROLES
from hubport.domain.container import LegMode, NextLeg
from hubport.domain.places import YardSlot
from hubport.entrypoints.api.app import create_app
from hubport.entrypoints.console.routes import ROUTERS
from hubport.services import commands
from hubport.services import river_commands as river
from tests.conftest import box, truck
from tests.integration.app_hub import MINE, THEIRS, Api
from tests.integration.test_river_port import barge

STAFF = {"operator", "customs", "viewer", "admin"}
#: The console is for people: the machine roles (railway, gate, equipment) are refused.
PEOPLE = set(ROLES) - set(MACHINE_ROLES)
#: The hub's own people; the futures site's parties have the delivery desk.
HUB_PEOPLE = PEOPLE - set(OUTSIDE_HUB_ROLES)
DESK = {"exchange", "member", "inspector", "operator", "viewer", "admin"}
#: Each page and the roles it lets in.
PAGES = {
    "/console/": PEOPLE,
    "/console/control": STAFF,
    "/console/parts/{name}": STAFF,
    "/console/trains/{train_id}": STAFF,
    "/console/customs": STAFF,
    "/console/shipper": HUB_PEOPLE,
    "/console/kpi": STAFF,
    "/console/futures": DESK,
    "/console/billing": {"billing", "operator", "viewer", "admin"},
    "/console/charges/{number}": {"billing", "operator", "viewer", "admin", "shipper"},
    "/console/park": {"park-admin", "department", "enterprise", "viewer", "admin"},
    "/console/park/projects/{project_id}": {
        "park-admin",
        "department",
        "enterprise",
        "viewer",
        "admin",
    },
}
URLS = {
    "/console/charges/{number}": "/console/charges/" + MINE.number.value,
    "/console/park/projects/{project_id}": "/console/park/projects/P001",
    "/console/parts/{name}": "/console/parts/cranes",
    "/console/trains/{train_id}": "/console/trains/T100",
}


class ConsoleClient(TestClient):
    """A browser logged in to the console: its forms carry the session's nonce, as the
    pages' forms do."""

    csrf = ""

    def post(self, url: Any, *, data: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(data, dict) and "csrf" not in data and self.csrf:
            data = {**data, "csrf": self.csrf}
        return super().post(url, data=data, **kwargs)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found is not None, "the page carries no form nonce"
    return found.group(1)


def logged_in(api: Api, role: str, base_url: str = "http://testserver") -> ConsoleClient:
    client = ConsoleClient(create_app(api.hub), base_url=base_url)
    answer = client.post("/console/login", data={"token": api.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303 and "hubport_session" in answer.headers["set-cookie"]
    assert "httponly" in answer.headers["set-cookie"].lower()
    assert api.tokens[role] not in answer.headers["set-cookie"]
    if role not in MACHINE_ROLES:
        first = (
            "/console/futures"
            if role in FUTURES_ROLES
            else "/console/park"
            if role in OUTSIDE_HUB_ROLES
            else "/console/shipper"
        )
        client.csrf = csrf_of(client.get(first).text)
    return client


def test_every_page_declares_its_roles_and_the_table_covers_them() -> None:
    declared = {}
    for route in (route for router in ROUTERS for route in router.routes):
        if isinstance(route, APIRoute) and "GET" in route.methods and route.dependant.dependencies:
            roles = [getattr(d.call, "roles", None) for d in route.dependant.dependencies]
            declared[route.path] = set(next((r for r in roles if r), ()))
    assert declared == PAGES


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_role_sees_a_page_or_is_refused_as_the_table_says(api: Api, path: str) -> None:
    url = URLS.get(path, path)
    for role in ROLES:
        answer = logged_in(api, role).get(url, follow_redirects=False)
        if role in PAGES[path]:
            assert answer.status_code in (200, 303), (role, url)
        else:
            assert answer.status_code == 403, (role, url)
            assert MINE.number.value not in answer.text and THEIRS.number.value not in answer.text
    anonymous = TestClient(create_app(api.hub)).get(url, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/console/login"


def test_a_wrong_token_does_not_log_in(api: Api) -> None:
    answer = api.client.post("/console/login", data={"token": "nope"}, follow_redirects=False)
    assert answer.status_code == 401 and "set-cookie" not in answer.headers
    assert "Log in with a valid token." in answer.text
    chinese = api.client.post("/console/login", data={"token": "nope", "lang": "zh"})
    assert chinese.status_code == 401 and "请使用有效令牌登录。" in chinese.text
    assert "登录" in api.client.get("/console/login?lang=zh").text


def test_a_shipper_sees_only_its_own_boxes_on_its_page(api: Api) -> None:
    page = logged_in(api, "shipper").get("/console/shipper").text
    assert MINE.number.value in page and THEIRS.number.value not in page
    staff = logged_in(api, "operator").get("/console/shipper").text
    assert MINE.number.value in staff and THEIRS.number.value in staff


def test_the_control_room_shows_the_yard_the_cranes_and_the_train_wagon_by_wagon(api: Api) -> None:
    page = logged_in(api, "viewer").get("/console/control").text
    assert page.count('data-crane="ARMG') == len(api.hub.site.cranes)
    assert 'data-train="T100"' in page and 'href="/console/trains/T100"' in page
    assert "A-03-01" in page  # MINE's stack on the yard map
    plan = logged_in(api, "viewer").get("/console/trains/T100").text
    assert THEIRS.number.value in plan and "on the wagon" in plan


def test_customs_places_and_lifts_a_hold_from_the_desk_once_per_form(api: Api) -> None:
    desk = logged_in(api, "customs")
    nonce = "form-1"
    form = {"box": MINE.number.value, "reason": "x-ray", "nonce": nonce}
    for _ in range(2):  # a double click: the second changes nothing
        answer = desk.post("/console/customs/holds", data=form, follow_redirects=False)
        assert answer.status_code == 303
    record = api.get(f"/api/containers/{MINE.number.value}", "customs").json()["customs_record"]
    open_holds = [h for h in record["holds"] if h["lifted_at"] is None]
    assert len(open_holds) == 1 and open_holds[0]["reason"] == "x-ray"
    page = desk.get("/console/customs").text
    assert f'data-hold="{open_holds[0]["hold"]}"' in page
    lifted = desk.post(
        f"/console/customs/holds/{open_holds[0]['hold']}/lift",
        data={"nonce": "form-2"},
        follow_redirects=False,
    )
    assert lifted.status_code == 303
    record = api.get(f"/api/containers/{MINE.number.value}", "customs").json()["customs_record"]
    assert all(h["lifted_at"] is not None for h in record["holds"])


def test_only_customs_may_hold_and_a_bad_box_is_refused_with_the_reason(api: Api) -> None:
    form = {"box": MINE.number.value, "nonce": "n"}
    refused = logged_in(api, "operator").post("/console/customs/holds", data=form)
    assert refused.status_code == 403
    bad = logged_in(api, "customs").post(
        "/console/customs/holds", data={"box": "CSQU3054384", "nonce": "m"}
    )
    assert bad.status_code == 400 and "check digit" in bad.text
    record = api.get(f"/api/containers/{MINE.number.value}", "customs").json()["customs_record"]
    assert record["holds"] == []


def test_a_form_from_another_site_is_refused(api: Api) -> None:
    desk = logged_in(api, "customs")
    answer = desk.post(
        "/console/customs/holds",
        data={"box": MINE.number.value, "nonce": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    record = api.get(f"/api/containers/{MINE.number.value}", "customs").json()["customs_record"]
    assert record["holds"] == []


def test_each_user_reads_the_console_in_the_language_it_chose(api: Api) -> None:
    operator = logged_in(api, "operator")
    assert "Control room" in operator.get("/console/control").text
    switched = operator.post("/console/language", data={"language": "zh"}, follow_redirects=False)
    assert switched.status_code == 303
    page = operator.get("/console/control").text
    assert "中控室" in page and "Control room" not in page
    assert re.search(r'<html lang="zh-CN"', page)
    # another user is not switched
    assert "Control room" in logged_in(api, "viewer").get("/console/control").text
    assert api.get("/api/me", "operator").json()["language"] == "zh"


def test_a_quote_shows_its_itineraries_and_landing_bill(api: Api) -> None:
    page = logged_in(api, "shipper").get(
        "/console/shipper?from=CNJGJ&to=THLCH&container=40HC&mass=20t&day=2026-12-01"
    )
    assert page.status_code == 200
    assert 'id="quote"' in page.text and "Landed-cost bill" in page.text
    bad = logged_in(api, "shipper").get("/console/shipper?from=CNJGJ&to=CNJGJ")
    assert bad.status_code == 200 and "No quote can be given" in bad.text


def test_the_customs_desk_filters_its_queue_by_state_and_translates_the_legs(api: Api) -> None:
    desk = logged_in(api, "customs")
    everything = desk.get("/console/customs").text
    assert 'data-declaration="D1"' in everything
    queue = desk.get("/console/customs?state=arrived").text
    assert 'data-declaration="D1"' in queue  # its boxes came off the train: arrival reported
    assert 'data-declaration="D1"' not in desk.get("/console/customs?state=released").text
    assert desk.get("/console/customs?state=bogus").status_code == 422
    desk.post("/console/language", data={"language": "zh"})
    assert "铁路 LAVTE→CNJGJ" in desk.get("/console/customs").text
    listed = api.get("/api/customs/declarations?state=arrived", "viewer").json()
    assert [d["declaration"] for d in listed] == ["D1"]


def test_the_yard_map_tells_train_legs_from_truck_collections(api: Api) -> None:
    by_rail = box(7, next_leg=NextLeg(LegMode.RAIL, "T100"))
    by_road = box(8, next_leg=NextLeg(LegMode.ROAD, "TCAPPOINTMENT"))
    for container, bay in ((by_rail, 5), (by_road, 7)):
        api.hub.bus.handle(commands.AnnounceContainer(container))
        api.hub.bus.handle(commands.GateIn(truck(f"TV{bay}"), ((container.number, "A"),)))
        api.hub.bus.handle(commands.MoveContainer(container.number, YardSlot("B", bay, 2, 1)))
    cells = {
        (block["block"], cell["bay"], cell["row"]): cell
        for block in api.hub.queries.yard_map()
        for row in block["rows"]
        for cell in row
    }
    assert (cells[("B", 5, 2)]["leg"], cells[("B", 5, 2)]["leg_mode"]) == ("T100", "rail")
    assert cells[("B", 7, 2)]["leg_mode"] == "road"
    assert cells[("A", 3, 1)]["height"] == 1 and cells[("A", 3, 1)]["leg"] is None
    assert sum(cell["height"] for cell in cells.values()) == 3
    page = logged_in(api, "viewer").get("/console/parts/yard").text
    assert "collected by truck (1)" in page and "T100 (1)" in page


def test_a_pages_bad_input_or_unknown_path_is_a_page_in_the_users_language(api: Api) -> None:
    viewer = logged_in(api, "viewer")
    viewer.post("/console/language", data={"language": "zh"})
    bad = viewer.get("/console/kpi?day=not-a-day")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "请求无效。" in bad.text and "day" in bad.text
    unknown = viewer.get("/console/nowhere")
    assert unknown.status_code == 404 and "未找到该对象。" in unknown.text
    missing = viewer.get("/console/trains/NOPE")
    assert missing.status_code == 404 and "未找到该对象。" in missing.text
    # the API still answers JSON
    assert api.get("/api/kpis?day=not-a-day", "viewer").json()["error"]["code"] == "invalid_request"
    assert api.get("/api/nowhere", "viewer").json()["error"]["code"] == "not_found"


def test_the_river_panel_shows_each_berth_with_its_call_and_the_shuttles(api: Api) -> None:
    viewer = logged_in(api, "viewer")
    empty = viewer.get("/console/parts/river").text
    assert empty.count('data-berth="LH') == 4 and "free" in empty
    api.hub.bus.handle(river.RegisterVesselCall(barge("B1")))
    api.hub.bus.handle(river.BerthVessel("B1"))
    api.hub.bus.handle(river.StartShuttle("SH1", "渝D00001", at="station"))
    api.hub.bus.handle(river.DriveShuttle("SH1"))
    panel = viewer.get("/console/parts/river").text
    berth = panel.split('data-berth="LH1"')[1].split("</tr>")[0]
    assert "B1" in berth and "at the berth" in berth
    assert 'data-shuttle="SH1"' in panel and "on the road" in panel


def test_the_console_names_the_site_in_the_users_language(api: Api) -> None:
    viewer = logged_in(api, "viewer")
    assert "Xiaonanya automated container zone" in viewer.get("/console/control").text
    viewer.post("/console/language", data={"language": "zh"})
    page = viewer.get("/console/control").text
    assert "小南垭铁路集装箱中心站自动化作业区" in page and "珞璜港" in page


def test_an_enterprise_rates_its_closed_request_from_the_park_page(api: Api) -> None:
    from hubport.park.services import commands as park

    desk = api.hub.park()
    desk.bus.handle(park.SubmitRequest(role="park-admin", request="Q1", enterprise="E1"))
    desk.bus.handle(park.AssignRequest(request="Q1", lead="planning"))
    for target in ("claimed", "answered"):
        desk.bus.handle(
            park.MoveRequest(role="department", party="planning", request="Q1", target=target)
        )
    desk.bus.handle(park.CloseRequest(request="Q1", reason="done", evidence="minutes JM-1"))
    client = logged_in(api, "enterprise")
    page = client.get("/console/park").text
    assert 'action="/console/park/requests/Q1/rating"' in page
    answer = client.post(
        "/console/park/requests/Q1/rating",
        data={"score": "4", "nonce": "n1"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    again = client.post(
        "/console/park/requests/Q1/rating",
        data={"score": "4", "nonce": "n1"},
        follow_redirects=False,
    )
    assert again.status_code == 303  # the same form twice: once
    assert desk.queries.request("Q1", "enterprise", "E1").rating == 4
    other = logged_in(api, "department")
    assert other.post("/console/park/requests/Q1/rating", data={"score": "1"}).status_code == 403
