"""A shipper never learns that another party's box exists: not in a declaration's list of
boxes, not in an event's text or payload, not in an error message."""

from __future__ import annotations

from hubport.domain.customs import Leg
from hubport.domain.places import WagonSlot, YardSlot
from hubport.services import commands
from hubport.services import customs_commands as customs
from tests.conftest import box, train
from tests.integration.app_hub import THEIRS, Api

OWN, OTHER = box(31, operator="MSK"), box(32, operator="COS")


def _shared_declaration_reported_by_the_other_box(api: Api) -> str:
    """A declaration holding a box of MSK and one of COS, whose arrival report the COS box
    issues as it is set down in the yard; answers the slot it was set down at."""
    bus = api.hub.bus
    bus.handle(commands.RegisterTrain(train("T200", wagons=2)))
    for container in (OWN, OTHER):
        bus.handle(commands.AnnounceContainer(container))
    legs = (Leg("rail", "LAVTE", "CNJGJ"),)
    bus.handle(customs.LodgeDeclaration("D2", "import", (OWN.number, OTHER.number), legs))
    consist = ((OWN.number, WagonSlot("T200", 1, "A")), (OTHER.number, WagonSlot("T200", 2, "A")))
    bus.handle(commands.ArriveTrain("T200", "T2", consist))
    slot = YardSlot("B", 7, 2, 1)
    bus.handle(commands.MoveContainer(OTHER.number, slot))
    return str(slot)


def test_a_shipper_reads_its_box_without_the_other_boxes_of_its_declaration(api: Api) -> None:
    slot = _shared_declaration_reported_by_the_other_box(api)
    staff = api.get(f"/api/containers/{OWN.number}", "operator").text
    assert str(OTHER.number) in staff and slot in staff  # the staff see it all
    answer = api.get(f"/api/containers/{OWN.number}", "shipper")
    assert answer.status_code == 200
    record = answer.json()
    (declaration,) = record["customs_record"]["declarations"]
    assert declaration["boxes"] == [str(OWN.number)]
    assert str(OTHER.number) not in answer.text and slot not in answer.text
    reasons = [item["detail"] for item in record["history"]]
    assert "arrived: arrival report" in reasons


def test_a_shippers_event_stream_names_no_other_partys_box_nor_its_slot(api: Api) -> None:
    slot = _shared_declaration_reported_by_the_other_box(api)
    stream = api.get("/api/events?follow=false", "shipper").text
    assert str(OWN.number) in stream
    for foreign in (str(OTHER.number), str(THEIRS.number), slot):
        assert foreign not in stream


def test_cancelling_another_partys_appointment_is_not_found_and_names_nothing_of_it(
    api: Api,
) -> None:
    body = {
        "appointment": "THEIRS-1",
        "plate": "渝B1",
        "kind": "collect",
        "box": str(THEIRS.number),
    }
    booked = api.post("/api/appointments", "operator", json=body | {"at": "2026-12-01T11:00"})
    assert booked.status_code == 201
    refused = api.post("/api/appointments/THEIRS-1/cancel", "shipper")
    unknown = api.post("/api/appointments/NOPE-1/cancel", "shipper")
    assert refused.status_code == unknown.status_code == 404
    assert str(THEIRS.number) not in refused.text
    assert refused.json()["error"]["message"].replace("THEIRS-1", "X") == unknown.json()["error"][
        "message"
    ].replace("NOPE-1", "X")
    assert api.hub.queries.appointment("THEIRS-1")["state"] == "booked"
