"""A request's life as data: the states, the transitions with the roles allowed to take
each, and the time a request may stay in each state before it is escalated to
supervision (督办). Read from ``park/request_life.toml``; the provincial 12345 hotline
rules give its shape (intake → dispatch → handling within a time limit → supervision →
callback → closing and archiving), DIGIT PGR's workflow its granularity.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from hubport.park.domain.errors import StateTableError


class RequestState(enum.StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    REOPENED = "reopened"
    RETURNED = "returned"


@dataclass(frozen=True)
class Transition:
    source: RequestState
    target: RequestState
    roles: frozenset[str]


@dataclass(frozen=True)
class StateTable:
    """Which state may follow which, who may move it, and how long each state may last."""

    transitions: Mapping[tuple[RequestState, RequestState], Transition]
    #: Time a request may stay in a state before supervision; absent: no limit.
    limits: Mapping[RequestState, timedelta]

    @classmethod
    def of(
        cls, transitions: Iterable[Transition], limits: Mapping[RequestState, timedelta]
    ) -> StateTable:
        table = {(t.source, t.target): t for t in transitions}
        reachable = {RequestState.RECEIVED} | {target for _, target in table}
        missing = set(RequestState) - reachable
        if missing:
            raise StateTableError(f"no transition reaches {', '.join(sorted(missing))}")
        return cls(table, dict(limits))

    def allows(self, source: RequestState, target: RequestState) -> Transition | None:
        return self.transitions.get((source, target))

    def next_states(self, source: RequestState) -> list[RequestState]:
        return [target for (s, target) in self.transitions if s == source]

    def check(self, source: RequestState, target: RequestState, role: str | None = None) -> None:
        """Raise naming why ``source → target`` (by ``role``) is not allowed."""
        from hubport.park.domain.errors import RequestRefused

        found = self.allows(source, target)
        if found is None:
            allowed = ", ".join(s.value for s in self.next_states(source)) or "nothing"
            raise RequestRefused(
                f"a request {source.value} cannot become {target.value} (it may become: {allowed})"
            )
        if role is not None and role != "admin" and role not in found.roles:
            raise RequestRefused(
                f"{role} may not move a request from {source.value} to {target.value} "
                f"(only {', '.join(sorted(found.roles))})"
            )


def state_named(text: str, where: str) -> RequestState:
    try:
        return RequestState(text)
    except ValueError:
        known = ", ".join(s.value for s in RequestState)
        raise StateTableError(f"{where}: unknown state {text!r} (one of {known})") from None


__all__ = ["RequestState", "StateTable", "Transition", "state_named"]
