"""What `hubport check` calls stuck: a box on a failed crane's spreader, a job long past
its due time, a train past its departure with work open; nothing else."""

from __future__ import annotations

from datetime import timedelta

from hubport.domain.crane_jobs import CraneJob, JobState
from hubport.domain.stuck_work import stuck_work
from hubport.domain.visits import TrainVisit, Wagon
from tests.conftest import T0

TRAIN = TrainVisit(
    "T7", "CL-VTE-N", "inbound", (Wagon(1),), arrives=T0, departs=T0 + timedelta(hours=4)
)


def _job(job_id: str, state: JobState, **values: object) -> CraneJob:
    base = CraneJob(job_id, "HPTU0000017", "wagon:T7:01:A", "-", "discharge", state)
    return base.__class__(**{**base.__dict__, **values})


def test_sound_work_is_not_stuck() -> None:
    jobs = [
        _job("a", JobState.SENT, crane="ARMG1", due=T0 + timedelta(hours=4), train_id="T7"),
        _job("b", JobState.DONE, due=T0 - timedelta(days=3)),
    ]
    assert stuck_work(jobs, [TRAIN], T0 + timedelta(hours=1)) == []


def test_a_box_on_a_failed_cranes_spreader_needs_a_person() -> None:
    job = _job("a", JobState.FAILED, crane="ARMG2", box_aboard=True, note="lost connection: BROKEN")
    (item,) = stuck_work([job], [], T0)
    assert "HPTU0000017 hangs on ARMG2's spreader" in item and "needs a person" in item


def test_a_job_long_past_due_and_a_train_past_its_departure_with_work_open_are_stuck() -> None:
    job = _job("a", JobState.ASSIGNED, crane="ARMG3", due=TRAIN.departs, train_id="T7")
    now = T0 + timedelta(hours=5, minutes=30)
    items = stuck_work([job], [TRAIN], now)
    assert any(
        "job a (discharge of HPTU0000017, assigned) is open 1 h 30 min past" in i for i in items
    )
    assert any("train T7 is past its departure" in i and "1 crane job(s) open" in i for i in items)
    # within the grace, only the train is named
    assert len(stuck_work([job], [TRAIN], T0 + timedelta(hours=4, minutes=30))) == 1
