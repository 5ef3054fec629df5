"""The command line as a user runs it: separate processes on a real store."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hubport.domain.hub_time import HUB_TIME
from tests.integration.conftest import postgres_schema_url

HUBPORT = [sys.executable, "-m", "hubport.entrypoints"]


def run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*HUBPORT, *args], env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"hubport {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def postgres_env(env: dict[str, str]) -> Iterator[dict[str, str]]:
    for url in postgres_schema_url():
        yield {**env, "HUBPORT_DATABASE_URL": url}


def test_a_day_at_the_hub_ends_with_kpis_and_a_sound_store(after_a_day: dict[str, str]) -> None:
    env = after_a_day
    picture = Path(env["HUBPORT_DATA_DIR"]) / "day-001.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 20_000
    assert "sound" in run(env, "check").stdout
    # the day ran on the crane floor: every crane took a fair share of its crane jobs
    status = run(env, "cranes", "status").stdout
    done = [int(n) for n in re.findall(r"│ ARMG\d │ idle\s*│[^│]*│[^│]*│ (\d+)", status)]
    assert len(done) == 4 and sum(done) > 600, status  # 4 trains in, 5 out, 300 trucks
    assert min(done) > sum(done) / 8, f"every crane takes a fair share of the work: {done}"
    second = run(env, "demo", "--hours", "3").stdout  # the next day's first hours
    assert "Day 2" in second and "KPIs of the day" in second and "moves per crane-hour" in second
    for train in ("X002I1", "X002I4", "X002O1", "X002O5"):
        assert f"bound {train}" in second
    assert "sound" in run(env, "check").stdout


def test_demo_on_postgresql(postgres_env: dict[str, str]) -> None:
    run(postgres_env, "init")
    assert "KPIs of the day" in run(postgres_env, "demo", "--hours", "4").stdout
    assert "sound" in run(postgres_env, "check").stdout


def test_yard_and_container_views_show_the_boxes(after_a_day: dict[str, str]) -> None:
    env = after_a_day
    grid = run(env, "yard", "show", "A").stdout
    assert "block A" in grid and "row 08" in grid
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{env['HUBPORT_DATA_DIR']}/hubport.db")
    with engine.connect() as connection:
        number, place = connection.execute(
            text("SELECT number, place FROM containers WHERE state = 'in_hub' LIMIT 1")
        ).one()
    engine.dispose()
    card = run(env, "container", "show", number).stdout
    assert number in card and place in card
    assert "ContainerAnnounced" in card and "ContainerMoved" in card
    bay = int(place.split("-")[1])
    if bay % 2:
        section = run(env, "yard", "show", place.split(":")[1].split("-")[0], "--bay", str(bay))
        assert number in section.stdout


def test_bad_container_number_is_named_with_the_expected_check_digit(env: dict[str, str]) -> None:
    run(env, "init")
    result = run(env, "container", "show", "CSQU3054384", check=False)
    assert result.returncode == 2
    assert "CSQU3054384" in result.stderr and "expected 3" in result.stderr


def test_commands_before_init_say_to_run_init(env: dict[str, str]) -> None:
    result = run(env, "check", check=False)
    assert result.returncode == 2 and "hubport init" in result.stderr


def test_check_reports_a_tampered_store(after_a_day: dict[str, str]) -> None:
    env = after_a_day
    assert "sound" in run(env, "check").stdout
    import sqlite3

    with sqlite3.connect(f"{env['HUBPORT_DATA_DIR']}/hubport.db") as connection:
        connection.execute(
            "UPDATE containers SET gross_mass_kg = gross_mass_kg + 1 WHERE number = "
            "(SELECT number FROM containers WHERE state = 'in_hub' LIMIT 1)"
        )
    result = run(env, "check", check=False)
    assert result.returncode == 1 and "violation" in result.stderr


def test_killed_demo_leaves_a_sound_store_and_resumes(env: dict[str, str]) -> None:
    run(env, "init")
    process = subprocess.Popen(
        [*HUBPORT, "demo"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    database = Path(env["HUBPORT_DATA_DIR"]) / "hubport.db"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if _events(database) > 4000:  # the morning's trains under the cranes
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = _events(database)
    assert process.returncode == -signal.SIGKILL, "the demo finished before it could be killed"
    assert "sound" in run(env, "check").stdout
    resumed = run(env, "demo").stdout
    assert "resuming" in resumed and "Day 1" in resumed
    assert "sound" in run(env, "check").stdout
    assert _events(database) > killed_at
    # nothing lost, nothing twice: every box of the day's inbound trains came off once,
    # and every train of the day left
    from hubport.entrypoints.demo import FIRST_DAY
    from hubport.twin.traffic import generate_day

    traffic = generate_day(1, int(env.get("HUBPORT_SEED", "2024")), FIRST_DAY)
    inbound = {
        container.number.value for train in traffic.inbound for container, _ in train.consist
    }
    import sqlite3

    with sqlite3.connect(database) as connection:
        discharged = [
            number
            for (number,) in connection.execute(
                "SELECT container_number FROM crane_jobs "
                "WHERE reason = 'discharge' AND state = 'done'"
            )
        ]
        departed = connection.execute(
            "SELECT count(*) FROM trains WHERE departed_at IS NOT NULL"
        ).fetchone()[0]
    assert sorted(discharged) == sorted(inbound)
    assert departed == len(traffic.inbound) + len(traffic.outbound)


def _events(database: Path) -> int:
    import sqlite3

    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM events").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_quote_lists_pareto_options_and_json(env: dict[str, str]) -> None:
    args = [
        "quote",
        "--from",
        "CNJGJ",
        "--to",
        "THLCH",
        "--container",
        "40HC",
        "--mass",
        "20t",
        "--date",
        "2026-12-01",
        "--window",
        "7d",
    ]
    text = run(env, *args).stdout
    assert "fastest" in text and "cheapest" in text and "landing bill" in text
    import json

    payload = json.loads(run(env, *args, "--json").stdout)
    assert payload["container"] == "45G1" and payload["options"]
    assert all(option["pareto"] and option["cost_lines"] for option in payload["options"])
    refused = run(env, "quote", "--from", "CNJGJ", "--to", "BANGKOK", check=False)
    assert refused.returncode == 2 and "THBKK" in refused.stderr


def test_corridor_statistics_of_a_synthetic_year(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    run(env, "stats", "load-synthetic", "--year", "2023")
    assert "added 1,804" in run(env, "stats", "load-synthetic", "--year", "2024").stdout
    assert "nothing added" in run(env, "stats", "load-synthetic", "--year", "2024").stdout
    chart = tmp_path / "corridor.png"
    text = run(env, "stats", "corridor", "--year", "2024", "--plot", str(chart)).stdout
    assert "1,804" in text and "trains +12.0%" in text
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_commands_show_services_a_visit_and_refuse_to_plan_a_departed_train(
    after_a_day: dict[str, str],
) -> None:
    env = after_a_day
    timetable = run(env, "train", "timetable", "--at", "2026-12-05T08:00").stdout
    assert "RS-QZH" in timetable and "X001O1" in timetable
    listed = json.loads(run(env, "train", "timetable", "--at", "2026-12-05T08:00", "--json").stdout)
    services = {service["id"]: service for service in listed["services"]}
    assert services["RS-QZH"]["next"][:2] == [
        "2026-12-05T10:30:00+08:00",
        "2026-12-05T16:30:00+08:00",
    ]
    assert services["CL-NKY"]["weekdays"] == ["Mon", "Thu"]
    assert services["CL-NKY"]["splits"] == [{"at": "LAVTE", "first_wagon": 21, "last_wagon": 25}]
    assert {t["train"] for t in listed["trains"]} >= {"X001O1", "X001I1"}
    shown = run(env, "train", "show", "X001O1").stdout
    assert "departed" in shown and re.search(r"crane moves: load\s*│\s*\d+ done, 0 open", shown)
    refused = run(env, "train", "plan", "X001O1", check=False)
    assert refused.returncode == 2 and "has departed" in refused.stderr


def test_customs_commands_show_declarations_and_keep_holds_to_customs(
    after_a_day: dict[str, str],
) -> None:
    env = after_a_day
    declaration = json.loads(run(env, "customs", "status", "X001I1-IMP", "--json").stdout)
    assert declaration["state"] == "released" and declaration["arrived_at"]
    assert declaration["legs"][0] == "rail LAVTE→CNJGJ"
    box = declaration["boxes"][0]
    refused = run(env, "customs", "hold", box, "--id", "H1", "--role", "operator", check=False)
    assert refused.returncode == 2 and "only customs may place a hold" in refused.stderr
    for box in declaration["boxes"]:  # one still in the hub (some were collected already)
        tried = run(env, "customs", "hold", box, "--id", "H1", "--json", check=False)
        if tried.returncode == 0:
            break
        assert "has left the hub" in tried.stderr
    assert json.loads(tried.stdout)["status"] == "held"
    status = json.loads(run(env, "customs", "status", box, "--json").stdout)
    assert status["status"] == "held" and status["holds"][0]["hold"] == "H1"
    lifted = json.loads(run(env, "customs", "lift", "H1", "--json").stdout)
    assert lifted["status"] == "released"
    bad = run(env, "customs", "declare", "D9", "--box", box, "--leg", "rail-LAVTE", check=False)
    assert bad.returncode == 2 and "expected MODE:FROM:TO" in bad.stderr
    assert "sound" in run(env, "check").stdout


def test_gate_commands_book_list_and_send_a_misread_to_the_exception_lane(
    env: dict[str, str],
) -> None:
    run(env, "init")
    # a day to come: a window that has ended is not booked (the CLI's clock is the wall's)
    day = (datetime.now(HUB_TIME) + timedelta(days=2)).date().isoformat()
    booked = json.loads(
        run(
            env,
            "appointment",
            "book",
            "A1",
            "--plate",
            "渝A12345",
            "--box",
            "CSQU3054383",
            "--kind",
            "deliver",
            "--at",
            f"{day}T09:10",
            "--json",
        ).stdout
    )
    assert booked["window"] == [f"{day}T09:00:00+08:00", f"{day}T09:30:00+08:00"]
    listed = json.loads(run(env, "appointment", "list", "--day", day, "--json").stdout)
    assert [item["appointment"] for item in listed] == ["A1"]
    misread = run(
        env,
        "gate",
        "in",
        "TV1",
        "--plate",
        "渝A12345",
        "--appointment",
        "A1",
        "--read",
        "CSQU3O54383",
        "--confidence",
        "0.95",
        "--json",
        check=False,
    )
    assert misread.returncode == 3
    result = json.loads(misread.stdout)
    assert result["lane"] == "exception" and result["suggestion"] == "CSQU3054383"
    cancelled = json.loads(run(env, "appointment", "cancel", "A1", "--json").stdout)
    assert cancelled["state"] == "cancelled"
    again = run(env, "appointment", "cancel", "A1", check=False)
    assert again.returncode == 2 and "is cancelled already" in again.stderr


def test_the_store_logs_and_partner_folders_are_readable_by_their_owner_only(
    demo_day_store: Path,
) -> None:
    """What `hubport init` and a demo day created (the store, its journals, the partner
    folders and their files, the plots)."""
    created = [demo_day_store, *demo_day_store.rglob("*")]
    assert demo_day_store / "hubport.db" in created
    assert any(path.name == "CRCT" for path in created)
    for path in created:
        mode = path.stat().st_mode
        assert mode & 0o077 == 0, f"{path} is open to others: {oct(mode)}"
