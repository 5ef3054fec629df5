"""From barge to train as a user runs it: a barge's BAPLIE, its call at Luohuang, the box
discharged onto a shuttle (the arrival report goes out by itself), the shuttle's trip to
the rail station, the crane work there, a train loaded and gone, all under one
declaration; then ``hubport check`` finds the store sound."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hubport.bootstrap import bootstrap
from hubport.cranes.floor import CraneFloor
from hubport.domain.container import ContainerNumber
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.visits import TrainVisit, Wagon
from hubport.services import commands
from hubport.services.clock import ManualClock
from hubport.services.train_commands import LoadTrain
from tests.e2e.test_cli import run

BAPLIE = Path(__file__).parents[1] / "data" / "edi" / "river" / "BAPLIE_barge_V2612.edi"
BOX, OTHER_PORTS_BOX = "MSSU2612019", "MSSU2612024"


def _crane_work(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the station's cranes until no job is open (the virtual crane floor)."""
    monkeypatch.setenv("HUBPORT_DATA_DIR", env["HUBPORT_DATA_DIR"])
    clock = ManualClock(datetime.now(HUB_TIME))
    hub = bootstrap(clock=clock)
    try:
        floor = CraneFloor(hub.bus, hub.site, clock)
        floor.control.load()
        floor.run(3600, until=lambda: not _open_jobs(hub))
        assert not _open_jobs(hub)
    finally:
        hub.close()


def _open_jobs(hub: object) -> list[object]:
    with hub.bus.uow_factory() as uow:  # type: ignore[attr-defined]
        return list(uow.crane_jobs.open_jobs())


def _place(env: dict[str, str]) -> str:
    shown = json.loads(run(env, "container", "show", BOX, "--json").stdout)
    return str(shown["place"])


def test_a_barge_box_reaches_a_train_by_shuttle_under_one_declaration(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(env, "init")
    now = datetime.now(HUB_TIME).replace(microsecond=0)
    eta, etd = now.isoformat(), (now + timedelta(hours=8)).isoformat()
    called = run(env, "vessel", "call", "B2612", "--vessel", "Minsheng 18", "--voyage", "V2612",
                 "--berth", "LH1", "--eta", eta, "--etd", etd, "--length", "85",
                 "--origin", "CNSHA", "--json")  # fmt: skip
    assert json.loads(called.stdout)["state"] == "expected"
    legs = ("--leg", "river:CNSHA:CNLOH", "--leg", "rail:CNJGJ:LAVTE")
    run(env, "customs", "declare", "J1", "--box", BOX, *legs)  # before the box is known
    imported = json.loads(run(env, "edi", "import", str(BAPLIE), "--json").stdout)
    assert imported["announced"] == [BOX], "only the box for the hub is announced"
    assert "bay plan of vessel call B2612: 1 boxes" in imported["notes"]
    assert json.loads(run(env, "customs", "status", BOX, "--json").stdout)["status"] == "lodged"

    berthed = json.loads(run(env, "vessel", "berth", "B2612", "--json").stdout)
    assert berthed["aboard"] == [BOX] and _place(env) == "vessel:B2612:0010282"
    run(env, "shuttle", "start", "SH1", "--plate", "渝D00001", "--at", "river_port")
    run(env, "vessel", "discharge", BOX, "--shuttle", "SH1", "--spot", "A")
    status = json.loads(run(env, "customs", "status", BOX, "--json").stdout)
    assert status["status"] == "arrived" and status["declarations"][0]["arrived_at"]
    run(env, "shuttle", "drive", "SH1")
    (shuttle,) = json.loads(run(env, "shuttle", "list", "--json").stdout)
    assert shuttle["location"] == "road" and shuttle["boxes"] == [BOX]
    assert _place(env) == "truck:SH1:A", "on the road the box is on its shuttle, not nowhere"
    arrived = json.loads(run(env, "shuttle", "arrive", "SH1", "--json").stdout)
    assert arrived["crane_jobs"] == [f"SH1:receipt:{BOX}"]
    _crane_work(env, monkeypatch)
    assert _place(env).startswith("yard:")
    run(env, "shuttle", "end", "SH1")
    run(env, "customs", "release", "J1")

    monkeypatch.setenv("HUBPORT_DATA_DIR", env["HUBPORT_DATA_DIR"])
    hub = bootstrap()
    try:
        wagons = tuple(Wagon(n) for n in range(1, 4))
        train = TrainVisit("OUT7", "RS-QZH", "outbound", wagons, arrives=now, departs=now)
        hub.bus.handle(commands.RegisterTrain(train))
        hub.bus.handle(commands.ArriveTrain("OUT7", "T2", ()))
        loading = hub.bus.handle(LoadTrain("OUT7", (ContainerNumber(BOX),), 2.0)).result
        assert not loading["left_behind"]
    finally:
        hub.close()
    _crane_work(env, monkeypatch)
    assert _place(env).startswith("wagon:OUT7:")
    hub = bootstrap()
    try:
        hub.bus.handle(commands.DepartTrain("OUT7"))
    finally:
        hub.close()
    run(env, "vessel", "depart", "B2612")
    history = json.loads(run(env, "container", "show", BOX, "--json").stdout)["history"]
    shown = " ".join(entry["detail"] for entry in history)
    for where in ("vessel:B2612", "truck:SH1:A", "yard:", "wagon:OUT7"):
        assert where in shown, f"{where} missing from the history: {shown}"
    declaration = json.loads(run(env, "customs", "status", "J1", "--json").stdout)
    assert declaration["state"] == "released" and declaration["boxes"] == [BOX]
    assert "sound" in run(env, "check").stdout
