"""The HTTP API on a real store: every endpoint answers each role as its rule says, a
shipper sees only its own boxes (another's is not found), writes are bus commands, and
errors are JSON with a stable code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.routing import APIRoute

from hubport.domain.access import OUTSIDE_HUB_ROLES, ROLES
from hubport.entrypoints.api.app import ROUTERS
from tests.integration.app_hub import MINE, THEIRS, Api

#: The accounts of the hub's own business (the futures site's parties are not among them).
HUB = set(ROLES) - set(OUTSIDE_HUB_ROLES)
FUTURES_READERS = {"exchange", "member", "inspector", "operator", "viewer", "admin"}
PARK_READERS = {"park-admin", "department", "enterprise", "viewer", "admin"}
BILLING_CUSTOMERS = {"billing", "operator", "viewer", "admin", "shipper"}
#: Each endpoint and the roles it allows (the rule the app declares, checked one by one).
ALLOWED = {
    ("GET", "/api/me"): set(ROLES),
    ("GET", "/api/containers"): HUB,
    ("GET", "/api/containers/{number}"): HUB,
    ("GET", "/api/yard"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/trains"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/trains/{train_id}"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/vessel-calls"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/vessel-calls/{call_id}"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/customs/declarations"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/customs/declarations/{declaration_id}"): {
        "operator",
        "customs",
        "viewer",
        "admin",
    },
    ("GET", "/api/appointments"): HUB,
    ("GET", "/api/cranes"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/quotes"): set(ROLES),
    ("GET", "/api/events"): HUB,
    ("POST", "/api/customs/holds"): {"customs"},
    ("POST", "/api/customs/holds/{hold_id}/lift"): {"customs"},
    ("POST", "/api/customs/declarations/{declaration_id}/release"): {"customs"},
    ("POST", "/api/edi/messages"): {"operator", "admin", "railway", "customs"},
    ("GET", "/api/edi/messages"): {"operator", "admin"},
    ("GET", "/api/edi/messages/{record_id}"): {"operator", "admin"},
    ("POST", "/api/appointments"): {"operator", "shipper", "admin"},
    ("POST", "/api/appointments/{appointment_id}/cancel"): {"operator", "shipper", "admin"},
    ("POST", "/api/appointments/{appointment_id}/change"): {"operator", "shipper", "admin"},
    ("GET", "/api/trains/{train_id}/load-plan"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/gate/visits"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/gate/windows"): HUB,
    ("GET", "/api/kpis"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/corridor/statistics"): {"operator", "customs", "viewer", "admin"},
    ("GET", "/api/alarms"): {"operator", "customs", "viewer", "admin"},
    ("PUT", "/api/me/language"): set(ROLES),
    ("GET", "/api/train-services"): set(ROLES),
    ("GET", "/api/runtime"): HUB - {"shipper"},
    ("POST", "/api/trains"): {"railway", "operator", "admin"},
    ("POST", "/api/containers"): {"operator", "shipper", "admin"},
    ("POST", "/api/trains/{train_id}/arrival"): {"railway", "operator", "admin"},
    ("POST", "/api/trains/{train_id}/discharge"): {"railway", "operator", "admin"},
    ("POST", "/api/trains/{train_id}/departure"): {"railway", "operator", "admin"},
    ("POST", "/api/gate/transactions"): {"gate", "operator", "admin"},
    ("POST", "/api/vessel-calls"): {"operator", "admin"},
    ("POST", "/api/vessel-calls/{call_id}/berthing"): {"operator", "admin"},
    ("POST", "/api/vessel-calls/{call_id}/departure"): {"operator", "admin"},
    ("POST", "/api/customs/declarations"): {"operator", "admin"},
    ("GET", "/api/shuttles"): {"equipment", "operator", "viewer", "admin"},
    ("POST", "/api/shuttles/{visit}/arrival"): {"equipment", "operator", "admin"},
    ("POST", "/api/vessel-calls/{call_id}/discharges"): {"equipment", "operator", "admin"},
    ("POST", "/api/vessel-calls/{call_id}/loads"): {"equipment", "operator", "admin"},
    ("POST", "/api/crane-jobs/{job_id}/set-down"): {"operator", "admin"},
    ("GET", "/api/audit"): {"admin"},
    ("POST", "/api/futures/deliveries"): {"exchange", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/payments"): {"exchange", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/default"): {"exchange", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/slot"): {"operator", "member", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/arrival"): {"operator", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/tally"): {"inspector", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/signature"): {"member", "admin"},
    ("POST", "/api/futures/deliveries/{delivery_id}/dispute"): {"member", "exchange", "admin"},
    ("GET", "/api/futures/deliveries"): FUTURES_READERS,
    ("GET", "/api/futures/deliveries/{delivery_id}"): FUTURES_READERS,
    ("GET", "/api/futures/slots"): FUTURES_READERS,
    ("GET", "/api/futures/alarms"): FUTURES_READERS,
    ("GET", "/api/futures/report"): {"exchange", "operator", "viewer", "admin"},
    ("POST", "/api/park/requests"): {"enterprise", "park-admin", "admin"},
    ("POST", "/api/park/requests/{request_id}/assignment"): {"park-admin", "admin"},
    ("POST", "/api/park/requests/{request_id}/steps"): {
        "department",
        "enterprise",
        "park-admin",
        "admin",
    },
    ("POST", "/api/park/requests/{request_id}/closing"): {"park-admin", "admin"},
    ("POST", "/api/park/requests/{request_id}/rating"): {"enterprise", "park-admin", "admin"},
    ("POST", "/api/park/import"): {"park-admin", "admin"},
    ("GET", "/api/park/requests"): PARK_READERS,
    ("GET", "/api/park/requests/{request_id}"): PARK_READERS,
    ("GET", "/api/park/report"): {"park-admin", "department", "viewer", "admin"},
    ("POST", "/api/park/tasks"): {"park-admin", "admin"},
    ("POST", "/api/park/tasks/{task_id}/done"): {"department", "enterprise", "park-admin", "admin"},
    ("POST", "/api/park/tasks/{task_id}/verification"): {"park-admin", "admin"},
    ("POST", "/api/park/meetings"): {"park-admin", "admin"},
    ("POST", "/api/park/meetings/{meeting_id}/decisions"): {"park-admin", "admin"},
    ("GET", "/api/park/meetings/{meeting_id}"): {"park-admin", "department", "viewer", "admin"},
    ("GET", "/api/park/projects"): PARK_READERS,
    ("POST", "/api/park/projects"): {"park-admin", "admin"},
    ("POST", "/api/park/projects/{project_id}/stages"): {"park-admin", "admin"},
    ("POST", "/api/billing/runs"): {"billing", "admin"},
    ("GET", "/api/billing/invoices"): BILLING_CUSTOMERS,
    ("GET", "/api/billing/invoices/{number}"): BILLING_CUSTOMERS,
    ("GET", "/api/billing/invoices/{number}/pdf"): BILLING_CUSTOMERS,
    ("GET", "/api/billing/invoices/{number}/ubl"): BILLING_CUSTOMERS,
    ("POST", "/api/billing/invoices/{draft}/issue"): {"billing", "admin"},
    ("POST", "/api/billing/invoices/{number}/credit"): {"billing", "admin"},
    ("POST", "/api/billing/payments"): {"billing", "admin"},
    ("GET", "/api/billing/boxes/{number}/charges"): BILLING_CUSTOMERS,
    ("GET", "/api/billing/receivables"): {"billing", "operator", "viewer", "admin"},
    ("GET", "/api/billing/reconcile"): {"billing", "operator", "viewer", "admin"},
}
#: A request per endpoint that the allowed roles may make.
REQUESTS = {
    "/api/edi/messages/{record_id}": "/api/edi/messages/1",
    "/api/appointments/{appointment_id}/cancel": "/api/appointments/NONE/cancel",
    "/api/appointments/{appointment_id}/change": "/api/appointments/NONE/change",
    "/api/events": "/api/events?follow=false&limit=1",
    "/api/quotes": "/api/quotes?from=CNJGJ&to=THLCH&day=2026-12-01",
    "/api/containers/{number}": "/api/containers/" + MINE.number.value,
    "/api/trains/{train_id}": "/api/trains/T100",
    "/api/trains/{train_id}/load-plan": "/api/trains/T100/load-plan",
    "/api/vessel-calls/{call_id}": "/api/vessel-calls/NONE",
    "/api/customs/declarations/{declaration_id}": "/api/customs/declarations/D1",
    "/api/customs/holds/{hold_id}/lift": "/api/customs/holds/NONE/lift",
    "/api/customs/declarations/{declaration_id}/release": "/api/customs/declarations/D1/release",
    "/api/trains/{train_id}/arrival": "/api/trains/NONE/arrival",
    "/api/trains/{train_id}/discharge": "/api/trains/NONE/discharge",
    "/api/trains/{train_id}/departure": "/api/trains/NONE/departure",
    "/api/vessel-calls/{call_id}/berthing": "/api/vessel-calls/NONE/berthing",
    "/api/vessel-calls/{call_id}/departure": "/api/vessel-calls/NONE/departure",
    "/api/shuttles/{visit}/arrival": "/api/shuttles/NONE/arrival",
    "/api/vessel-calls/{call_id}/discharges": "/api/vessel-calls/NONE/discharges",
    "/api/vessel-calls/{call_id}/loads": "/api/vessel-calls/NONE/loads",
    "/api/crane-jobs/{job_id}/set-down": "/api/crane-jobs/NONE/set-down",
    "/api/futures/deliveries/{delivery_id}": "/api/futures/deliveries/NONE",
    "/api/futures/deliveries/{delivery_id}/payments": "/api/futures/deliveries/NONE/payments",
    "/api/futures/deliveries/{delivery_id}/default": "/api/futures/deliveries/NONE/default",
    "/api/futures/deliveries/{delivery_id}/slot": "/api/futures/deliveries/NONE/slot",
    "/api/futures/deliveries/{delivery_id}/arrival": "/api/futures/deliveries/NONE/arrival",
    "/api/futures/deliveries/{delivery_id}/tally": "/api/futures/deliveries/NONE/tally",
    "/api/futures/deliveries/{delivery_id}/signature": "/api/futures/deliveries/NONE/signature",
    "/api/futures/deliveries/{delivery_id}/dispute": "/api/futures/deliveries/NONE/dispute",
    "/api/futures/slots": "/api/futures/slots?day=2026-12-01",
    "/api/futures/report": "/api/futures/report?day=2026-12-01",
    "/api/park/requests/{request_id}": "/api/park/requests/NONE",
    "/api/park/requests/{request_id}/assignment": "/api/park/requests/NONE/assignment",
    "/api/park/requests/{request_id}/steps": "/api/park/requests/NONE/steps",
    "/api/park/requests/{request_id}/closing": "/api/park/requests/NONE/closing",
    "/api/park/requests/{request_id}/rating": "/api/park/requests/NONE/rating",
    "/api/park/report": "/api/park/report?month=2026-11",
    "/api/park/tasks/{task_id}/done": "/api/park/tasks/NONE/done",
    "/api/park/tasks/{task_id}/verification": "/api/park/tasks/NONE/verification",
    "/api/park/meetings/{meeting_id}/decisions": "/api/park/meetings/NONE/decisions",
    "/api/park/meetings/{meeting_id}": "/api/park/meetings/NONE",
    "/api/park/projects/{project_id}/stages": "/api/park/projects/NONE/stages",
    "/api/billing/invoices/{number}": "/api/billing/invoices/NONE",
    "/api/billing/invoices/{number}/pdf": "/api/billing/invoices/NONE/pdf",
    "/api/billing/invoices/{number}/ubl": "/api/billing/invoices/NONE/ubl",
    "/api/billing/invoices/{draft}/issue": "/api/billing/invoices/999/issue",
    "/api/billing/invoices/{number}/credit": "/api/billing/invoices/NONE/credit",
    "/api/billing/boxes/{number}/charges": "/api/billing/boxes/"
    + MINE.number.value
    + "/charges?until=2026-12-01",
}


def test_every_endpoint_declares_its_roles_and_the_table_covers_them(api: Api) -> None:
    declared = {}
    for route in (route for router in ROUTERS for route in router.routes):
        if not isinstance(route, APIRoute):
            continue
        roles = [
            getattr(dependency.call, "roles", None) for dependency in route.dependant.dependencies
        ]
        for method in route.methods:
            declared[(method, route.path)] = set(next((r for r in roles if r), ()))
    declared.pop(("GET", "/api/health"))
    declared.pop(("GET", "/metrics"))  # Prometheus scrapes without a token (no box, no party)
    assert declared == ALLOWED


@pytest.mark.parametrize(("method", "path"), sorted(ALLOWED))
def test_each_role_is_let_in_or_refused_as_the_table_says(api: Api, method: str, path: str) -> None:
    url = REQUESTS.get(path, path)
    body: dict[str, str] | None = {
        "/api/customs/holds": {"box": MINE.number.value, "hold": "H1"},
        "/api/me/language": {"language": "zh"},
    }.get(path)
    for role in ROLES:
        if method == "PUT":
            response = api.client.put(url, headers=api._auth(role), json=body)
        elif method == "GET":
            response = api.get(url, role)
        elif method == "POST" and path == "/api/edi/messages":
            response = api.post(url, role, text="")
        else:
            response = api.post(url, role, json=body)
        status = response.status_code
        if role in ALLOWED[(method, path)]:
            assert status != 403 and status != 401, (role, url, response.json())
            assert status < 500
        else:
            assert status == 403, (role, url, status)
            assert response.json()["error"]["code"] == "forbidden"
    anonymous = api.client.request(method, url)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorised"
    wrong = api.client.request(method, url, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_a_shipper_sees_only_its_own_boxes(api: Api) -> None:
    listed = api.get("/api/containers", "shipper").json()
    assert [row["number"] for row in listed] == [MINE.number.value]
    everyone = api.get("/api/containers", "viewer").json()
    assert {row["number"] for row in everyone} == {MINE.number.value, THEIRS.number.value}
    other = api.get(f"/api/containers/{THEIRS.number.value}", "shipper")
    assert other.status_code == 404
    assert THEIRS.number.value in other.json()["error"]["message"]
    assert "COS" not in str(other.json())
    mine = api.get(f"/api/containers/{MINE.number.value}", "shipper").json()
    assert mine["place"] == "yard:A-03-01-1" and mine["history"]


def test_customs_holds_and_releases_through_the_bus(api: Api) -> None:
    number = MINE.number.value
    held = api.post("/api/customs/holds", "customs", json={"box": number, "hold": "H7"})
    assert held.status_code == 201 and held.json()["status"] == "held"
    again = api.post("/api/customs/holds", "customs", json={"box": number, "hold": "H7"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "customs_refused"
    lifted = api.post("/api/customs/holds/H7/lift", "customs", json={"reason": "checked"})
    assert lifted.status_code == 200
    released = api.post("/api/customs/declarations/D1/release", "customs")
    assert released.json()["state"] == "released"
    record = api.get(f"/api/containers/{number}", "customs").json()
    assert record["customs_record"]["status"] == "released"


def test_bad_input_is_a_json_4xx(api: Api) -> None:
    bad_number = api.get("/api/containers/CSQU3054384", "viewer")
    assert bad_number.status_code == 400
    assert "check digit" in bad_number.json()["error"]["message"]
    bad_state = api.get("/api/containers?state=lost", "viewer")
    assert bad_state.status_code == 422
    assert bad_state.json()["error"]["code"] == "invalid_request"
    no_call = api.get("/api/vessel-calls/NONE", "viewer")
    assert no_call.status_code == 404
    assert api.get("/api/trains/NONE", "viewer").status_code == 404
    garbage = api.post("/api/edi/messages", "operator", text="UNB+x'")
    assert garbage.status_code == 200
    assert garbage.json()["status"] == "quarantined"
    assert api.client.get("/api/nowhere").json()["error"]["code"] == "not_found"


def test_a_shipper_asks_for_a_quote_and_gets_the_pareto_options_with_bills(api: Api) -> None:
    query = "from=CNJGJ&to=THLCH&container=40HC&mass=20t&day=2026-12-01"
    answer = api.get(f"/api/quotes?{query}", "shipper")
    assert answer.status_code == 200
    options = answer.json()["options"]
    assert options and all(option["legs"] and option["cost_lines"] for option in options)
    unknown = api.get("/api/quotes?from=CNJGJ&to=XXABC", "shipper")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "bad_request"


def _stream(api: Api, role: str, query: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/events?{query}", role)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = [block for block in response.text.split("\n\n") if block.startswith("id: ")]
    return [json.loads(frame.split("data: ", 1)[1]) for frame in frames]


def test_the_event_stream_shows_each_caller_what_it_may_see(api: Api) -> None:
    everything = _stream(api, "viewer", "follow=false")
    assert {e["type"] for e in everything} >= {"ContainerAnnounced", "ContainerMoved"}
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids)
    boxes = {e["box"] for e in everything if e["box"]}
    assert boxes == {MINE.number.value, THEIRS.number.value}
    mine = _stream(api, "shipper", "follow=false")
    assert mine and {e["box"] for e in mine} == {MINE.number.value}
    later = _stream(api, "viewer", f"follow=false&after={ids[-3]}")
    assert [e["id"] for e in later] == ids[-2:], "a client that reconnects misses nothing"
    assert len(_stream(api, "viewer", "follow=false&limit=2")) == 2


def test_a_shipper_books_moves_and_cancels_only_for_its_own_boxes(api: Api) -> None:
    booking = {"plate": "渝A12345", "kind": "collect", "at": "2026-12-01T15:10:00+08:00"}
    theirs = {**booking, "appointment": "A2", "box": THEIRS.number.value}
    refused = api.post("/api/appointments", "shipper", json=theirs)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    mine = {**booking, "appointment": "A1", "box": MINE.number.value}
    booked = api.post("/api/appointments", "shipper", json=mine)
    assert booked.status_code == 201 and booked.json()["window"][0].startswith("2026-12-01T15:00")
    assert api.post("/api/appointments", "operator", json=theirs).status_code == 201
    listed = api.get("/api/appointments?day=2026-12-01", "shipper").json()
    assert [a["appointment"] for a in listed] == ["A1"]
    assert api.post("/api/appointments/A2/cancel", "shipper").status_code == 404
    later = {"at": "2026-12-01T17:40:00+08:00"}
    assert api.post("/api/appointments/A2/change", "shipper", json=later).status_code == 404
    moved = api.post("/api/appointments/A1/change", "shipper", json=later).json()
    assert moved["window"][0].startswith("2026-12-01T17:30") and moved["changes"] == 1
    cancelled = api.post("/api/appointments/A1/cancel", "shipper", json={"reason": "no driver"})
    assert cancelled.json()["state"] == "cancelled"


def test_the_edi_record_lists_and_downloads_interchanges(api: Api) -> None:
    upload = api.post("/api/edi/messages", "operator", text="UNB+x'")
    record = upload.json()["record"]
    (listed, *_rest) = api.get("/api/edi/messages?direction=in", "operator").json()
    assert listed["id"] == record and listed["status"] == "quarantined" and listed["report"]
    raw = api.get(f"/api/edi/messages/{record}", "admin")
    assert raw.status_code == 200 and raw.text == "UNB+x'"
    assert "attachment" in raw.headers["content-disposition"]
    assert api.get("/api/edi/messages/999", "admin").status_code == 404


def test_a_train_load_plan_shows_each_wagon_and_where_its_boxes_stand(api: Api) -> None:
    plan = api.get("/api/trains/T100/load-plan", "viewer").json()
    assert [wagon["wagon"] for wagon in plan["wagons"]] == ["01", "02"]
    # MINE went to the yard (no crane job: moved by hand); THEIRS is still on wagon 02
    assert plan["wagons"][0]["spots"] == []
    assert plan["wagons"][1]["spots"] == [
        {"spot": "A", "box": THEIRS.number.value, "status": "on_wagon"}
    ]
    assert plan["progress"] == {"on_wagon": 1}
    missing = api.get("/api/trains/NOPE/load-plan", "viewer")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_kpis_and_corridor_statistics_answer_for_a_day_and_a_year(api: Api) -> None:
    figures = api.get("/api/kpis?day=2026-12-01", "operator").json()
    assert figures["day"] == "2026-12-01"
    assert [crane["crane"] for crane in figures["cranes"]["by_crane"]] == sorted(
        api.hub.site.cranes
    )
    blocks = {block["block"]: block for block in figures["occupancy"]}
    assert blocks["A"]["teu"] == 1 and blocks["B"]["teu"] == 0
    year = api.get("/api/corridor/statistics?year=2026", "viewer").json()
    assert year["year"] == 2026 and year["trains"] == 0
    assert api.get("/api/corridor/statistics?year=1900", "viewer").status_code == 422


def test_a_user_chooses_the_language_of_its_console(api: Api) -> None:
    assert api.get("/api/me", "shipper").json()["language"] == "en"
    chosen = api.client.put(
        "/api/me/language", headers=api._auth("shipper"), json={"language": "zh"}
    )
    assert chosen.status_code == 200
    assert api.get("/api/me", "shipper").json()["language"] == "zh"
    refused = api.client.put(
        "/api/me/language", headers=api._auth("shipper"), json={"language": "fr"}
    )
    assert refused.status_code == 422
    assert api.get("/api/me", "shipper").json()["language"] == "zh"


def test_the_train_services_come_with_their_next_departures(api: Api) -> None:
    services = api.get("/api/train-services?count=2", "shipper").json()
    assert {s["id"] for s in services} == set(api.hub.site.train_services)
    assert all(len(s["next"]) == 2 and s["route"] for s in services)


def test_an_expired_or_revoked_token_opens_nothing(api: Api) -> None:
    from datetime import UTC, datetime, timedelta

    from hubport.domain.access import new_token, token_digest
    from hubport.services.access_commands import AddUser, IssueToken, RevokeToken

    token, past = new_token(), datetime.now(UTC) - timedelta(seconds=1)
    api.hub.bus.handle(AddUser("old", "viewer", token_digest(token), token_expires_at=past))
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/me", headers=headers).status_code == 401
    fresh = new_token()
    later = datetime.now(UTC) + timedelta(days=1)
    api.hub.bus.handle(IssueToken("old", token_digest(fresh), later))
    headers = {"Authorization": f"Bearer {fresh}"}
    assert api.client.get("/api/me", headers=headers).status_code == 200
    api.hub.bus.handle(RevokeToken("old", datetime.now(UTC), "left"))
    assert api.client.get("/api/me", headers=headers).status_code == 401
