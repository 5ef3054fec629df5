"""The request's life as the shipped state table has it: every transition it lists is
taken by a role it allows, every other one is refused with the reason."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hubport.domain.hub_time import HUB_TIME
from hubport.park.adapters.life_file import read_state_table
from hubport.park.domain.errors import RequestRefused
from hubport.park.domain.life import RequestState
from hubport.park.domain.requests import Request

TABLE = read_state_table()
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=HUB_TIME)
ALL = list(RequestState)
#: How to bring a new request to each state (the shortest path the table allows).
PATHS = {
    RequestState.RECEIVED: [],
    RequestState.ASSIGNED: ["assigned"],
    RequestState.CLAIMED: ["assigned", "claimed"],
    RequestState.IN_PROGRESS: ["assigned", "in_progress"],
    RequestState.ANSWERED: ["assigned", "claimed", "answered"],
    RequestState.CLOSED: ["assigned", "claimed", "answered", "closed"],
    RequestState.REOPENED: ["assigned", "claimed", "answered", "reopened"],
    RequestState.RETURNED: ["assigned", "returned"],
}


def _at(state: RequestState) -> Request:
    request = Request("R1", "E1", T0, T0 + timedelta(days=15))
    for hour, name in enumerate(PATHS[state], start=1):
        request.move(TABLE, RequestState(name), "test", T0 + timedelta(hours=hour), note="why")
    assert request.state is state
    return request


@pytest.mark.parametrize(
    ("source", "target"), [(s, t) for s in ALL for t in ALL], ids=lambda s: s.value
)
def test_each_transition_is_taken_or_refused_as_the_table_says(
    source: RequestState, target: RequestState
) -> None:
    request = _at(source)
    allowed = TABLE.allows(source, target)
    at = T0 + timedelta(days=1)
    if allowed is None:
        with pytest.raises(RequestRefused, match=f"{source.value} cannot become {target.value}"):
            request.move(TABLE, target, "test", at, note="why")
        assert request.state is source
        return
    role = sorted(allowed.roles)[0]
    request.move(TABLE, target, "test", at, role=role, note="why")
    assert request.state is target
    others = {"park-admin", "department", "enterprise"} - allowed.roles
    for other in others:
        again = _at(source)
        with pytest.raises(RequestRefused, match=f"{other} may not move"):
            again.move(TABLE, target, "test", at, role=other, note="why")


def test_a_return_needs_its_reason_and_a_close_its_evidence() -> None:
    with pytest.raises(RequestRefused, match="a return names its reason"):
        _at(RequestState.ASSIGNED).move(TABLE, RequestState.RETURNED, "tax", T0 + timedelta(days=1))
    answered = _at(RequestState.ANSWERED)
    with pytest.raises(RequestRefused, match="closing needs a reason and evidence"):
        answered.close(TABLE, "joint meeting", T0 + timedelta(days=2), "done", "", "park-admin")
    answered.close(TABLE, "joint meeting", T0 + timedelta(days=2), "done", "minutes JM-47", None)
    assert answered.state is RequestState.CLOSED


def test_a_step_before_the_last_is_refused() -> None:
    request = _at(RequestState.CLAIMED)
    with pytest.raises(RequestRefused, match="is before its claimed"):
        request.move(TABLE, RequestState.IN_PROGRESS, "x", T0)


def test_a_request_outstays_its_state_once() -> None:
    request = _at(RequestState.ASSIGNED)  # a day to claim it
    entered = request.entered
    assert request.overdue(TABLE, entered + timedelta(hours=24)) is None
    outstayed = request.overdue(TABLE, entered + timedelta(hours=25))
    assert outstayed == (RequestState.ASSIGNED, timedelta(hours=24))
    request.escalated.append((RequestState.ASSIGNED, entered))
    assert request.overdue(TABLE, entered + timedelta(hours=30)) is None


def test_only_a_closed_request_is_rated_from_one_to_five() -> None:
    with pytest.raises(RequestRefused, match="rated once it is closed"):
        _at(RequestState.ANSWERED).rate(5)
    closed = _at(RequestState.CLOSED)
    with pytest.raises(RequestRefused, match="rating 6 is not from 1 to 5"):
        closed.rate(6)
    closed.rate(4)
    assert closed.rating == 4


def test_a_department_returns_a_request_only_within_the_time_limit() -> None:
    late = _at(RequestState.ASSIGNED)
    with pytest.raises(RequestRefused, match=r"the time to return it \(24 h"):
        late.move(
            TABLE, RequestState.RETURNED, "tax", late.entered + timedelta(hours=25), note="not ours"
        )
    in_time = _at(RequestState.ASSIGNED)
    in_time.move(
        TABLE, RequestState.RETURNED, "tax", in_time.entered + timedelta(hours=2), note="not ours"
    )
    assert in_time.state is RequestState.RETURNED
