"""The crane job's life: allowed transitions, the box aboard, refusals."""

from __future__ import annotations

import pytest

from hubport.domain.crane_jobs import CraneJob, CraneJobBook, JobState, OpenJobs
from hubport.domain.errors import CraneJobRefused
from tests.conftest import at


def _job() -> CraneJob:
    return CraneJob("j1", "HPTU0000001", "wagon:T1:01:A", "yard:A-01-01-1", "discharge")


def test_a_job_runs_its_happy_path_with_the_box_aboard_between_lift_and_set_down() -> None:
    job = _job()
    seen = []
    for state in (
        JobState.ASSIGNED,
        JobState.SENT,
        JobState.PICKING,
        JobState.LIFTED,
        JobState.PLACING,
        JobState.DONE,
    ):
        job, event = job.advance(state, at(1), crane="ARMG1")
        seen.append((event.previous, event.state, job.box_aboard))
    assert [s[2] for s in seen] == [False, False, False, True, True, False]
    assert job.version == 6 and not job.open


def test_a_step_out_of_order_is_refused() -> None:
    job, _ = _job().advance(JobState.ASSIGNED, at(1), crane="ARMG1")
    with pytest.raises(CraneJobRefused, match="cannot go from assigned to lifted"):
        job.advance(JobState.LIFTED, at(2), crane="ARMG1")


def test_a_job_with_its_box_on_the_spreader_stays_with_its_crane() -> None:
    job = _job()
    for state in (
        JobState.ASSIGNED,
        JobState.SENT,
        JobState.PICKING,
        JobState.LIFTED,
        JobState.FAILED,
    ):
        job, _ = job.advance(state, at(1), crane="ARMG1")
    assert job.box_aboard
    with pytest.raises(CraneJobRefused, match="stays with it"):
        job.advance(JobState.ASSIGNED, at(2), crane="ARMG2")
    with pytest.raises(CraneJobRefused, match="cannot be cancelled"):
        job.advance(JobState.CANCELLED, at(2))
    resumed, _ = job.advance(JobState.LIFTED, at(3), crane="ARMG1")
    assert resumed.state is JobState.LIFTED and resumed.crane == "ARMG1"


def test_a_failed_job_without_its_box_goes_to_another_crane() -> None:
    job = _job()
    for state in (JobState.ASSIGNED, JobState.SENT, JobState.FAILED):
        job, _ = job.advance(state, at(1), crane="ARMG1")
    moved, event = job.advance(JobState.ASSIGNED, at(2), crane="ARMG2")
    assert moved.crane == "ARMG2" and event.previous == "failed"


def test_another_crane_cannot_report_on_the_job() -> None:
    job, _ = _job().advance(JobState.ASSIGNED, at(1), crane="ARMG1")
    with pytest.raises(CraneJobRefused, match="ARMG1's job, not ARMG2's"):
        job.advance(JobState.SENT, at(2), crane="ARMG2")


def test_the_open_jobs_asked_for_include_the_unit_of_works_own_changes() -> None:
    aside = CraneJob("j2", "HPTU0000002", "yard:A-01-02-1", "-", "relocation")
    stored = {"j1": _job(), "j2": aside}
    book = CraneJobBook(stored.get, lambda crane: list(stored.values()))
    cancelled, _ = book.get("j1").advance(JobState.CANCELLED, at(1))
    book.put(cancelled)
    book.add(CraneJob("j3", "HPTU0000001", "yard:A-01-01-1", "wagon:T1:01:A", "load"))
    mine = book.open_of_boxes(["HPTU0000001", "HPTU0000002"])
    assert {number: job.id for number, job in mine.items()} == {
        "HPTU0000001": "j3",  # not the cancelled j1
        "HPTU0000002": "j2",
    }
    assert [job.id for job in book.open_which(OpenJobs(train="T1"))] == ["j3"]
    assert book.open_of_boxes([]) == {}
