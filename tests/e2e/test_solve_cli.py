"""``hubport solve`` as scripts use it: JSON out, moves that replay, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hubport.adapters.site_file import wagon_types
from hubport.planning.bay import Move, replay_brp, replay_cpmp
from hubport.planning.bay_files import read_bay
from hubport.planning.load_plan import Assignment
from hubport.planning.load_plan_file import read_request
from hubport.planning.wagon_types import wagon_specs
from tests.unit.planning.load_plan_validator import violations

DATA = Path(__file__).parents[1] / "data" / "bays"
HUBPORT = [sys.executable, "-m", "hubport.entrypoints", "solve"]


def solve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HUBPORT, *args], capture_output=True, text=True, timeout=300)


def _brp_moves(raw: list[dict[str, int]]) -> list[Move]:
    return [
        Move("retrieve", m["from"])
        if m["op"] == "retrieve"
        else Move("relocate", m["from"], m["to"])
        for m in raw
    ]


def test_brp_json_reports_a_proved_optimum_whose_moves_replay():
    result = solve("brp", str(DATA / "data3-3-1.dat"), "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["instance"] == "data3-3-1.dat"
    assert (answer["variant"], answer["relocations"], answer["lower_bound"], answer["optimal"]) == (
        "restricted",
        6,
        6,
        True,
    )
    bay = read_bay(DATA / "data3-3-1.dat")
    assert replay_brp(bay, _brp_moves(answer["moves"]), restricted=True) == 6


def test_unrestricted_brp_with_a_lower_height():
    result = solve(
        "brp",
        str(DATA / "data5-6-28.dat"),
        "--variant",
        "unrestricted",
        "--max-height",
        "6",
        "--json",
    )
    answer = json.loads(result.stdout)
    bay = read_bay(DATA / "data5-6-28.dat", max_height=6)
    moves = _brp_moves(answer["moves"])
    assert replay_brp(bay, moves, restricted=False) == answer["relocations"]
    assert answer["lower_bound"] <= answer["relocations"]


def test_cpmp_json_moves_sort_the_bay():
    result = solve("cpmp", str(DATA / "dlts-5x5_cv2_test-3.dat"), "--time-limit", "0.5", "--json")
    answer = json.loads(result.stdout)
    bay = read_bay(DATA / "dlts-5x5_cv2_test-3.dat")
    moves = [Move("relocate", m["from"], m["to"]) for m in answer["moves"]]
    replay_cpmp(bay, moves)
    assert answer["relocations"] == len(moves) >= 27


def test_a_broken_file_exits_non_zero_naming_file_line_and_problem(tmp_path):
    bad = tmp_path / "broken.dat"
    bad.write_text("2 4\n2 1 2\n3 3 4\n")
    result = solve("brp", str(bad), "--json")
    assert result.returncode == 2
    assert f"{bad}:3: a stack line starts with its box count; 3 does not match" in result.stderr
    assert result.stdout == ""


def test_yard_plan_reads_the_live_store_and_moves_nothing(after_a_day):
    env = after_a_day
    hubport = [sys.executable, "-m", "hubport.entrypoints"]
    before = subprocess.run(
        [*hubport, "yard", "show", "A"], env=env, capture_output=True, text=True, check=True
    ).stdout
    answers = []
    for bay in range(1, 60, 3):  # 20' bays (odd) and 40' bays (even)
        result = subprocess.run(
            [*hubport, "yard", "plan", "A", "--bay", str(bay), "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            answers.append(json.loads(result.stdout))
        else:
            assert result.returncode == 2
            assert "error:" in result.stderr
    assert answers, "the demo day leaves at least one plannable bay in block A"
    for answer in answers:
        retrieved = [m["box"] for m in answer["moves"] if m["op"] == "retrieve"]
        assert len(retrieved) == answer["boxes"]
        assert answer["optimal"]
    after = subprocess.run(
        [*hubport, "yard", "show", "A"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert after == before


def test_loadplan_json_plans_the_sample_train_within_every_limit(tmp_path: Path) -> None:
    document = Path(__file__).parents[1] / "data" / "loadplan" / "small-train.json"
    result = solve("loadplan", str(document), "--time-limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["status"] == "optimal" and plan["loaded_teu"] == plan["bound_teu"] > 0
    placed = [Assignment(a["wagon"], a["position"], a["box"]) for a in plan["assignments"]]
    assert violations(read_request(document, wagon_specs(wagon_types())), placed) == []
    people = solve("loadplan", str(document))
    assert people.returncode == 0 and "wagon by wagon" in people.stdout
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"train": {"max_gross_kg": 1}, "wagons": [], "boxes": []}))
    refused = solve("loadplan", str(broken), "--json")
    assert refused.returncode == 2 and "train.max_length_m" in refused.stderr
