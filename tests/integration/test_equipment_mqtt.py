"""The equipment bus on a real Mosquitto broker: orders out, reports back, duplicates,
a crane killed mid-shift, and a broker restart."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.equipment import protocol
from hubport.adapters.equipment.mqtt import PlatformLink
from hubport.adapters.site_file import read_site_file
from hubport.cranes.floor import CraneFloor
from hubport.domain.crane_jobs import JobState
from hubport.domain.places import YardSlot
from hubport.domain.site import Site
from hubport.services import crane_commands as jobs
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from hubport.twin.crane_sim import CraneSim
from tests.conftest import T0, box
from tests.integration.test_store import audit_store, unload_train

#: One worker at a time on the brokers (``make test`` runs the suite on two).
pytestmark = pytest.mark.xdist_group("mqtt")

SPEED = 40.0
SHARED_BROKER = os.environ.get("HUBPORT_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def shared_broker() -> str:
    """The broker every machine runs; skip loudly without it, fail under CI."""
    if not _answers("127.0.0.1", int(SHARED_BROKER.rsplit(":", 1)[1])):
        message = f"no MQTT broker answers at {SHARED_BROKER}"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the equipment-bus tests")
        pytest.skip(message)
    return SHARED_BROKER


class OwnBroker:
    """A Mosquitto of our own on a free port, to stop and start again."""

    def __init__(self, directory: Path):
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            pytest.skip("the mosquitto binary is not installed")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.config = directory / "mosquitto.conf"
        self.config.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n")
        self.binary = binary
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _answers("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("own mosquitto did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(5)
            self.process = None


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[OwnBroker]:
    broker = OwnBroker(tmp_path)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'hubport.db'}")
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    yield engine
    engine.dispose()


def _bus(engine: Engine, clock: ManualClock) -> MessageBus:
    site = load_site(engine)
    return MessageBus(lambda: SqlUnitOfWork(engine, site), clock, COMMAND_HANDLERS, EVENT_HANDLERS)


def _open(bus: MessageBus) -> list:
    with bus.uow_factory() as uow:
        return uow.crane_jobs.open_jobs()


def _job(bus: MessageBus, job_id: str):
    with bus.uow_factory() as uow:
        return uow.crane_jobs.get(job_id)


class Sims:
    """Virtual cranes on threads."""

    def __init__(self, url: str, site: Site, cranes: list[str]):
        self.sims = {crane: CraneSim(url, site, crane, SPEED) for crane in cranes}
        self.threads = [threading.Thread(target=sim.run, daemon=True) for sim in self.sims.values()]

    def __enter__(self) -> Sims:
        for thread in self.threads:
            thread.start()
        for sim in self.sims.values():
            assert sim.endpoint.wait_connected(), "a crane could not reach the broker"
        return self

    def __exit__(self, *exc: object) -> None:
        for sim in self.sims.values():
            sim.stopping.set()
        for thread in self.threads:
            thread.join(5)


def _platform(url: str, site: Site, engine: Engine) -> tuple[MessageBus, CraneFloor, PlatformLink]:
    clock = ManualClock(T0)
    bus = _bus(engine, clock)
    link = PlatformLink(url, site.code, client_id=f"hubport-platform-{uuid.uuid4().hex[:8]}")
    link.start()
    assert link.endpoint.wait_connected()
    return bus, CraneFloor(bus, site, clock, equipment=link, speed=SPEED), link


def _unique_site(engine: Engine) -> Site:
    """The store's site under a code of its own, so that runs sharing a broker never meet."""
    return dataclasses.replace(load_site(engine), code=f"T{uuid.uuid4().hex[:8]}")


def test_orders_reach_the_cranes_and_their_reports_move_the_boxes(
    shared_broker: str, sqlite_store: Engine
) -> None:
    site = _unique_site(sqlite_store)
    with Sims(shared_broker, site, ["ARMG1", "ARMG2", "ARMG3", "ARMG4"]) as sims:
        bus, floor, link = _platform(shared_broker, site, sqlite_store)
        try:
            unload_train(bus, 4)
            for index in range(4):
                bus.handle(jobs.PlanCraneJob(f"d{index}", box(index).number, "discharge"))
            floor.run(3600, until=lambda: not _open(bus))
        finally:
            link.stop()
    assert not _open(bus)
    with bus.uow_factory() as uow:
        assert all(isinstance(uow.inventory.get(box(i).number).place, YardSlot) for i in range(4))
    assert sum(sim.controller.moves_done for sim in sims.sims.values()) == 4
    assert audit_store(sqlite_store) == []


