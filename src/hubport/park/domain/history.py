"""A request's history as another system kept it (a park moving off spreadsheets),
checked against the state table: a broken history is refused, naming the request, the
event and the rule it breaks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hubport.park.domain.errors import ImportRefused, ParkError
from hubport.park.domain.life import RequestState, StateTable
from hubport.park.domain.requests import Request

#: The states an imported event may name (``received`` is the request's own start).
IMPORT_STATES = ("assigned", "claimed", "in_progress", "answered", "reopened", "returned", "closed")


@dataclass(frozen=True)
class KeptEvent:
    at: datetime
    state: str
    by: str


@dataclass(frozen=True)
class KeptRequest:
    id: str
    enterprise: str
    received: datetime
    deadline: datetime
    events: tuple[KeptEvent, ...]
    rating: int | None


def rebuild(table: StateTable, kept: KeptRequest, source: str) -> Request:
    """The request with its history replayed through the state table."""
    try:
        request = Request(kept.id, kept.enterprise, kept.received, kept.deadline)
    except ParkError as error:
        raise ImportRefused(f"request {kept.id!r}: {error}") from None
    for index, event in enumerate(kept.events, start=1):
        if event.state not in IMPORT_STATES:
            raise ImportRefused(
                f"request {kept.id!r}, event {index}: state {event.state!r} is not one of "
                f"{', '.join(IMPORT_STATES)}"
            )
        note = f"imported from {source}"
        try:
            request.move(table, RequestState(event.state), event.by, event.at, note=note)
        except ParkError as error:
            raise ImportRefused(f"request {kept.id!r}, event {index}: {error}") from None
    if request.state is RequestState.CLOSED:
        request.closing_reason, request.evidence = "imported", f"closed in {source}"
    # the department that worked it last is its lead (the file names who took each step)
    working = (
        RequestState.CLAIMED,
        RequestState.IN_PROGRESS,
        RequestState.ANSWERED,
        RequestState.RETURNED,
    )
    worked = [step.by for step in request.history if step.state in working]
    request.lead = worked[-1] if worked else None
    if kept.rating is not None:
        try:
            request.rate(kept.rating)
        except ParkError as error:
            raise ImportRefused(f"request {kept.id!r}: {error}") from None
    return request


def rebuild_all(table: StateTable, kept: Sequence[KeptRequest], source: str) -> list[Request]:
    """Every request, or ImportRefused naming each broken one (up to 10)."""
    requests, problems = [], []
    seen: set[str] = set()
    for item in kept:
        if item.id in seen:
            problems.append(f"request {item.id!r} appears twice")
            continue
        seen.add(item.id)
        try:
            requests.append(rebuild(table, item, source))
        except ImportRefused as error:
            problems.append(str(error))
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ImportRefused(
            f"{source}: {len(problems)} request(s) refused, nothing imported: "
            + "; ".join(problems[:10])
            + more
        )
    return requests


__all__ = ["IMPORT_STATES", "KeptEvent", "KeptRequest", "rebuild", "rebuild_all"]
