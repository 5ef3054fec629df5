"""An enterprise request (诉求) and its history: every state it went through, when and by
whom. Requests are never deleted; closing needs a reason and evidence; the requester
rates the outcome once it is closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hubport.park.domain.errors import RequestRefused
from hubport.park.domain.life import RequestState, StateTable

CHANNELS = ("hotline", "online", "joint_meeting", "dispatch_meeting", "onsite_office")
URGENCIES = ("normal", "urgent", "critical")


@dataclass(frozen=True)
class Step:
    """The request became ``state`` at ``at``, by ``by`` (a person or a department)."""

    at: datetime
    state: RequestState
    by: str
    note: str = ""


@dataclass
class Request:
    id: str
    enterprise: str
    received: datetime
    deadline: datetime
    channel: str = "online"
    category: str = ""
    urgency: str = "normal"
    project: str | None = None
    summary: str = ""
    lead: str | None = None
    supporting: tuple[str, ...] = ()
    history: list[Step] = field(default_factory=list)
    rating: int | None = None
    closing_reason: str = ""
    evidence: str = ""
    #: The states (and when they were entered) that supervision has taken up.
    escalated: list[tuple[RequestState, datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id or len(self.id) > 40:
            raise RequestRefused(f"request id {self.id!r} must be 1-40 characters")
        if not self.enterprise.strip():
            raise RequestRefused(f"request {self.id}: the enterprise is empty")
        if self.deadline < self.received:
            raise RequestRefused(
                f"request {self.id}: deadline {self.deadline:%Y-%m-%d %H:%M} is before its "
                f"receipt {self.received:%Y-%m-%d %H:%M}"
            )
        if self.channel not in CHANNELS:
            raise RequestRefused(f"channel {self.channel!r} is not one of {', '.join(CHANNELS)}")
        if self.urgency not in URGENCIES:
            raise RequestRefused(f"urgency {self.urgency!r} is not one of {', '.join(URGENCIES)}")

    @property
    def state(self) -> RequestState:
        return self.history[-1].state if self.history else RequestState.RECEIVED

    @property
    def entered(self) -> datetime:
        """When the request entered its present state."""
        return self.history[-1].at if self.history else self.received

    def ever(self, state: RequestState) -> bool:
        return any(step.state is state for step in self.history)

    def closed_at(self) -> datetime | None:
        """When it was last closed, if its last state is closed."""
        return self.history[-1].at if self.state is RequestState.CLOSED else None

    def move(
        self,
        table: StateTable,
        target: RequestState,
        by: str,
        at: datetime,
        role: str | None = None,
        note: str = "",
    ) -> Step:
        """Take the request to ``target``, as the state table allows ``role``."""
        if at < self.entered:
            raise RequestRefused(
                f"request {self.id}: {target.value} at {at:%Y-%m-%d %H:%M} is before its "
                f"{self.state.value} at {self.entered:%Y-%m-%d %H:%M}"
            )
        table.check(self.state, target, role)
        if target is RequestState.RETURNED:
            if not note.strip():
                raise RequestRefused(f"request {self.id}: a return names its reason")
            limit = table.limits.get(self.state)
            if limit is not None and at > self.entered + limit:
                raise RequestRefused(
                    f"request {self.id}: the time to return it ({limit.total_seconds() / 3600:g} h "
                    f"after it was {self.state.value}) has passed; it is the department's now"
                )
        step = Step(at, target, by, note)
        self.history.append(step)
        return step

    def close(
        self, table: StateTable, by: str, at: datetime, reason: str, evidence: str, role: str | None
    ) -> Step:
        """Verified and closed (验收销号): with its reason and its evidence."""
        if not reason.strip() or not evidence.strip():
            raise RequestRefused(f"request {self.id}: closing needs a reason and evidence")
        step = self.move(table, RequestState.CLOSED, by, at, role, reason)
        self.closing_reason, self.evidence = reason, evidence
        return step

    def rate(self, score: int) -> None:
        if not 1 <= score <= 5:
            raise RequestRefused(f"rating {score} is not from 1 to 5")
        if not self.ever(RequestState.CLOSED):
            raise RequestRefused(
                f"request {self.id} is rated once it is closed; it is {self.state.value}"
            )
        self.rating = score

    def overdue(self, table: StateTable, now: datetime) -> tuple[RequestState, timedelta] | None:
        """The state it has outstayed (and its limit), if supervision has not taken it up."""
        limit = table.limits.get(self.state)
        if limit is None or now <= self.entered + limit:
            return None
        if (self.state, self.entered) in self.escalated:
            return None
        return self.state, limit


__all__ = ["CHANNELS", "URGENCIES", "Request", "Step"]
