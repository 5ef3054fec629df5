"""The three linked meeting types and the tasks they drive.

- The Friday joint meeting (联席会议) accepts finished tasks and closes them (验收销号).
- Dispatch meetings are called at any time for blockers across departments.
- On-site office days (现场办公) every Tuesday settle approvals on the spot.

A task is closed only when someone other than its assignee verifies it at a joint
meeting, with the evidence noted (four eyes). An open task on the agenda of two joint
meetings in a row is carried over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hubport.park.domain.errors import TaskRefused

KINDS = ("joint", "dispatch", "onsite_office")
#: The weekday each regular meeting is held on (Monday is 0); dispatch meetings any day.
WEEKDAY = {"joint": 4, "onsite_office": 1}
TASK_STATES = ("open", "done", "verified")


@dataclass
class Task:
    id: str
    title: str
    owner: str
    due: date
    project: str | None = None
    request: str | None = None
    state: str = "open"
    done_note: str = ""
    verified_by: str | None = None
    verified_at_meeting: str | None = None
    evidence: str = ""
    meetings_open: int = 0

    def __post_init__(self) -> None:
        if not self.title.strip() or not self.owner.strip():
            raise TaskRefused(f"task {self.id}: a task has a title and an owner")

    def complete(self, by: str, note: str) -> None:
        """The assignee reports it done; it stays open until verified."""
        if self.state != "open":
            raise TaskRefused(f"task {self.id} is {self.state}, not open")
        if by != self.owner:
            raise TaskRefused(f"task {self.id} is {self.owner}'s to report done, not {by}'s")
        self.state, self.done_note = "done", note

    def verify(self, by: str, meeting: Meeting, evidence: str) -> None:
        """Four eyes: another than the assignee, at a joint meeting, with the evidence."""
        if self.state != "done":
            raise TaskRefused(
                f"task {self.id} is {self.state}: only a task reported done is verified"
            )
        if by == self.owner:
            raise TaskRefused(
                f"task {self.id}: {by} is its assignee and cannot verify it (four eyes)"
            )
        if meeting.kind != "joint":
            raise TaskRefused(
                f"task {self.id}: tasks are verified at a joint meeting, not a {meeting.kind}"
            )
        if not evidence.strip():
            raise TaskRefused(f"task {self.id}: verification notes its evidence")
        if by not in meeting.attendees:
            raise TaskRefused(f"task {self.id}: {by} did not attend meeting {meeting.id}")
        self.state, self.verified_by = "verified", by
        self.verified_at_meeting, self.evidence = meeting.id, evidence


@dataclass
class Meeting:
    id: str
    kind: str
    held_on: date
    attendees: tuple[str, ...]
    agenda: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise TaskRefused(f"meeting kind {self.kind!r} is not one of {', '.join(KINDS)}")
        weekday = WEEKDAY.get(self.kind)
        if weekday is not None and self.held_on.weekday() != weekday:
            day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")[weekday]
            raise TaskRefused(
                f"a {self.kind} meeting is held on a {day}; {self.held_on} is not one"
            )
        if not self.attendees:
            raise TaskRefused(f"meeting {self.id} has no attendee")


def agenda_for(
    meeting: Meeting, tasks: list[Task], answered: list[str], escalated: list[str]
) -> list[str]:
    """The open items the meeting takes up: tasks due by its day (and those done, to
    verify at a joint meeting), requests answered awaiting verification, requests under
    supervision."""
    items = [f"task {t.id}" for t in tasks if t.state == "open" and t.due <= meeting.held_on]
    if meeting.kind == "joint":
        items += [f"task {t.id}" for t in tasks if t.state == "done"]
        items += [f"request {r}" for r in answered]
    items += [f"request {r} (supervision)" for r in escalated]
    return items


def carried_over(previous: Meeting | None, current: Meeting) -> list[str]:
    """Items on the agenda of two joint meetings in a row."""
    if previous is None:
        return []
    return [item for item in current.agenda if item in previous.agenda]


def minutes_markdown(meeting: Meeting, tasks: list[Task]) -> str:
    verified = [t for t in tasks if t.verified_at_meeting == meeting.id]
    closed = [
        f"- task {t.id}: {t.title} (owner {t.owner}, verified by {t.verified_by}; "
        f"evidence: {t.evidence})"
        for t in verified
    ]
    lines = [
        f"# Minutes: {meeting.kind.replace('_', ' ')} meeting {meeting.id}, {meeting.held_on}",
        "",
        "Attendees: " + ", ".join(meeting.attendees),
        "",
        "## Agenda",
        "",
        *[f"- {item}" for item in meeting.agenda or ["(nothing open)"]],
        "",
        "## Decisions",
        "",
        *[f"- {decision}" for decision in meeting.decisions or ["(none)"]],
        "",
        "## Verified and closed (验收销号)",
        "",
        *(closed or ["- (none)"]),
    ]
    return "\n".join(lines) + "\n"


__all__ = ["KINDS", "Meeting", "Task", "agenda_for", "carried_over", "minutes_markdown"]
