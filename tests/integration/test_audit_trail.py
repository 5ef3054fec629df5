"""Every command has an author: the account, its role and the channel are recorded with
the events it causes, and the audit trail shows who did what, when, and which fields
changed."""

from __future__ import annotations

from tests.integration.app_hub import MINE, THEIRS, Api
from tests.integration.test_console import logged_in
from tests.integration.test_edi_identity import _hold, _office
from tests.unit.adapters.edi.messages import NUMBERS, coprar, line


def _trail(api: Api, query: str) -> list[dict[str, object]]:
    answer = api.get(f"/api/audit?{query}", "admin")
    assert answer.status_code == 200, answer.text
    trail: list[dict[str, object]] = answer.json()
    return trail


def test_each_write_is_recorded_with_its_author_role_and_channel(api: Api) -> None:
    held = api.post("/api/customs/holds", "customs", json={"box": str(THEIRS.number), "hold": "H1"})
    assert held.status_code in (200, 201)
    desk = logged_in(api, "customs")
    desk.post("/console/customs/holds/H1/lift", data={"nonce": "n1"})
    _office(api)
    api.post("/api/edi/messages", "customs", text=_hold(str(MINE.number), "R1"))
    trail = _trail(api, "user=customs-user&limit=50")
    seen = {(e["event"], e["channel"]) for e in trail}
    assert {("HoldChanged", "api"), ("HoldChanged", "console"), ("HoldChanged", "edi")} <= seen
    assert all(e["author"] == "customs-user" and e["role"] == "customs" for e in trail)
    # the fixture's own commands were sent by no one in particular: the process's account
    assert {e["channel"] for e in _trail(api, "user=hubport")} <= {"runtime"}


def test_the_trail_of_a_box_shows_the_fields_a_change_made(api: Api) -> None:
    first = coprar(line(NUMBERS[0], mass=18_000))
    change = coprar(line(NUMBERS[0], mass=21_500), function="5", reference="101")
    for text in (first, change):
        receipt = api.post("/api/edi/messages", "operator", text=text).json()
        assert receipt["status"] == "applied", receipt
    updates = [e for e in _trail(api, f"box={NUMBERS[0]}") if e["event"] == "ContainerUpdated"]
    (update,) = updates
    assert update["author"] == "operator-user" and update["channel"] == "edi"
    assert update["role"] == "operator"
    assert update["changes"] == {"gross_mass_kg": [18_000, 21_500]}


def test_the_trail_reads_from_a_time_and_only_an_admin_may_read_it(api: Api) -> None:
    assert api.get("/api/audit", "operator").status_code == 403
    later = _trail(api, "since=2099-01-01T00:00:00%2B08:00")
    assert later == []
    assert api.get("/api/audit?since=9999-01-01T00:00", "admin").status_code == 400
