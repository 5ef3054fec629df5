"""The data linkage end to end: a COPRAR announces a train's boxes, the demo discharges
them, and the COARRI reports exactly those boxes with the yard slots they went to."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine

from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate
from hubport.adapters.event_log import read_events
from hubport.domain.events import ContainerMoved
from hubport.domain.places import Spreader, WagonSlot, YardSlot
from tests.e2e.test_cli import run


def read(path: Path) -> list:  # type: ignore[type-arg]
    interchange = read_interchange(path.read_text(encoding="utf-8"))
    assert validate(interchange) == []
    return [decode(message) for message in interchange.messages]


def test_discharge_order_in_discharge_report_out(
    after_a_day: dict[str, str], tmp_path: Path
) -> None:
    env = after_a_day
    railway = tmp_path / "var" / "edi" / "CRCT"
    (order,) = read(railway / "in" / "done" / "COPRAR-X001I1.edi")
    (report,) = read(railway / "out" / "COARRI-X001I1.edi")
    assert (order.code, report.code) == ("121", "44")
    announced = {line.number: line.position for line in order.equipment}
    reported = {line.number: (line.position, line.yard_position) for line in report.equipment}
    assert set(reported) == set(announced) and len(announced) == 40
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'hubport.db'}")
    lifts: dict[str, ContainerMoved] = {}
    set_downs: dict[str, ContainerMoved] = {}
    with engine.connect() as connection:
        for logged in read_events(connection):
            event = logged.event
            if not isinstance(event, ContainerMoved):
                continue
            number = event.number.value
            if isinstance(event.origin, WagonSlot) and event.origin.train == "X001I1":
                assert isinstance(event.destination, Spreader)  # lifted, then set down
                lifts[number] = event
            elif number in lifts and number not in set_downs:
                set_downs[number] = event
    engine.dispose()
    for number, (wagon_spot, yard) in reported.items():
        lift, landing = lifts[number], set_downs[number]
        assert isinstance(landing.destination, YardSlot) and landing.at > lift.at
        slot = landing.destination
        assert yard == f"{slot.block}-{slot.bay:02d}-{slot.row:02d}-{slot.tier}"
        origin = lift.origin
        assert isinstance(origin, WagonSlot)
        assert wagon_spot == announced[number] == f"{origin.wagon:02d}{origin.spot}"

    again = run(env, "edi", "import", str(railway / "in" / "done" / "COPRAR-X001I1.edi"))
    assert "repeat" in again.stdout and "nothing changed" in again.stdout
    assert "sound" in run(env, "check").stdout

    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'hubport.db'}")
    with engine.connect() as connection:
        loaded = {
            event.number.value
            for event in (logged.event for logged in read_events(connection))
            if isinstance(event, ContainerMoved)
            and isinstance(event.destination, WagonSlot)
            and event.destination.train == "X001O1"
        }
    engine.dispose()
    assert len(loaded) >= 35  # of the 41 booked: those that came in time
    exports = {
        "COARRI": ("--visit", "X001O1", "46", len(loaded)),  # the train's loading report
        "COPRAR": ("--visit", "X001O1", "45", 41),  # the loading order: every box booked
        "BAPLIE": ("--visit", "X001O1", "", len(loaded)),
        "CODECO": ("--since", "2026-12-01T00:00", "34", None),
        "IFTSTA": ("--since", "2026-12-01T00:00", "23", None),
    }
    milestones = tmp_path / "train-status.edi"
    run(env, "edi", "export", "IFTSTA", "--visit", "X001I1", "-o", str(milestones))
    (status,) = read(milestones)
    assert sorted(line.event for line in status.equipment) == ["ARR"] * 40 + ["DIS"] * 40
    for message_type, (option, value, code, boxes) in exports.items():
        target = tmp_path / f"{message_type}.edi"
        run(env, "edi", "export", message_type, option, value, "--to", "CRCT", "-o", str(target))
        documents = read(target)
        assert documents and documents[0].type == message_type and documents[0].code == code
        if boxes is not None:
            assert sum(len(document.equipment) for document in documents) == boxes


def test_watch_processes_a_dropped_file_once(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    inbox = tmp_path / "var" / "edi" / "LBCT" / "in"
    inbox.mkdir(parents=True)
    # the terminal writes LBCTI as its UNB sender: its folder's profile says so
    (inbox.parent / "profile.toml").write_text('senders = ["LBCTI"]\n')
    sample = Path(__file__).parents[1] / "data" / "edi" / "BAPLIE_D95B_SMDG20_php-edifact.edi"
    (inbox / "bayplan.edi").write_text(sample.read_text())
    first = run(env, "edi", "watch", "--once").stdout
    assert "recorded" in first and (inbox / "done" / "bayplan.edi").exists()
    assert "bayplan" not in run(env, "edi", "watch", "--once").stdout


def test_rejected_import_exits_non_zero_and_quarantines(env: dict[str, str]) -> None:
    run(env, "init")
    sample = Path(__file__).parents[1] / "data" / "edi" / "CODECO_D95B_SMDG16_smartdatamodels.edi"
    result = run(env, "edi", "import", str(sample), "--json", check=False)
    assert result.returncode == 1
    assert "TESI1120274" in result.stdout and '"quarantined"' in result.stdout
    listed = run(env, "edi", "quarantine").stdout
    assert "ESHUV" in listed and "CODECO" in listed


def test_an_outbound_train_leaves_as_planned_and_its_loading_report_says_so(
    after_a_day: dict[str, str], tmp_path: Path
) -> None:
    """Discharge, yard, load plan, loading and departure: every box of the plan rides on
    its planned wagon slot, the COARRI lists exactly those boxes there, and the store is
    sound."""

    from sqlalchemy import select

    from hubport.adapters import tables

    env = after_a_day
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'hubport.db'}")
    with engine.connect() as connection:
        stored = connection.execute(
            select(tables.inbox.c.result).where(
                tables.inbox.c.idempotency_key == "runtime:load:X001O2"
            )
        ).scalar_one()
        loaded = {
            event.number.value: event.destination
            for event in (logged.event for logged in read_events(connection))
            if isinstance(event, ContainerMoved)
            and isinstance(event.destination, WagonSlot)
            and event.destination.train == "X001O2"
        }
    engine.dispose()
    plan = json.loads(stored)
    assert plan["status"] == "optimal" and plan["loaded_teu"] == 50 and not plan["left_behind"]
    planned = {a["box"]: f"{int(a['wagon']):02d}{a['position']}" for a in plan["assignments"]}
    assert {n: f"{s.wagon:02d}{s.spot}" for n, s in loaded.items()} == planned
    (report,) = read(tmp_path / "var" / "edi" / "CRCT" / "out" / "COARRI-X001O2.edi")
    assert {line.number: line.position for line in report.equipment} == planned
    assert "sound" in run(env, "check").stdout
