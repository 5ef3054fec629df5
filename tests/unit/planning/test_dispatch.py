"""The hub's crane dispatch: who does which job, in what order, and the baseline."""

from __future__ import annotations

import itertools

import pytest

from hubport.domain.errors import InvalidSchedule
from hubport.planning.dispatch import (
    CraneAvailability,
    CraneWork,
    Rail,
    dispatch,
    fixed_zone_baseline,
)

RAIL = Rail(separation_m=10.0, gantry_speed_mps=1.9, ramp_s=2.0)
ZONES = {"C1": (0.0, 100.0), "C2": (100.0, 200.0)}


def _cranes(*, second_in_service: bool = True) -> list[CraneAvailability]:
    return [
        CraneAvailability("C1", 20.0, reach=(0.0, 190.0)),
        CraneAvailability("C2", 180.0, in_service=second_in_service, reach=(10.0, 200.0)),
    ]


def _job(name: str, pick: float, place: float, **kw: object) -> CraneWork:
    return CraneWork(name, pick, place, handling_s=90.0, **kw)  # type: ignore[arg-type]


def test_every_job_gets_one_crane_and_cranes_do_them_one_at_a_time() -> None:
    work = [_job(f"j{i}", 10.0 + 17 * i, 12.0 + 17 * i) for i in range(10)]
    plan = dispatch(work, _cranes(), RAIL, evaluations=200)
    planned = [p for queue in plan.queues.values() for p in queue]
    assert sorted(p.job for p in planned) == sorted(w.job for w in work)
    for queue in plan.queues.values():
        for before, after in itertools.pairwise(queue):
            assert before.end_s <= after.start_s + 1e-6


def test_the_dispatcher_does_a_lopsided_day_sooner_than_fixed_zones() -> None:
    # most of the work lies in the first crane's home stretch
    work = [_job(f"j{i}", 5.0 + 9 * i, 8.0 + 9 * i) for i in range(12)]
    zones = fixed_zone_baseline(work, _cranes(), RAIL, ZONES)
    planned = dispatch(work, _cranes(), RAIL, evaluations=400)
    assert planned.makespan_s < zones.makespan_s


def test_a_job_under_way_stays_first_on_its_crane_however_urgent_the_others() -> None:
    work = [
        _job("urgent", 30.0, 40.0, due_s=0.0, weight=5.0),
        _job("sent", 60.0, 150.0, pinned="C1", under_way=True),
    ]
    plan = dispatch(work, _cranes(second_in_service=False), RAIL, evaluations=100)
    assert [p.job for p in plan.queues["C1"]] == ["sent", "urgent"]


def test_a_job_on_the_way_of_one_under_way_waits_until_it_is_done() -> None:
    work = [
        _job("sent", 20.0, 170.0, pinned="C1", under_way=True),
        _job("crossing", 120.0, 100.0),
    ]
    plan = dispatch(work, _cranes(), RAIL, evaluations=100)
    sent = plan.job("sent")
    crossing = plan.job("crossing")
    assert sent is not None and crossing is not None
    assert crossing.start_s >= sent.end_s - 1e-6


def test_a_crane_out_of_service_gets_no_work() -> None:
    work = [_job(f"j{i}", 20.0 * i, 20.0 * i + 5) for i in range(1, 8)]
    plan = dispatch(work, _cranes(second_in_service=False), RAIL, evaluations=100)
    assert plan.queues["C2"] == ()
    assert len(plan.queues["C1"]) == 7


def test_a_job_no_crane_in_service_can_reach_is_refused_by_name() -> None:
    with pytest.raises(InvalidSchedule, match="far"):
        dispatch([_job("far", 195.0, 199.0)], _cranes(second_in_service=False), RAIL)
