"""The gateway on a real store (SQLite and PostgreSQL): once-only, all-or-nothing, quarantine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from hubport.adapters import tables
from hubport.adapters.database import install_site, migrate
from hubport.adapters.edi.folders import ensure_partner, scan
from hubport.adapters.edi.partners import PartnerProfile
from hubport.adapters.edi.store import EdiRecord
from hubport.adapters.site_file import read_site_file
from hubport.domain.customs import Leg
from hubport.domain.places import WagonSlot
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services.edi_gateway import Gateway
from hubport.services.edi_speakers import Speaker
from hubport.twin.partners import discharge_order
from hubport.twin.traffic import InboundTrain
from tests.conftest import T0, box, train
from tests.integration.test_store import make_bus
from tests.unit.adapters.edi.messages import NUMBERS, coprar, line

HUB = frozenset({"CNJGJ"})
#: An operator relaying a partner's file, and the customs office's own account.
RELAY = Speaker("api", "operator-user", "operator")
OFFICE = Speaker("api", "cqjj-edi", "customs")


@pytest.fixture
def gateway(engine: Engine) -> Iterator[Gateway]:
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    yield Gateway(make_bus(engine), EdiRecord(engine), HUB)


def snapshot(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as connection:
        boxes = connection.execute(
            select(tables.containers.c.number, tables.containers.c.gross_mass_kg).order_by(
                tables.containers.c.number
            )
        ).all()
        events = connection.execute(select(func.count()).select_from(tables.events)).scalar()
    return tuple(boxes), events


def test_discharge_order_announces_its_boxes_once(gateway: Gateway, engine: Engine) -> None:
    text = coprar(line(NUMBERS[0]), line(NUMBERS[1], "45G1", 24_000))
    first = gateway.receive(text, "a.edi", speaker=RELAY)
    assert first.status == "applied" and first.announced == [NUMBERS[0], NUMBERS[1]]
    after_first = snapshot(engine)
    second = gateway.receive(text, "a-again.edi", speaker=RELAY)
    assert second.status == "repeat"
    assert snapshot(engine) == after_first


def test_dry_run_says_what_would_change_and_changes_nothing(
    gateway: Gateway, engine: Engine
) -> None:
    before = snapshot(engine)
    receipt = gateway.receive(coprar(line(NUMBERS[0])), "a.edi", dry_run=True, speaker=RELAY)
    assert receipt.status == "would apply" and receipt.announced == [NUMBERS[0]]
    assert snapshot(engine) == before
    assert gateway.record.list() == []


def test_replacement_message_is_applied_as_an_update(gateway: Gateway, engine: Engine) -> None:
    gateway.receive(coprar(line(NUMBERS[0], mass=18_000)), "a.edi", speaker=RELAY)
    receipt = gateway.receive(
        coprar(line(NUMBERS[0], mass=21_500), function="5", reference="101"), "b.edi", speaker=RELAY
    )
    assert receipt.status == "applied" and receipt.updated == [NUMBERS[0]]
    boxes, _events = snapshot(engine)
    assert boxes == ((NUMBERS[0], 21_500),)


def test_same_references_with_other_content_are_refused(gateway: Gateway, engine: Engine) -> None:
    gateway.receive(coprar(line(NUMBERS[0], mass=18_000)), "a.edi", speaker=RELAY)
    before = snapshot(engine)
    receipt = gateway.receive(coprar(line(NUMBERS[0], mass=19_000)), "b.edi", speaker=RELAY)
    assert receipt.status == "quarantined"
    assert "already applied with other content" in receipt.problems[0]
    assert snapshot(engine) == before


def test_one_bad_line_rejects_the_whole_message(gateway: Gateway, engine: Engine) -> None:
    before = snapshot(engine)
    text = coprar(line(NUMBERS[0]), line(NUMBERS[1], "22G1", 45_000))
    receipt = gateway.receive(text, "heavy.edi", speaker=RELAY)
    assert receipt.status == "quarantined"
    assert receipt.problems == [
        f"message 1, segment 8 EQD: {NUMBERS[1]}: gross mass 45000 kg is outside "
        "1100..30480 kg for a 22G1"
    ]
    assert snapshot(engine) == before
    quarantined = gateway.record.list(status="quarantined")
    assert [entry.file_name for entry in quarantined] == ["heavy.edi"]
    assert quarantined[0].raw == text


def test_fixed_resubmission_resolves_the_quarantined_copy(gateway: Gateway) -> None:
    gateway.receive(coprar(line(NUMBERS[0], mass=45_000)), "bad.edi", speaker=RELAY)
    receipt = gateway.receive(coprar(line(NUMBERS[0], mass=25_000)), "fixed.edi", speaker=RELAY)
    assert receipt.status == "applied"
    assert gateway.record.list(status="quarantined") == []
    assert [entry.file_name for entry in gateway.record.list(status="resolved")] == ["bad.edi"]


def test_an_update_with_a_bad_size_type_names_its_segment(gateway: Gateway, engine: Engine) -> None:
    gateway.receive(coprar(line(NUMBERS[0], "22R1", temperature_c=-18.0)), "a.edi", speaker=RELAY)
    before = snapshot(engine)
    receipt = gateway.receive(
        coprar(line(NUMBERS[0], "20X1"), reference="102"), "b.edi", speaker=RELAY
    )
    assert receipt.status == "quarantined"
    assert "segment 5 EQD" in receipt.problems[0] and "20X1" in receipt.problems[0]
    assert snapshot(engine) == before


def test_partner_folder_file_is_processed_exactly_once(
    gateway: Gateway, engine: Engine, tmp_path: Path
) -> None:
    inbox, _outbox = ensure_partner(tmp_path, "CRCT")
    (inbox / "one.edi").write_text(coprar(line(NUMBERS[0])))
    (inbox / "bad.edi").write_text(coprar(line(NUMBERS[1], mass=99_000), reference="7"))
    (inbox / ".partial.edi").write_text("UNB")
    receipts = scan(gateway.receive_from_folder, tmp_path)
    assert sorted(r.status for r in receipts) == ["applied", "quarantined"]
    assert (inbox / "done" / "one.edi").exists()
    assert "gross mass 99000 kg" in (inbox / "quarantine" / "bad.edi.report.txt").read_text()
    assert (inbox / ".partial.edi").exists()
    after = snapshot(engine)
    # A crash after applying but before the move leaves the file in the inbox.
    (inbox / "one.edi").write_text(coprar(line(NUMBERS[0])))
    again = scan(gateway.receive_from_folder, tmp_path)
    assert [r.status for r in again] == ["repeat"]
    assert snapshot(engine) == after
    assert scan(gateway.receive_from_folder, tmp_path) == []


def test_damaged_messages_change_nothing_when_rejected(gateway: Gateway, engine: Engine) -> None:
    import random

    from hubport.adapters.edi.mutations import mutate

    rng = random.Random(7)
    original = coprar(*(line(number) for number in NUMBERS), reference="900")
    rejected = 0
    for _ in range(60):
        text, _kind = mutate(original, rng)
        before = snapshot(engine)
        receipt = gateway.receive(text, "fuzz.edi", speaker=RELAY)
        if receipt.status == "quarantined":
            rejected += 1
            assert receipt.problems and snapshot(engine) == before
    assert rejected > 30


def test_a_nul_character_is_quarantined_and_kept(gateway: Gateway, engine: Engine) -> None:
    text = coprar(line(NUMBERS[0])).replace("X1-DO", "X1\x00DO")
    receipt = gateway.receive(text, "nul.edi", speaker=RELAY)
    assert receipt.status == "quarantined"
    assert any("control character U+0000" in problem for problem in receipt.problems)
    (kept,) = gateway.record.list(status="quarantined")
    assert kept.raw == text.replace("\x00", "\ufffd")


def test_a_discharge_order_for_a_train_on_its_track_becomes_crane_work(
    gateway: Gateway, engine: Engine
) -> None:
    visit = train("IN7", wagons=3)
    consist = tuple((box(i), WagonSlot("IN7", i + 1, "A")) for i in range(3))
    order = discharge_order(InboundTrain(visit, 0.0, consist), "CNJGJ", 7, "HUBPORT", T0)
    before = gateway.receive(order, "early.edi", speaker=RELAY)
    assert before.status == "applied" and before.crane_jobs == []
    assert before.notes == ["discharge order for train IN7: no such train visit"]

    gateway.bus.handle(commands.RegisterTrain(visit))
    lines = tuple((container.number, slot) for container, slot in consist)
    gateway.bus.handle(commands.ArriveTrain("IN7", "T1", lines))
    again = gateway.receive(
        order, "again.edi", speaker=RELAY
    )  # the same order, now the train stands here
    assert again.status == "repeat"
    assert again.crane_jobs == [f"IN7:discharge:{c.number.value}" for c, _ in consist]
    with gateway.bus.uow_factory() as uow:
        planned = {job.number for job in uow.crane_jobs.open_jobs()}
    assert planned == {container.number.value for container, _ in consist}
    assert (
        gateway.receive(order, "third.edi", speaker=RELAY).crane_jobs == again.crane_jobs
    )  # once only
    with gateway.bus.uow_factory() as uow:
        assert len(uow.crane_jobs.open_jobs()) == 3


def test_a_partner_profile_turns_a_deviation_into_a_warning(engine: Engine) -> None:
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    text = coprar(line(NUMBERS[0])).replace("+HUBPORT+", "++", 1)
    assert "UNB+UNOC:3+CRCT++" in text
    lenient = Gateway(make_bus(engine), EdiRecord(engine), HUB)
    accepted = lenient.receive(text, "no-recipient.edi", speaker=RELAY)
    assert accepted.status == "applied" and accepted.announced == [NUMBERS[0]]
    assert accepted.warnings == [
        "segment 1 UNB: UNB has no recipient (accepted: empty-recipient, default)"
    ]
    strict = Gateway(
        make_bus(engine),
        EdiRecord(engine),
        HUB,
        profiles=lambda partner: PartnerProfile(partner, frozenset(), "strict.toml"),
    )
    refused = strict.receive(
        text.replace("+100'", "+101'").replace("UNZ+1+100", "UNZ+1+101"), speaker=RELAY
    )
    assert refused.status == "quarantined"
    assert refused.problems == ["segment 1 UNB: UNB has no recipient"]


def cusres(control: str, message_id: str, *body: str) -> str:
    """A CUSRES interchange from the customs office (hubport's profile)."""
    segments = [
        "UNH+1+CUSRES:D:96B:UN",
        f"BGM+962+{message_id}+9",
        "DTM+137:202612011030:203",
        *body,
    ]
    segments.append(f"UNT+{len(segments) + 1}+1")
    head = f"UNB+UNOC:3+CQJJ+HUBPORT+261201:1030+{control}'"
    return head + "'".join(segments) + f"'UNZ+1+{control}'"


def test_customs_responses_in_by_cusres_from_the_customs_office_only(engine: Engine) -> None:
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    bus = make_bus(engine)
    container = box(7)
    bus.handle(commands.AnnounceContainer(container))
    number = container.number.value
    legs = (Leg("rail", "LAVTE", "CNJGJ"),)
    bus.handle(customs.LodgeDeclaration("D7", "import", (container.number,), legs))
    bus.handle(customs.ReportArrival("D7"))

    def office(partner: str) -> PartnerProfile:
        return PartnerProfile(partner, source="CQJJ/profile.toml", role="customs")

    trader = Gateway(bus, EdiRecord(engine), HUB)
    hold = cusres("C1", "R1", "GIS+HLD", f"EQD+CN+{number}", "FTX+AAI+++documents missing")
    refused = trader.receive(hold, "hold.edi", speaker=OFFICE)
    assert refused.status == "quarantined"
    assert "its partner profile" in refused.problems[0]
    gateway = Gateway(bus, EdiRecord(engine), HUB, profiles=office)
    relayed = gateway.receive(hold, "hold-relayed.edi", speaker=RELAY)
    assert relayed.status == "quarantined"
    assert "operator-user (operator) may not send customs responses" in relayed.problems[0]
    held = gateway.receive(hold, "hold.edi", speaker=OFFICE)
    assert held.status == "applied" and held.notes == ["customs:R1: PlaceHold applied"]
    with bus.uow_factory() as uow:
        assert uow.inventory.get(number).container.customs_status.value == "held"
    lift = cusres("C2", "R2", "GIS+LFT", "RFF+ACW:R1")
    assert gateway.receive(lift, "lift.edi", speaker=OFFICE).status == "applied"
    release = cusres("C3", "R3", "GIS+RLS", "RFF+ABT:D7")
    released = gateway.receive(release, "release.edi", speaker=OFFICE)
    assert released.status == "applied", released.problems
    again = gateway.receive(
        cusres("C4", "R3", "GIS+RLS", "RFF+ABT:D7"), "again.edi", speaker=OFFICE
    )
    assert again.notes == ["customs:R3: ReleaseDeclaration again, nothing changed"]
    with bus.uow_factory() as uow:
        assert uow.customs.get("D7").state.value == "released"
    unknown = gateway.receive(cusres("C5", "R5", "GIS+XYZ"), "bad.edi", speaker=OFFICE)
    assert unknown.status == "quarantined" and "'XYZ' is not one of RLS" in unknown.problems[0]
    no_box = gateway.receive(cusres("C6", "R6", "GIS+HLD"), "no-box.edi", speaker=OFFICE)
    assert no_box.status == "quarantined" and "box" in no_box.problems[0]
