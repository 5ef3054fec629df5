"""The KPIs against a hand count on a small set of requests."""

from __future__ import annotations

import pytest

from hubport.park.adapters.import_file import parse_import
from hubport.park.adapters.life_file import read_state_table
from hubport.park.domain.errors import ImportRefused
from hubport.park.domain.history import rebuild_all
from hubport.park.domain.kpis import percentile, request_kpis

TABLE = read_state_table()


def _requests(*items: str) -> list:  # type: ignore[type-arg]
    text = '{"requests": [' + ",".join(items) + "]}"
    return rebuild_all(TABLE, parse_import(text), "test")


def _item(
    rid: str, received: str, deadline: str, states: list[tuple[str, str]], rating: str = "null"
) -> str:
    events = ",".join(f'{{"at": "{at}", "state": "{state}", "by": "x"}}' for at, state in states)
    return (
        f'{{"id": "{rid}", "enterprise": "E", "received": "{received}", '
        f'"deadline": "{deadline}", "events": [{events}], "rating": {rating}}}'
    )


CLOSED_ON_TIME = _item(
    "A",
    "2026-11-02T09:00",
    "2026-11-12T17:00",
    [
        ("2026-11-02T10:00", "assigned"),
        ("2026-11-02T15:00", "claimed"),
        ("2026-11-05T10:00", "answered"),
        ("2026-11-06T09:00", "closed"),
    ],
    "5",
)
CLOSED_LATE_REOPENED = _item(
    "B",
    "2026-11-03T09:00",
    "2026-11-06T17:00",
    [
        ("2026-11-03T10:00", "assigned"),
        ("2026-11-03T11:00", "claimed"),
        ("2026-11-07T10:00", "answered"),
        ("2026-11-08T10:00", "reopened"),
        ("2026-11-09T10:00", "answered"),
        ("2026-11-13T09:00", "closed"),
    ],
    "3",
)
RETURNED = _item(
    "C",
    "2026-11-04T09:00",
    "2026-11-20T17:00",
    [("2026-11-04T10:00", "assigned"), ("2026-11-04T12:00", "returned")],
)
OPEN = _item("D", "2026-11-20T09:00", "2026-12-05T17:00", [("2026-11-20T10:00", "assigned")])


def test_the_kpis_equal_a_hand_count() -> None:
    kpis = request_kpis(_requests(CLOSED_ON_TIME, CLOSED_LATE_REOPENED, RETURNED, OPEN))
    assert (kpis.received, kpis.closed, kpis.returned, kpis.rated) == (4, 2, 1, 2)
    assert kpis.completion_rate == pytest.approx(2 / 3)  # 2 closed of 4 less 1 returned
    assert kpis.on_time_rate == pytest.approx(1 / 2)  # A by its deadline, B after
    assert kpis.satisfaction == pytest.approx(1 / 2)  # a 5 and a 3
    assert kpis.reopen_rate == pytest.approx(1 / 4)  # B
    assert kpis.mean_days_to_close == pytest.approx((4.0 + 10.0) / 2)  # A 4 days, B 10
    assert kpis.p90_days_to_close == pytest.approx(10.0)


def test_a_rate_without_a_denominator_is_named() -> None:
    kpis = request_kpis(_requests(OPEN))
    assert kpis.on_time_rate == 0.0 and "on_time_rate" in kpis.undefined
    assert "satisfaction" in kpis.undefined and "completion_rate" not in kpis.undefined


def test_the_nearest_rank_percentile() -> None:
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert percentile([], 0.9) == 0.0


@pytest.mark.parametrize(
    ("item", "named"),
    [
        (
            _item("X", "2026-11-02T09:00", "2026-11-12T17:00", [("2026-11-02T10:00", "closed")]),
            "request 'X', event 1: a request received cannot become closed",
        ),
        (
            _item(
                "X",
                "2026-11-02T09:00",
                "2026-11-12T17:00",
                [("2026-11-02T10:00", "assigned"), ("2026-11-02T09:30", "claimed")],
            ),
            "request 'X', event 2: .* is before its assigned",
        ),
        (
            _item("X", "2026-11-02T09:00", "2026-11-12T17:00", [("2026-11-02T10:00", "done")]),
            "state 'done' is not one of",
        ),
        (
            _item("X", "2026-11-02T09:00", "2026-11-01T17:00", []),
            "deadline .* is before its receipt",
        ),
        (
            _item(
                "X", "2026-11-02T09:00", "2026-11-12T17:00", [("2026-11-02T10:00", "assigned")], "5"
            ),
            "rated once it is closed",
        ),
        (
            _item("X", "2026-11-02T09:00", "2026-11-12T17:00", [], "7"),
            "rating 7 is not from 1 to 5",
        ),
    ],
)
def test_a_broken_history_is_refused_by_name(item: str, named: str) -> None:
    with pytest.raises(ImportRefused, match=named):
        _requests(CLOSED_ON_TIME, item)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[]", 'expected {"requests"'),
        ('{"requests": [{"enterprise": "E"}]}', "request #1: no id"),
        (
            '{"requests": [{"id": "A", "enterprise": "E", "received": "yesterday"}]}',
            "'yesterday' is not an ISO",
        ),
        ("{", "not JSON"),
    ],
)
def test_a_malformed_file_is_refused_by_name(text: str, named: str) -> None:
    with pytest.raises(ImportRefused, match=named):
        parse_import(text)


def test_a_request_twice_in_a_file_is_refused() -> None:
    with pytest.raises(ImportRefused, match="'A' appears twice"):
        _requests(CLOSED_ON_TIME, CLOSED_ON_TIME)
