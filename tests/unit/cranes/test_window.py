"""Which open jobs wait for another job first (``Blockers``)."""

from __future__ import annotations

from hubport.cranes.jobs import OpenJob
from hubport.cranes.window import Blockers
from hubport.domain.container import ContainerNumber
from hubport.domain.crane_jobs import JobState
from hubport.domain.places import Place, WagonSlot, YardSlot
from tests.conftest import box


def _job(
    job_id: str,
    index: int,
    origin: Place,
    state: JobState = JobState.PLANNED,
    reason: str = "load",
    aboard: bool = False,
) -> OpenJob:
    number: ContainerNumber = box(index).number
    return OpenJob(job_id, number, origin, None, reason, state, box_aboard=aboard)


def _held(*jobs: OpenJob) -> set[str]:
    view = {job.id: job for job in jobs}
    blockers = Blockers(view)
    return {job.id for job in jobs if blockers.hold(job)}


def test_a_box_under_another_jobs_box_waits_for_it_to_be_lifted() -> None:
    below = _job("below", 0, YardSlot("A", 3, 1, 1))
    top = _job("top", 1, YardSlot("A", 3, 1, 2))
    beside = _job("beside", 2, YardSlot("A", 3, 2, 1))
    assert _held(below, top, beside) == {"below"}


def test_a_forty_foot_box_on_two_stacks_holds_the_boxes_under_either_end() -> None:
    under_left = _job("left", 0, YardSlot("A", 1, 1, 1))
    under_right = _job("right", 1, YardSlot("A", 3, 1, 1))
    forty = _job("forty", 2, YardSlot("A", 2, 1, 2))
    assert _held(under_left, under_right, forty) == {"left", "right"}


def test_a_box_already_aboard_holds_nothing_below() -> None:
    below = _job("below", 0, YardSlot("A", 3, 1, 1))
    lifted = _job("lifted", 1, YardSlot("A", 3, 1, 2), JobState.LIFTED, aboard=True)
    assert _held(below, lifted) == set()


def test_a_box_in_another_jobs_hand_or_on_its_way_to_a_relay_waits() -> None:
    wagon = WagonSlot("T100", 1, "A")
    relay = _job("out:relay", 0, wagon, reason="relay")
    onward = _job("out", 0, wagon)
    assert _held(relay, onward) == {"out"}
    moving = _job("move", 1, wagon, JobState.SENT, reason="relocation")
    after = _job("after", 1, wagon)
    assert _held(moving, after) == {"after"}
