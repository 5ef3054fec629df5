"""Meetings and tasks: a task closes only by four eyes at a joint meeting, with its
evidence; regular meetings keep their weekday; open items carry over."""

from __future__ import annotations

from datetime import date

import pytest

from hubport.park.domain.errors import TaskRefused
from hubport.park.domain.meetings import Meeting, Task, agenda_for, carried_over, minutes_markdown

FRIDAY, NEXT_FRIDAY, TUESDAY = date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 1)


def _task(owner: str = "li") -> Task:
    return Task("T1", "power line to plot 7", owner, date(2026, 12, 3), project="P001")


def _joint(attendees: tuple[str, ...] = ("wang", "li")) -> Meeting:
    return Meeting("JM-1", "joint", FRIDAY, attendees)


def test_a_task_is_closed_by_another_at_a_joint_meeting_with_evidence() -> None:
    task = _task()
    task.complete("li", "line energised")
    task.verify("wang", _joint(), "acceptance sheet 2026-117")
    assert (task.state, task.verified_by, task.verified_at_meeting) == ("verified", "wang", "JM-1")


@pytest.mark.parametrize(
    ("by", "meeting", "evidence", "named"),
    [
        ("li", _joint(), "sheet", "li is its assignee and cannot verify it"),
        ("wang", Meeting("DM-1", "dispatch", TUESDAY, ("wang",)), "sheet", "not a dispatch"),
        ("wang", _joint(), " ", "notes its evidence"),
        ("zhao", _joint(), "sheet", "zhao did not attend"),
    ],
)
def test_four_eyes_refuses_the_rest(by: str, meeting: Meeting, evidence: str, named: str) -> None:
    task = _task()
    task.complete("li", "done")
    with pytest.raises(TaskRefused, match=named):
        task.verify(by, meeting, evidence)
    assert task.state == "done"


def test_only_the_assignee_reports_done_and_only_done_is_verified() -> None:
    task = _task()
    with pytest.raises(TaskRefused, match="only a task reported done"):
        task.verify("wang", _joint(), "sheet")
    with pytest.raises(TaskRefused, match="li's to report done, not wang's"):
        task.complete("wang", "done")


def test_regular_meetings_keep_their_weekday() -> None:
    with pytest.raises(TaskRefused, match="joint meeting is held on a Friday"):
        Meeting("JM-2", "joint", TUESDAY, ("wang",))
    with pytest.raises(TaskRefused, match="onsite_office meeting is held on a Tuesday"):
        Meeting("OS-1", "onsite_office", FRIDAY, ("wang",))
    Meeting("DM-1", "dispatch", date(2026, 12, 2), ("wang",))  # any day


def test_the_agenda_takes_up_the_open_items_and_the_next_carries_them_over() -> None:
    overdue, done = _task(), Task("T2", "permit", "zhao", date(2026, 12, 20))
    done.complete("zhao", "issued")
    first = _joint()
    first.agenda = agenda_for(first, [overdue, done], ["R7"], ["R9"])
    assert first.agenda == ["task T1", "task T2", "request R7", "request R9 (supervision)"]
    second = Meeting("JM-2", "joint", NEXT_FRIDAY, ("wang",))
    second.agenda = agenda_for(second, [overdue], [], [])
    assert carried_over(first, second) == ["task T1"]
    assert carried_over(None, second) == []


def test_minutes_list_what_was_verified() -> None:
    task, meeting = _task(), _joint()
    task.complete("li", "done")
    task.verify("wang", meeting, "acceptance sheet")
    meeting.decisions.append("the land office answers R7 by Tuesday")
    text = minutes_markdown(meeting, [task])
    assert "task T1: power line to plot 7 (owner li, verified by wang" in text
    assert "- the land office answers R7 by Tuesday" in text
