"""The crane scheduler: published QCSP instances checked by an independent validator, and
non-crossing kept on random problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubport.domain.errors import InvalidSchedule
from hubport.planning import qcsp
from hubport.planning.crane_paths import closest_approach, trajectories
from hubport.planning.crane_schedule import CraneStart, Problem, Task
from hubport.planning.crane_search import heuristic
from tests.unit.planning.qcsp_validator import violations

INSTANCES = Path(__file__).resolve().parents[2] / "data" / "qcsp"


@pytest.mark.parametrize(
    "name",
    ["kimpark_k13", "kimpark_k22", "kimpark_k33", "QCSP_n15_b10_c200_f50_uni_d100_g0_q2_t1_s1_001"],
)
def test_published_instances_get_valid_schedules(name: str) -> None:
    path = INSTANCES / f"{name}.txt"
    problem = qcsp.read_instance(path)
    result = qcsp.solve(problem, time_limit=2.0)
    assert violations(path, qcsp.schedule_json(problem, result)) == []
    assert result.makespan >= result.lower_bound


def test_the_turn_back_schedule_of_n15_beats_the_published_value_and_is_proved() -> None:
    path = INSTANCES / "QCSP_n15_b10_c200_f50_uni_d100_g0_q2_t1_s1_001.txt"
    problem = qcsp.read_instance(path)
    result = qcsp.solve(problem, time_limit=5.0)
    assert result.makespan == 513 and result.optimal


def test_every_instance_gets_a_valid_heuristic_schedule() -> None:
    for path in sorted(INSTANCES.glob("*.txt")):
        problem = qcsp.read_instance(path)
        found = heuristic(problem, 0.05)
        paths = tuple(trajectories(problem, found.schedule))
        result = qcsp.QcspResult(found.schedule, found.value, 0.0, False, paths, found.value, 0)
        assert violations(path, qcsp.schedule_json(problem, result)) == [], path.name


def test_a_malformed_instance_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("3,2,0,0,1,1,1\n1,2\n1,2,3\n0\n1\nPhi:\nPsi:\nend.\n")
    with pytest.raises(InvalidSchedule, match=r"bad\.txt: 2 processing times, the header says 3"):
        qcsp.read_instance(bad)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 30), st.integers(0, 60), st.integers(0, 60)),
        min_size=1,
        max_size=14,
    ),
    st.integers(2, 4),
    st.integers(1, 3),
)
def test_no_plan_brings_two_cranes_closer_than_the_gap(
    jobs: list[tuple[int, int, int]], cranes: int, gap: int
) -> None:
    problem = Problem(
        tasks=tuple(Task(float(d), float(a), float(b)) for d, a, b in jobs),
        cranes=tuple(CraneStart(float(k * 20)) for k in range(cranes)),
        travel=1.0,
        separation=float(gap),
    )
    found = heuristic(problem, 0.02)
    paths = trajectories(problem, found.schedule)
    assert closest_approach(paths) >= gap - 1e-6
