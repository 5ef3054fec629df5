"""What each message asks of the hub: advices, next legs, and what is only recorded."""

from __future__ import annotations

from datetime import datetime

from hubport.adapters.edi.documents import Document, Equipment, decode
from hubport.adapters.edi.inbound import interpret
from hubport.adapters.edi.syntax import read_interchange
from hubport.domain.container import LegMode
from hubport.domain.hub_time import HUB_TIME
from tests.unit.adapters.edi.messages import NUMBERS, coprar, line

HUB = frozenset({"CNJGJ"})


def document_of(text: str) -> Document:
    return decode(read_interchange(text).messages[0])


def test_loading_order_gives_each_box_the_train_as_next_leg() -> None:
    text = coprar(line(NUMBERS[0], destination="CNQZH"), code="45", train="XD001OUT")
    intent, problems = interpret(document_of(text), HUB)
    assert problems == []
    (advice,) = intent.advices
    assert advice.next_leg is not None
    assert (advice.next_leg.mode, advice.next_leg.reference, advice.next_leg.destination) == (
        LegMode.RAIL,
        "XD001OUT",
        "CNQZH",
    )


def test_on_carriage_is_the_next_leg_in_hub_time() -> None:
    due = datetime(2026, 12, 1, 20, 0)
    onward = line(NUMBERS[0], onward_mode="8", onward_reference="BARGE7", onward_due=due)
    intent, _ = interpret(document_of(coprar(onward)), HUB)
    leg = intent.advices[0].next_leg
    assert leg is not None and leg.mode is LegMode.RIVER and leg.reference == "BARGE7"
    assert leg.due == due.replace(tzinfo=HUB_TIME)


def test_bayplan_takes_only_the_boxes_for_this_hub() -> None:
    ours = Equipment(
        NUMBERS[0],
        "45G1",
        full=True,
        position="0100102",
        discharge_place="CNJGJ",
        gross_mass_kg=20_000,
    )
    theirs = Equipment(
        NUMBERS[1],
        "45G1",
        full=True,
        position="0100104",
        discharge_place="CNSHA",
        gross_mass_kg=20_000,
    )
    document = Document("BAPLIE", "D.95B", "", "B1", "9", voyage="V1", equipment=(ours, theirs))
    intent, problems = interpret(document, HUB)
    assert problems == [] and [a.number.value for a in intent.advices] == [NUMBERS[0]]
    assert "2 containers, 1 for this hub" in intent.summary


def test_reports_from_partners_are_recorded_not_applied() -> None:
    document = Document("CODECO", "D.95B", "34", "G1", "9", equipment=(line(NUMBERS[0]),))
    intent, problems = interpret(document, HUB)
    assert problems == [] and intent.advices == ()


def test_cancellation_is_left_to_an_operator() -> None:
    intent, problems = interpret(document_of(coprar(line(NUMBERS[0]), function="1")), HUB)
    assert intent.advices == ()
    assert "cancellation (BGM function 1) is not applied automatically" in str(problems[0])


def test_a_box_twice_in_one_message_is_refused_at_its_second_line() -> None:
    _intent, problems = interpret(document_of(coprar(line(NUMBERS[0]), line(NUMBERS[0]))), HUB)
    assert [str(problem) for problem in problems] == [
        f"message 1, segment 8 EQD: container {NUMBERS[0]} appears twice (first at segment 5)"
    ]


def test_full_box_without_mass_cannot_be_announced() -> None:
    intent, problems = interpret(document_of(coprar(line(NUMBERS[0], mass=None))), HUB)
    assert intent.advices[0].gross_mass_kg is None
    assert problems == []  # known boxes keep their mass; a new one is refused when applied
