"""``hubport twin run`` and ``hubport twin sweep`` from outside, in separate processes:
the JSON contracts, the same seed giving the same run, the store sound afterwards, a
sweep on a local Ray, and wrong input named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WALL = ("wall_s", "started", "finished", "out")


def _hubport(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hubport.entrypoints", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=check,
    )


def test_a_twin_run_prints_its_contract_and_the_same_seed_prints_the_same(
    env: dict[str, str], tmp_path: Path
) -> None:
    runs = []
    for folder, hash_seed in (("one", "1"), ("two", "2")):
        answer = _hubport(
            {**env, "PYTHONHASHSEED": hash_seed},
            "twin",
            "run",
            "tiny",
            "--days",
            "1",
            "--seed",
            "11",
            "--out",
            str(tmp_path / folder),
            "--json",
        )
        runs.append(json.loads(answer.stdout))
    first, second = runs
    assert first["scenario"] == "tiny" and first["seed"] == 11 and first["days"] == 1
    assert first["totals"]["corridor_trains"] == 1
    assert first["totals"]["crane_moves"] > 0 and first["totals"]["teu"] > 0
    assert first["kpis"]["train_handling_h_mean"] > 0
    for run in runs:
        for field in WALL:
            run.pop(field)
    assert first == second
    folder = tmp_path / "one"
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "corridor trains sent" in report and "yard-and-gate.png" in report
    assert all(
        (folder / name).stat().st_size > 1_000 for name in ("yard-and-gate.png", "times.png")
    )
    # the store the run left is sound
    checked = _hubport({**env, "HUBPORT_DATABASE_URL": f"sqlite:///{folder / 'twin.db'}"}, "check")
    assert "every invariant holds" in checked.stdout


def test_a_warm_up_day_is_run_but_left_out_of_the_kpis(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "warm"
    answer = _hubport(
        env, "twin", "run", "tiny", "--days", "2", "--warmup", "1", "--out", str(folder), "--json"
    )
    result = json.loads(answer.stdout)
    assert result["days"] == 2 and result["warmup_days"] == 1
    moves = result["totals"]["crane_moves"]
    # day 1's moves count in the run's totals, not in the measured period's KPIs
    assert 0 < result["kpis"]["crane_moves"] < moves
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "Over days 2 to 2" in report and "warm-up" in report
    assert "train wait for a track, mean" in report  # the third target, kept or broken


def test_a_sweep_of_two_cells_by_two_replications_runs_on_local_ray(
    env: dict[str, str], tmp_path: Path
) -> None:
    answer = _hubport(
        {**env, "RAY_AUTH_MODE": "disabled"},
        "twin",
        "sweep",
        "tiny",
        "--param",
        "cranes=1,2",
        "--replications",
        "2",
        "--days",
        "1",
        "--out",
        str(tmp_path / "sweep"),
        "--json",
    )
    result = json.loads(answer.stdout)
    assert "Ray" in result["engine"]
    assert [cell["params"] for cell in result["cells"]] == [{"cranes": 1}, {"cranes": 2}]
    for cell in result["cells"]:
        figure = cell["kpis"]["train_handling_h_mean"]
        low, high = figure["ci95"]
        assert low <= figure["mean"] <= high
        assert cell["seeds"] == [7, 8]  # the same traffic in every cell
    one, two = (cell["kpis"]["crane_moves"]["mean"] for cell in result["cells"])
    assert one > 0 and two > 0
    assert result["capacity"] == []  # no volume swept: no capacity answer


def test_a_run_in_parts_runs_them_side_by_side_and_joins_their_days(
    env: dict[str, str], tmp_path: Path
) -> None:
    runs = []
    for name, hash_seed in (("parts", "1"), ("again", "2")):
        answer = _hubport(
            {**env, "RAY_AUTH_MODE": "disabled", "PYTHONHASHSEED": hash_seed},
            "twin",
            "run",
            "tiny",
            "--days",
            "3",
            "--parts",
            "2",
            "--part-warmup",
            "1",
            "--out",
            str(tmp_path / name),
            "--json",
        )
        runs.append(json.loads(answer.stdout))
    result, again = runs
    folder = tmp_path / "parts"
    assert "Ray" in result["engine"]
    assert [(p["days"], p["warmup_days"]) for p in result["parts"]] == [
        ([1, 2], 0),
        ([3, 3], 1),
    ]
    # the same contract as one run: a train out a day, each counted once
    assert result["days"] == 3 and result["totals"]["corridor_trains"] == 3
    assert result["kpis"]["trains_handled"] == 6
    assert result["kpis"]["crane_moves"] == result["totals"]["crane_moves"] > 0
    assert (folder / "report.md").exists() and (folder / "times.png").stat().st_size > 1_000
    assert {k: v for k, v in result.items() if k not in WALL} == {
        k: v for k, v in again.items() if k not in WALL
    }
    # each part's store is sound
    for part in ("part-1", "part-2"):
        url = f"sqlite:///{folder / part / 'twin.db'}"
        checked = _hubport({**env, "HUBPORT_DATABASE_URL": url}, "check")
        assert "every invariant holds" in checked.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["twin", "run", "no-such-scenario"], "no scenario 'no-such-scenario'"),
        (["twin", "sweep", "tiny", "--param", "tracks=1,2"], "tracks=1,2"),
        (["twin", "sweep", "tiny", "--param", "cranes=1.5"], "cranes must be a whole number"),
        (["twin", "run", "tiny", "--days", "2", "--warmup", "2"], "leaves none of the run's 2"),
        (["twin", "sweep", "tiny", "--days", "1", "--warmup", "1"], "give --warmup fewer days"),
        (["twin", "run", "tiny", "--days", "2", "--parts", "3"], "between 1 and the 2 measured"),
    ],
)
def test_wrong_input_is_named_and_runs_nothing(
    env: dict[str, str], args: list[str], named: str
) -> None:
    answer = _hubport(env, *args, check=False)
    assert answer.returncode == 2
    assert named in answer.stderr


def test_without_ray_a_process_pool_runs_the_same_tasks_and_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hubport.entrypoints.twin_journal import Journal
    from hubport.entrypoints.twin_sweep import parse_params, sweep

    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    journal = Journal(tmp_path / "runs.jsonl")
    grid = parse_params(["cranes=2"])
    outcome = sweep("tiny", grid, 2, 1, None, workers=2, journal=journal)
    assert "process pool" in outcome.engine and "Ray is not installed" in outcome.engine
    (cell,) = outcome.result["cells"]
    assert cell["seeds"] == [7, 8] and cell["kpis"]["crane_moves"]["mean"] > 0
    # the sweep resumed runs nothing again, and answers the same
    again = sweep("tiny", grid, 2, 1, None, workers=2, journal=Journal(journal.path, True))
    assert again.result["resumed"] == 2 and again.result["cells"] == outcome.result["cells"]


@pytest.mark.postgres
def test_a_twin_run_on_postgresql_gives_the_same_results_as_on_sqlite(
    env: dict[str, str], tmp_path: Path
) -> None:
    from tests.integration.conftest import postgres_schema_url

    runs = []
    for url in postgres_schema_url():
        runs.append(
            _hubport(
                env,
                "twin",
                "run",
                "tiny",
                "--days",
                "1",
                "--out",
                str(tmp_path / "pg"),
                "--database",
                url,
                "--json",
            )
        )
    runs.append(
        _hubport(
            env, "twin", "run", "tiny", "--days", "1", "--out", str(tmp_path / "lite"), "--json"
        )
    )
    on_postgres, on_sqlite = (json.loads(run.stdout) for run in runs)
    for result in (on_postgres, on_sqlite):
        for field in WALL:
            result.pop(field)
    assert on_postgres == on_sqlite


def _fails(task: object) -> dict[str, object]:
    raise RuntimeError("the hub fell over\nKeyError: 'X001I4:discharge'")


def test_a_failed_run_is_reported_in_its_cell_and_the_others_stand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hubport.entrypoints import twin_sweep

    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.setattr(twin_sweep, "run_task", _fails)
    outcome = twin_sweep.sweep("tiny", twin_sweep.parse_params(["cranes=2"]), 1, 1, None, 1)
    assert outcome.result["failed"] == 1
    (cell,) = outcome.result["cells"]
    assert cell["replications"] == 0 and cell["kpis"] == {}
    assert cell["failed"] == [{"seed": 7, "error": "RuntimeError: KeyError: 'X001I4:discharge'"}]
