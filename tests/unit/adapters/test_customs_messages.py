"""The arrival report out (single-window JSON and CUSCAR-style EDIFACT) and customs'
responses in."""

from __future__ import annotations

from datetime import datetime

import pytest

from hubport.adapters.customs_messages import (
    CustomsMessageError,
    arrival_report_edifact,
    arrival_report_json,
)
from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.services import customs_commands as customs
from hubport.services.customs_responses import response_command

DECLARATION = {
    "declaration": "X001I2-RIV",
    "state": "arrived",
    "office": "CQJJ",
    "boxes": ["CSQU3054383", "MSCU1234566"],
    "arrived_at": "2026-12-01T11:09:50+08:00",
}
RAIL = {"mode": "rail", "visit": "X001I2"}


def test_the_json_arrival_report_carries_the_single_window_fields() -> None:
    report = arrival_report_json(DECLARATION, RAIL, "HUBPORT", "CNJGJ")
    assert report["message_type"] == "ARRIVAL_REPORT" and report["customs_office"] == "CQJJ"
    assert report["transport_means"] == RAIL and report["location"] == "CNJGJ"
    assert report["arrival_time"] == DECLARATION["arrived_at"]
    assert report["containers"] == DECLARATION["boxes"]


def test_no_report_before_the_arrival() -> None:
    with pytest.raises(CustomsMessageError, match="has no arrival report yet"):
        arrival_report_json(
            {**DECLARATION, "arrived_at": None, "state": "lodged"}, RAIL, "H", "CNJGJ"
        )


def test_the_edifact_arrival_report_is_a_valid_cuscar_with_its_boxes() -> None:
    report = arrival_report_json(DECLARATION, RAIL, "HUBPORT", "CNJGJ")
    text = arrival_report_edifact(report, "CNCUSTOMS", datetime(2026, 12, 1, 12, tzinfo=HUB_TIME))
    interchange = read_interchange(text)
    assert validate(interchange) == []
    (document,) = [decode(message) for message in interchange.messages]
    assert (document.type, document.code) == ("CUSCAR", "98")
    assert [line.number for line in document.equipment] == DECLARATION["boxes"]
    assert document.place("60") == "CNJGJ" and document.voyage == "X001I2"


def test_a_customs_response_becomes_its_command_keyed_by_its_message_id() -> None:
    release = response_command('{"message_id": "CQ-1", "action": "release", "declaration": "D1"}')
    assert isinstance(release, customs.ReleaseDeclaration) and release.role == "customs"
    assert release.idempotency_key == "customs:CQ-1"
    hold = response_command(
        '{"message_id": "CQ-2", "action": "hold", "box": "CSQU3054383", "hold": "H1"}'
    )
    assert isinstance(hold, customs.PlaceHold) and hold.number.value == "CSQU3054383"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ('{"action": "release"}', "message_id: missing"),
        ('{"message_id": "x", "action": "burn"}', "action: 'burn' is not one of"),
        ('{"message_id": "x", "action": "hold", "box": "CSQU3054384", "hold": "H"}', "check digit"),
    ],
)
def test_a_broken_response_is_refused_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(HubportError, match=message):
        response_command(text)
