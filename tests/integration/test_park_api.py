"""The park's projects, tasks and meetings on the API: the office registers a project
and records its stages; an enterprise sees only its own; a task closes by four eyes at a
joint meeting, whose minutes list it."""

from __future__ import annotations

from tests.integration.app_hub import Api

PROJECT = {
    "project": "P200",
    "name": "Alloy rolling mill",
    "investor": "Acme",
    "sector": "advanced_materials",
    "investment_cny": "1200000000",
    "floor_area_m2": 80000,
    "annual_output_cny": "2000000000",
    "enterprise": "E2",
    "stages": {
        "signed": {"planned": "2026-02-01", "actual": "2026-02-01"},
        "land_supply": {"planned": "2026-05-01"},
        "approvals": {"planned": "2026-08-01"},
    },
}


def test_the_office_registers_a_project_and_records_its_stages(api: Api) -> None:
    assert api.post("/api/park/projects", "park-admin", json=PROJECT).status_code == 201
    refused = api.post(
        "/api/park/projects/P200/stages",
        "park-admin",
        json={"stage": "approvals", "actual": "2026-07-01"},
    )
    assert (
        refused.status_code == 409
        and "land_supply is not reached yet" in refused.json()["error"]["message"]
    )
    reached = api.post(
        "/api/park/projects/P200/stages",
        "park-admin",
        json={"stage": "land_supply", "actual": "2026-05-10"},
    )
    assert reached.json() == {"project": "P200", "stage": "land_supply"}
    assert api.post("/api/park/projects", "enterprise", json=PROJECT).status_code == 403
    mine = [p["project"] for p in api.get("/api/park/projects", "enterprise").json()]
    assert mine == ["P001"]  # E1's, not E2's P200
    everyone = {p["project"] for p in api.get("/api/park/projects", "park-admin").json()}
    assert everyone == {"P001", "P200"}


def test_a_task_closes_by_four_eyes_at_a_joint_meeting_on_the_api(api: Api) -> None:
    task = {
        "task": "T9",
        "title": "grid connection",
        "owner": "department-user",
        "due": "2026-12-03",
    }
    assert api.post("/api/park/tasks", "park-admin", json=task).status_code == 201
    assert (
        api.post("/api/park/tasks/T9/done", "department", json={"note": "connected"}).status_code
        == 200
    )
    meeting = {
        "meeting": "JM-9",
        "kind": "joint",
        "held_on": "2026-12-04",
        "attendees": ["park-admin-user"],
    }
    held = api.post("/api/park/meetings", "park-admin", json=meeting).json()
    assert held["agenda"] == ["task T9"]
    wrong_day = api.post(
        "/api/park/meetings",
        "park-admin",
        json={**meeting, "meeting": "JM-10", "held_on": "2026-12-03"},
    )
    assert (
        wrong_day.status_code == 409 and "held on a Friday" in wrong_day.json()["error"]["message"]
    )
    verified = api.post(
        "/api/park/tasks/T9/verification",
        "park-admin",
        json={"meeting": "JM-9", "evidence": "sheet 117"},
    )
    assert verified.json() == {"task": "T9", "state": "verified", "verified_by": "park-admin-user"}
    minutes = api.get("/api/park/meetings/JM-9", "park-admin").json()["minutes"]
    assert "task T9: grid connection (owner department-user, verified by park-admin-user" in minutes