def test_a_repeated_order_or_a_malformed_one_changes_nothing(
    shared_broker: str, sqlite_store: Engine
) -> None:
    site = _unique_site(sqlite_store)
    events: list[dict] = []
    listener = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"listen-{uuid.uuid4().hex}")
    host, port = shared_broker.removeprefix("mqtt://").split(":")
    listener.on_message = lambda _c, _d, m: events.append(protocol.parse("events", m.payload))
    listener.connect(host, int(port))
    listener.subscribe(protocol.topic(site.code, "ARMG1", "events"), qos=1)
    listener.loop_start()
    with Sims(shared_broker, site, ["ARMG1"]) as sims:
        order = protocol.message(
            "ARMG1",
            T0,
            orderId="j1",
            container=box(0).number.value,
            pick={"along_m": 20.0, "across_m": 3.0, "height_m": 4.1, "place": "wagon:T:01:A"},
            place={"along_m": 30.0, "across_m": 20.0, "height_m": 2.9, "place": "yard:A-01-01-1"},
        )
        topic = protocol.topic(site.code, "ARMG1", "order")
        for _ in range(2):
            listener.publish(topic, protocol.encode(order), qos=1).wait_for_publish(2)
        again = {**order, "messageId": "another"}
        listener.publish(topic, protocol.encode(again), qos=1).wait_for_publish(2)
        listener.publish(topic, b"{not json", qos=1).wait_for_publish(2)
        listener.publish(
            topic, protocol.encode({**order, "version": "2.0", "messageId": "v2"}), qos=1
        ).wait_for_publish(2)
        deadline = time.monotonic() + 10
        while not any(e["type"] == "placed" for e in events) and time.monotonic() < deadline:
            time.sleep(0.05)
        controller = sims.sims["ARMG1"].controller
        rejected = sims.sims["ARMG1"].endpoint.rejected
    listener.loop_stop()
    listener.disconnect()
    assert [e["type"] for e in events].count("accepted") == 1
    assert controller.moves_done == 1
    assert rejected == 2, "the broken JSON and the version 2.0 order were refused"


def _spawn_crane(url: str, engine: Engine, crane: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HUBPORT_DATABASE_URL": engine.url.render_as_string(False),
        "HUBPORT_MQTT_URL": url,
    }
    hubport = Path(sys.executable).with_name("hubport")
    with log.open("wb") as output:
        return subprocess.Popen(
            [str(hubport), "crane-sim", "--crane", crane, "--speed", str(SPEED)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.slow
def test_a_killed_crane_s_unstarted_jobs_go_to_its_neighbour(
    own_broker: OwnBroker, sqlite_store: Engine, tmp_path: Path
) -> None:
    site = load_site(sqlite_store)
    victim = _spawn_crane(own_broker.url, sqlite_store, "ARMG2", tmp_path / "armg2.log")
    try:
        with Sims(own_broker.url, site, ["ARMG1", "ARMG3", "ARMG4"]):
            bus, floor, link = _platform(own_broker.url, site, sqlite_store)
            try:
                floor.run(600, until=lambda: floor.control.status["ARMG2"].last_report is not None)
                unload_train(bus, 6)
                for index in range(6):
                    bus.handle(jobs.PlanCraneJob(f"d{index}", box(index).number, "discharge"))

                def armg2_is_on_its_way() -> bool:
                    return any(
                        j.crane == "ARMG2" and j.state is JobState.PICKING for j in _open(bus)
                    )

                floor.run(1800, until=armg2_is_on_its_way)
                assert armg2_is_on_its_way(), "the dispatcher gave ARMG2 part of the train"
                taken = [j.id for j in _open(bus) if j.crane == "ARMG2"]
                victim.send_signal(signal.SIGKILL)
                victim.wait(5)
                floor.run(
                    3600,
                    until=lambda: (
                        all(j.box_aboard for j in _open(bus) if j.crane == "ARMG2")
                        and not [j for j in _open(bus) if j.crane != "ARMG2"]
                    ),
                )
            finally:
                link.stop()
        assert floor.control.status["ARMG2"].last_report, (tmp_path / "armg2.log").read_text()
        assert not floor.control.status["ARMG2"].online
        redone = [_job(bus, job_id) for job_id in taken]
        assert all(
            (j.state is JobState.DONE and j.crane != "ARMG2") or j.box_aboard for j in redone
        )
        assert any(j.state is JobState.DONE and j.crane == "ARMG1" for j in redone)
        assert audit_store(sqlite_store) == []
    finally:
        if victim.poll() is None:
            victim.kill()


@pytest.mark.slow
def test_platform_and_cranes_survive_a_broker_restart(
    own_broker: OwnBroker, sqlite_store: Engine
) -> None:
    site = load_site(sqlite_store)
    with Sims(own_broker.url, site, ["ARMG1", "ARMG2", "ARMG3", "ARMG4"]) as sims:
        bus, floor, link = _platform(own_broker.url, site, sqlite_store)
        try:
            unload_train(bus, 8)
            for index in range(8):
                bus.handle(jobs.PlanCraneJob(f"d{index}", box(index).number, "discharge"))
            floor.run(3600, until=lambda: len(_open(bus)) <= 5)
            own_broker.stop()
            floor.run(30, until=lambda: False)  # the platform carries on without a broker
            own_broker.start()
            floor.run(3 * 3600, until=lambda: not _open(bus))
        finally:
            link.stop()
        reconnected = [sim.endpoint.connections for sim in sims.sims.values()]
    assert not _open(bus)
    assert link.endpoint.connections >= 2 and all(count >= 2 for count in reconnected)
    assert audit_store(sqlite_store) == []
