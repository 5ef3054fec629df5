"""Log futures from outside, in separate processes: the command-line contracts of
``hubport futures volume`` and ``tally``, and a whole delivery through the served API
(the exchange's match, the seller's slot, the arrival, a tally CSV that passes, both
signatures, the daily report), a failed inspection that opens a dispute, and the store
sound afterwards."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hubport.domain.hub_time import HUB_TIME
from tests.e2e.test_api_serve import _free_port
from tests.e2e.test_cli import HUBPORT, run


@pytest.mark.parametrize(
    ("length", "diameter", "volume"),
    [
        ("2", "4", 0.0041),
        ("4.0", "20", 0.16),
        ("1.0", "40", 0.131),
        ("2.8", "30", 0.23),
        ("12.0", "30", 1.244),
    ],
)
def test_futures_volume_prints_the_table_value(
    env: dict[str, str], length: str, diameter: str, volume: float
) -> None:
    answer = run(env, "futures", "volume", "--length", length, "--diameter", diameter, "--json")
    assert json.loads(answer.stdout) == {"volume_m3": volume}


def test_futures_tally_prints_pieces_and_volume(env: dict[str, str], tmp_path: Path) -> None:
    tally = tmp_path / "tally.csv"
    tally.write_text(
        "species,length_m,diameter_cm\nradiata pine,4.0,20\nradiata pine,3.8,30\n辐射松,6.0,24\n"
    )
    answer = json.loads(run(env, "futures", "tally", str(tally), "--json").stdout)
    assert (answer["pieces"], answer["volume_m3"]) == (3, 0.85)


def test_bad_measures_are_refused_by_name(env: dict[str, str], tmp_path: Path) -> None:
    refused = run(env, "futures", "volume", "--length", "4.0", "--diameter", "21", check=False)
    assert refused.returncode == 2 and "diameter 21 cm" in refused.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text("species,length_m,diameter_cm\nradiata pine,4.0,20\nradiata pine,4.1,20\n")
    refused = run(env, "futures", "tally", str(broken), "--json", check=False)
    assert refused.returncode == 2 and "row 3: length 4.1" in refused.stderr
    assert refused.stdout == ""


class Client:
    def __init__(self, base: str, tokens: dict[str, str]):
        self.base, self.tokens = base, tokens

    def call(
        self, method: str, path: str, who: str, body: Any = None, text: str | None = None
    ) -> tuple[int, Any]:
        data, kind = None, "application/json"
        if text is not None:
            data, kind = text.encode(), "text/csv"
        elif body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.tokens[who]}")
        request.add_header("Content-Type", kind)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                raw = response.read().decode()
                is_json = response.headers["Content-Type"].startswith("application/json")
                return response.status, json.loads(raw) if is_json else raw
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    server = subprocess.Popen(
        [*HUBPORT, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/api"
    for _attempt in range(150):
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2):
                return server, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.terminate()
    raise AssertionError(f"hubport serve did not answer: {server.communicate()}")


def test_a_delivery_runs_through_the_api_from_match_to_report(env: dict[str, str]) -> None:
    run(env, "init")
    tokens = {}
    for name, role, party in (
        ("dce", "exchange", None),
        ("buyer", "member", "M0101"),
        ("seller", "member", "M0202"),
        ("other", "member", "M0999"),
        ("li", "inspector", None),
        ("ops", "operator", None),
    ):
        args = ["user", "add", name, "--role", role, "--json"]
        added = run(env, *args, *(["--party", party] if party else []))
        tokens[name] = json.loads(added.stdout)["token"]
    server, base = _serve(env)
    api = Client(base + "/futures", tokens)
    today = datetime.now(HUB_TIME).date()
    tomorrow = today + timedelta(days=1)
    try:
        match = {
            "delivery": "DCE-1",
            "contract": "LG2612",
            "lots": 1,
            "buyer": "M0101",
            "seller": "M0202",
            "matched_on": today.isoformat(),
            "settlement_day": today.isoformat(),
            "price_cny_per_m3": "810",
        }
        assert api.call("POST", "/deliveries", "dce", match)[0] == 201
        assert api.call("POST", "/deliveries", "dce", match)[0] == 201  # a repeat: the same
        assert api.call("POST", "/deliveries", "ops", match)[0] == 403
        slot = {
            "track": "LH1",
            "spot": "A",
            "start": f"{tomorrow}T09:00",
            "end": f"{tomorrow}T12:00",
            "loads": [
                {"wagon_type": "C70", "volume_m3": "45"},
                {"wagon_type": "C70", "volume_m3": "45"},
            ],
        }
        assert api.call("POST", "/deliveries/DCE-1/slot", "buyer", slot)[0] == 403  # not the seller
        status, booked = api.call("POST", "/deliveries/DCE-1/slot", "seller", slot)
        assert (status, booked["state"]) == (200, "booked"), booked
        status, arrived = api.call(
            "POST", "/deliveries/DCE-1/arrival", "ops", {"carriers": ["C70-4471", "C70-4472"]}
        )
        assert (status, arrived["state"]) == (200, "arrived"), arrived
        tally = "species,length_m,diameter_cm\n" + "radiata pine,4.0,30\n" * 262
        status, inspected = api.call(
            "POST", "/deliveries/DCE-1/tally?inspector=Li%20Wei", "li", text=tally
        )
        assert (status, inspected["passed"], inspected["accepted_m3"]) == (200, True, "90.128"), (
            inspected
        )
        assert api.call("POST", "/deliveries/DCE-1/signature", "seller")[1]["state"] == "inspected"
        status, signed = api.call("POST", "/deliveries/DCE-1/signature", "buyer")
        assert signed["handover"]["tally_sha256"] == inspected["sha256"]
        assert signed["handover"]["volume_m3"] == "90.128"
        status, record = api.call("GET", "/deliveries/DCE-1", "buyer")
        assert record["state"] == "handed_over"
        assert [s["role"] for s in record["steps"]][:4] == [
            "exchange",
            "member",
            "operator",
            "inspector",
        ]
        status, report = api.call("GET", f"/report?day={today}", "dce")
        assert report["handed_over_m3"] == "90.128" and report["lines"][0]["state"] == "handed_over"
        status, csv_text = api.call("GET", f"/report?day={today}&format=csv", "dce")
        assert csv_text.splitlines()[0].startswith("day,delivery,contract")
        assert "DCE-1,LG2612" in csv_text

        # a short tally fails the inspection and opens a dispute
        match = {**match, "delivery": "DCE-2"}
        api.call("POST", "/deliveries", "dce", match)
        api.call("POST", "/deliveries/DCE-2/slot", "seller", {**slot, "spot": "B"})
        api.call("POST", "/deliveries/DCE-2/arrival", "ops", {"carriers": ["C70-5001"]})
        short = "species,length_m,diameter_cm\n" + "radiata pine,4.0,30\n" * 200
        status, failed = api.call("POST", "/deliveries/DCE-2/tally?inspector=Li", "li", text=short)
        assert (status, failed["passed"], failed["state"]) == (200, False, "disputed")
        assert api.call("POST", "/deliveries/DCE-2/signature", "buyer")[0] == 409
        assert [d["delivery"] for d in api.call("GET", "/deliveries", "buyer")[1]] == [
            "DCE-1",
            "DCE-2",
        ]
        assert api.call("GET", "/deliveries/DCE-1", "seller")[0] == 200
        assert api.call("GET", "/deliveries/DCE-1", "other")[0] == 404  # not its delivery
        assert api.call("GET", "/deliveries", "other")[1] == []
    finally:
        server.terminate()
        server.communicate(timeout=10)
    assert run(env, "check").returncode == 0
