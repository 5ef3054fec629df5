"""The park from outside, in separate processes: ``hubport park import`` and ``report``
as their contracts say, a broken history refused by name with nothing imported, and a
request's whole life through the served API, from intake to rating."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run
from tests.e2e.test_futures import Client, _serve

HISTORY = {
    "requests": [
        {
            "id": "R1",
            "enterprise": "重庆某装备公司",
            "received": "2026-11-02T09:00:00+08:00",
            "deadline": "2026-11-12T17:00:00+08:00",
            "events": [
                {"at": "2026-11-02T10:00:00+08:00", "state": "assigned", "by": "desk"},
                {"at": "2026-11-02T15:00:00+08:00", "state": "claimed", "by": "planning"},
                {"at": "2026-11-05T10:00:00+08:00", "state": "in_progress", "by": "planning"},
                {"at": "2026-11-08T10:00:00+08:00", "state": "answered", "by": "planning"},
                {"at": "2026-11-10T10:00:00+08:00", "state": "closed", "by": "joint meeting"},
            ],
            "rating": 5,
        },
        {
            "id": "R2",
            "enterprise": "E2",
            "received": "2026-11-03T09:00:00+08:00",
            "deadline": "2026-11-06T17:00:00+08:00",
            "events": [
                {"at": "2026-11-03T10:00:00+08:00", "state": "assigned", "by": "desk"},
                {"at": "2026-11-03T11:00:00+08:00", "state": "claimed", "by": "land"},
                {"at": "2026-11-07T10:00:00+08:00", "state": "answered", "by": "land"},
                {"at": "2026-11-08T10:00:00+08:00", "state": "reopened", "by": "E2"},
                {"at": "2026-11-09T10:00:00+08:00", "state": "answered", "by": "land"},
                {"at": "2026-11-13T10:00:00+08:00", "state": "closed", "by": "joint meeting"},
            ],
            "rating": 3,
        },
        {
            "id": "R3",
            "enterprise": "E3",
            "received": "2026-11-04T09:00:00+08:00",
            "deadline": "2026-11-20T17:00:00+08:00",
            "events": [
                {"at": "2026-11-04T10:00:00+08:00", "state": "assigned", "by": "desk"},
                {"at": "2026-11-04T12:00:00+08:00", "state": "returned", "by": "tax"},
            ],
            "rating": None,
        },
        {
            "id": "R4",
            "enterprise": "E4",
            "received": "2026-11-20T09:00:00+08:00",
            "deadline": "2026-12-05T17:00:00+08:00",
            "events": [{"at": "2026-11-20T10:00:00+08:00", "state": "assigned", "by": "desk"}],
            "rating": None,
        },
        {
            "id": "R5",
            "enterprise": "E5",
            "received": "2026-10-30T09:00:00+08:00",
            "deadline": "2026-11-05T17:00:00+08:00",
            "events": [],
            "rating": None,
        },
    ]
}


def test_park_import_and_report_keep_their_contracts(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    broken = tmp_path / "broken.json"
    bad = json.loads(json.dumps(HISTORY))
    bad["requests"][1]["events"][2]["state"] = "closed"  # claimed -> closed skips the answer
    broken.write_text(json.dumps(bad, ensure_ascii=False))
    refused = run(env, "park", "import", str(broken), check=False)
    assert refused.returncode == 2
    assert "request 'R2', event 3: a request claimed cannot become closed" in refused.stderr
    empty = json.loads(run(env, "park", "report", "--month", "2026-11", "--json").stdout)
    assert empty["completion_rate"] == 0.0  # nothing was imported
    good = tmp_path / "history.json"
    good.write_text(json.dumps(HISTORY, ensure_ascii=False))
    assert json.loads(run(env, "park", "import", str(good), "--json").stdout)["imported"] == 5
    again = json.loads(run(env, "park", "import", str(good), "--json").stdout)
    assert (again["imported"], again["already_there"]) == (0, 5)
    report = json.loads(
        run(
            env, "park", "report", "--month", "2026-11", "--json", "--out", str(tmp_path / "r")
        ).stdout
    )
    # received in November: R1-R4; closed R1, R2; returned R3; R2 closed late and reopened
    assert report["completion_rate"] == round(2 / 3, 4)
    assert report["on_time_rate"] == 0.5
    assert report["satisfaction"] == 0.5
    assert report["reopen_rate"] == 0.25
    files = [Path(f) for f in report["files"]]
    assert {f.suffix for f in files} == {".md", ".pdf", ".png"}
    assert all(f.stat().st_size > (200 if f.suffix == ".md" else 5000) for f in files)
    from pypdf import PdfReader

    text = "".join(
        page.extract_text() for page in PdfReader(str(tmp_path / "r" / "park-2026-11.pdf")).pages
    )
    assert "completion rate" in text and "66.7%" in text


def test_a_request_s_life_through_the_api_from_intake_to_rating(env: dict[str, str]) -> None:
    run(env, "init")
    tokens = {}
    for name, role, party in (
        ("office", "park-admin", None),
        ("planning", "department", "planning"),
        ("tax", "department", "tax"),
        ("acme", "enterprise", "ACME"),
        ("other", "enterprise", "OTHER"),
    ):
        extra = ["--party", party] if party else []
        added = run(env, "user", "add", name, "--role", role, "--json", *extra)
        tokens[name] = json.loads(added.stdout)["token"]
    server, base = _serve(env)
    api = Client(base + "/park", tokens)
    try:
        intake = {
            "request": "Q1",
            "enterprise": "ACME",
            "channel": "online",
            "category": "power",
            "summary": "power supply to the new plant",
        }
        assert api.call("POST", "/requests", "acme", intake)[0] == 201
        assert api.call("POST", "/requests", "other", {**intake, "request": "Q2"})[0] == 403
        assert api.call("POST", "/requests/Q1/assignment", "office", {"lead": "planning"})[0] == 200
        assert api.call("GET", "/requests/Q1", "tax")[0] == 404  # not its department's
        assert api.call("GET", "/requests/Q1", "other")[0] == 404  # not its enterprise's
        assert api.call("GET", "/requests", "other")[1] == []
        for state in ("claimed", "in_progress", "answered"):
            status, moved = api.call(
                "POST", "/requests/Q1/steps", "planning", {"state": state, "note": "done"}
            )
            assert (status, moved["state"]) == (200, state), moved
        status, _ = api.call(
            "POST", "/requests/Q1/closing", "office", {"reason": "x", "evidence": ""}
        )
        assert status == 422  # the evidence is required
        status, closed = api.call(
            "POST",
            "/requests/Q1/closing",
            "office",
            {"reason": "power on", "evidence": "minutes JM-12"},
        )
        assert (status, closed["state"]) == (200, "closed")
        assert api.call("POST", "/requests/Q1/rating", "other", {"score": 1})[0] == 404
        status, rated = api.call("POST", "/requests/Q1/rating", "acme", {"score": 5})
        assert (status, rated["rating"]) == (200, 5)
        status, record = api.call("GET", "/requests/Q1", "acme")
        assert [s["state"] for s in record["steps"]] == [
            "assigned",
            "claimed",
            "in_progress",
            "answered",
            "closed",
        ]
        assert [s["role"] for s in record["steps"]] == [
            "park-admin",
            "department",
            "department",
            "department",
            "park-admin",
        ]
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_park_logistics_bills_a_month_from_the_corridor_quote(env: dict[str, str]) -> None:
    answer = json.loads(
        run(
            env,
            "park",
            "logistics",
            "--from",
            "LAVTE",
            "--tonnes",
            "3000",
            "--month",
            "2026-11",
            "--json",
        ).stdout
    )
    lines = {line["line"]: line["amount_cny"] for line in answer["lines"]}
    assert answer["boxes"] == 108  # 2,700 t by rail in 25 t boxes
    assert lines["shared warehousing saving"] == "-120000.00"
    assert sum(float(v) for v in lines.values()) == float(answer["total_cny"])
    refused = run(env, "park", "logistics", "--from", "XXXXX", "--tonnes", "3000", check=False)
    assert refused.returncode == 2 and "unknown place 'XXXXX'" in refused.stderr
