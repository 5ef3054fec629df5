"""The hub as it runs in production, in separate processes: a broker of its own, the API
server, the runtime and a virtual crane per crane on MQTT. The world speaks to it only
through the HTTP API; the runtime reacts and the cranes do the work."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.outbound import Envelope, write_interchange
from hubport.adapters.edi.profiles import COPRAR_DISCHARGE
from hubport.domain.container import Container, SizeType
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import WagonSlot
from hubport.domain.visits import TrainVisit, Wagon
from hubport.twin.client import HttpHubClient
from hubport.twin.stage import Stage, mosquitto_binary
from tests.conftest import valid_number

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("mqtt")]

START = "2026-12-07T09:00:00+08:00"
#: Wall seconds a train of a few boxes may take at ×60 before the test gives up.
PATIENCE_S = 150.0


@pytest.fixture
def stage(tmp_path: Path) -> Iterator[Stage]:
    if mosquitto_binary() is None:
        pytest.skip("the mosquitto binary is not installed")
    hub = Stage(tmp_path / "hub", speed=60.0, start_at=START)
    try:
        hub.start()
        yield hub
    finally:
        hub.stop()


def inbound_train(
    train_id: str, first: int, boxes: int
) -> tuple[TrainVisit, tuple[Container, ...]]:
    arrives = datetime.fromisoformat(START)
    containers = tuple(
        Container(valid_number(first + index), SizeType.of("45G1"), 18_000 + 500 * index)
        for index in range(boxes)
    )
    consist = tuple(
        (container.number, WagonSlot(train_id, index + 1, "AB"))
        for index, container in enumerate(containers)
    )
    visit = TrainVisit(
        train_id,
        "CL-VTE-N",
        "inbound",
        tuple(Wagon(number) for number in range(1, boxes + 1)),
        arrives=arrives,
        departs=arrives + timedelta(hours=6),
        consist=consist,
    )
    return visit, containers


def coprar(visit: TrainVisit, containers: tuple[Container, ...]) -> str:
    """The railway's discharge order of a train (COPRAR D.95B, as partners send it)."""
    by_number = {c.number.value: c for c in containers}
    lines = tuple(
        Equipment(
            number=number.value,
            size_type=by_number[number.value].size_type.code,
            status="3",
            full=True,
            position=f"{slot.wagon:02d}{slot.spot}",
            discharge_place="CNJGJ",
            gross_mass_kg=by_number[number.value].gross_mass_kg,
        )
        for number, slot in visit.consist
    )
    document = Document(
        "COPRAR",
        "D.95B",
        COPRAR_DISCHARGE,
        f"{visit.id}-DO",
        "9",
        voyage=visit.id,
        mode="2",
        carrier="CRCT",
        transport_id=visit.id,
        places=(("11", "CNJGJ"),),
        equipment=lines,
        reference="1",
    )
    sent = datetime.fromisoformat(START).astimezone(HUB_TIME).replace(tzinfo=None)
    return write_interchange(Envelope("CRCT", "HUBPORT", f"R{visit.id}", sent), [document])


def place_of(client: HttpHubClient, number: str) -> str:
    """The box's place as ``GET /api/containers/{number}`` spells it ("" once it left)."""
    status, answer = client.call("GET", f"/api/containers/{number}", "operator")
    assert status == 200, answer
    return str(answer.get("place") or "")


def wait_until_off_the_train(
    client: HttpHubClient, numbers: list[str], seconds: float = PATIENCE_S
) -> dict[str, str | None]:
    deadline = time.monotonic() + seconds
    while True:
        places: dict[str, str | None] = {number: place_of(client, number) for number in numbers}
        if all(place and place.startswith(("yard:", "truck:")) for place in places.values()):
            return places
        if time.monotonic() > deadline:
            raise AssertionError(f"boxes still not off the train: {places}")
        time.sleep(1.0)


def crane_moves(stage: Stage) -> int:
    """The moves the virtual cranes say they did (each prints its count when stopped)."""
    total = 0
    for crane in ("ARMG1", "ARMG2", "ARMG3", "ARMG4"):
        process = stage.processes.pop(crane)
        process.send_signal(2)
        process.wait(15)
        said = stage.log(crane).strip().splitlines()[-1]
        total += int(said.split(":")[1].split()[0])
    return total


def done_jobs(stage: Stage) -> int:
    table = stage.run("cranes", "status").stdout
    rows = [line.split("│") for line in table.splitlines() if line.startswith("│ ARMG")]
    return sum(int(row[5].strip()) for row in rows)


def test_a_train_sent_through_the_api_is_discharged_by_the_runtime_and_the_cranes(
    stage: Stage,
) -> None:
    client = stage.client()
    visit, containers = inbound_train("API1", 100, 6)
    numbers = [c.number.value for c in containers]
    status, first = client.call("POST", "/api/trains", "railway", _body(visit, containers))
    assert status == 201 and first["train"] == "API1" and first["boxes"] == 6
    assert client.call("POST", "/api/trains", "railway", _body(visit, containers)) == (201, first)
    later = _body(visit, containers) | {"departs": "2026-12-07T20:00:00+08:00"}
    status, conflict = client.call("POST", "/api/trains", "railway", later)
    assert status == 409 and "departs" in conflict["error"]["message"]
    # the order before the train is there: it is worked once the train stands on its track
    client.order_discharge("API1", ())
    client.train_arrives("API1", "T1")
    places = wait_until_off_the_train(client, numbers)
    assert all(place.startswith("yard:") for place in places.values() if place)
    # the event stream's batch read (how the world's hauliers follow the hub) names them
    feed = client.box_events(0)
    assert set(numbers) <= feed.boxes and feed.last_id > 0
    assert client.box_events(feed.last_id).last_id >= feed.last_id

    # a second train whose discharge order comes as a COPRAR through the EDI endpoint
    visit2, containers2 = inbound_train("EDI1", 200, 4)
    client.register_train(visit2, containers2)
    client.train_arrives("EDI1", "T2")
    assert client.send_edi(coprar(visit2, containers2)) == "applied"
    wait_until_off_the_train(client, [c.number.value for c in containers2])

    # a truck collects a box through the gate portal: its crane work follows by itself
    box = numbers[0]
    hub_time = client.runtime().hub_time
    assert hub_time is not None
    booking = {"appointment": "AP1", "plate": "渝A12345", "kind": "collect", "box": box}
    status, booked = client.call(
        "POST", "/api/appointments", "operator", booking | {"at": hub_time.isoformat()}
    )
    assert status == 201, booked
    gate_in = {"direction": "in", "visit": "TV1", "plate": "渝A12345", "appointment": "AP1"}
    status, lane = client.call(
        "POST", "/api/gate/transactions", "gate", gate_in | {"read": box, "confidence": 0.97}
    )
    assert status == 200 and lane["lane"] == "in", lane
    deadline = time.monotonic() + PATIENCE_S
    while not place_of(client, box).startswith("truck:TV1"):
        assert time.monotonic() < deadline, client.box(box)
        time.sleep(1.0)
    # its charges are not paid (a box of no line: a walk-in, cash): the gate names them
    gate_out = {"direction": "out", "visit": "TV1"}
    status, out = client.call("POST", "/api/gate/transactions", "gate", gate_out)
    assert status == 200 and out["lane"] == "exception", out
    owed = re.search(r"(\S+) owes CNY (\d+\.\d\d)", " ".join(out["reasons"]))
    assert owed is not None, out
    payment = {"reference": "CASH-0001", "amount_cny": owed[2], "customer": owed[1]}
    assert client.call("POST", "/api/billing/payments", "billing", payment)[0] == 200
    status, out = client.call("POST", "/api/gate/transactions", "gate", gate_out)
    assert status == 200 and out["lane"] == "out", out
    assert client.box(box).state == "departed"

    # who did what: the railway's arrival through the API, the runtime's crane moves
    trail = json.loads(stage.run("audit", "--box", numbers[1], "--json").stdout)
    seen = {(entry["event"], entry["channel"], entry["role"]) for entry in trail}
    assert ("ContainerArrived", "api", "railway") in seen, seen
    assert ("ContainerMoved", "runtime", "runtime") in seen, seen
    health = client.runtime()
    leader = stage.processes["operate"].pid
    assert health.leader_pid == leader and health.cranes_connected == 4
    assert client.call("GET", "/api/runtime", "viewer")[1]["leader"]["pid"] == leader
    assert crane_moves(stage) == done_jobs(stage)  # no job done twice
    assert "sound" in stage.run("check").stdout


def test_each_actor_may_do_only_its_own_writes(stage: Stage) -> None:
    client = stage.client()
    visit, containers = inbound_train("ROLE1", 300, 2)
    body = _body(visit, containers)
    for role in ("gate", "customs", "viewer"):
        assert client.call("POST", "/api/trains", role, body)[0] == 403
    gate_out = {"direction": "out", "visit": "TV9"}
    for role in ("railway", "customs", "viewer"):
        assert client.call("POST", "/api/gate/transactions", role, gate_out)[0] == 403
    assert client.call("POST", "/api/customs/holds", "railway", {"box": "x", "hold": "h"})[0] in (
        403,
        422,
    )
    assert client.call("POST", "/api/edi/messages", "gate", "UNB+UNOC:3'")[0] == 403
    # the railway's account may upload, but speaks only for a partner bound to it
    status, receipt = client.call("POST", "/api/edi/messages", "railway", coprar(visit, containers))
    assert status == 200 and receipt["status"] == "quarantined", receipt
    assert "is not bound to partner" in receipt["problems"][0]
    assert client.call("GET", "/api/runtime", "railway")[0] == 200
    assert client.call("POST", "/api/trains", "railway", body)[0] == 201


def test_a_runtime_killed_mid_discharge_is_started_again_and_the_train_finishes(
    stage: Stage,
) -> None:
    client = stage.client()
    visit, containers = inbound_train("KILL1", 400, 10)
    numbers = [c.number.value for c in containers]
    client.register_train(visit, containers)
    client.train_arrives("KILL1", "T1")
    client.order_discharge("KILL1", ())
    deadline = time.monotonic() + PATIENCE_S
    while not any(place_of(client, n).startswith("yard:") for n in numbers):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    stage.kill("operate")
    stage.start_runtime("operate-again")
    wait_until_off_the_train(client, numbers)
    assert client.runtime().leader_pid == stage.processes["operate-again"].pid
    assert crane_moves(stage) == done_jobs(stage)
    assert "sound" in stage.run("check").stdout


def _until(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def _alarms(client: HttpHubClient) -> list[dict[str, object]]:
    status, rows = client.call("GET", "/api/alarms?limit=200", "operator")
    assert status == 200, rows
    return [row["payload"] for row in rows if row["event_type"] == "EquipmentAlarm"]


def test_a_crane_killed_mid_job_stops_nothing_else_and_check_names_what_is_stuck(
    stage: Stage,
) -> None:
    client = stage.client()
    # ARMG2 runs slow (×6 against the hub's ×60), so that it is caught with a box aboard
    crane = "ARMG2"
    stage.kill(crane)
    _until(lambda: client.runtime().cranes_connected == 3, "the runtime saw ARMG2 go")
    stage.spawn(crane, "crane-sim", "--crane", crane, "--speed", "6")
    _until(lambda: client.runtime().cranes_connected == 4, "the runtime saw ARMG2 back")
    visit, containers = inbound_train("LOST1", 500, 12)
    numbers = [c.number.value for c in containers]
    client.register_train(visit, containers)
    client.train_arrives("LOST1", "T1")
    client.order_discharge("LOST1", ())
    deadline = time.monotonic() + PATIENCE_S
    while True:  # the crane lifts a box: then its controller dies, without a goodbye
        places = {number: place_of(client, number) for number in numbers}
        held = [n for n, place in places.items() if place == f"crane:{crane}"]
        if held:
            break
        assert time.monotonic() < deadline, places
        time.sleep(0.2)
    stage.kill(crane)
    # the others go on: every box leaves the wagons but the one on the lost crane and those
    # only it could reach, each named in an alarm
    deadline = time.monotonic() + PATIENCE_S
    while True:
        alarms = _alarms(client)
        said = " | ".join(str(alarm["problem"]) for alarm in alarms)
        places = {number: place_of(client, number) for number in numbers}
        waiting = [n for n, place in places.items() if place.startswith("wagon:")]
        if f"hangs on {crane}'s spreader" in said and all(
            f"no crane in service can reach {n}" in said for n in waiting
        ):
            break
        assert time.monotonic() < deadline, (places, said)
        time.sleep(1.0)
    stranded = [n for n, place in places.items() if place == f"crane:{crane}"]
    assert stranded == [held[0]]
    assert len(waiting) < len(numbers) // 2, places
    # `hubport check` is not sound, and says why
    checked = stage.run_unchecked("check")
    assert checked.returncode == 1, checked.stdout
    assert f"box {held[0]} hangs on {crane}'s spreader" in checked.stderr
    # the train leaves at once: the box on the spreader does not hold it
    status, gone = client.call("POST", "/api/trains/LOST1/departure", "railway", {})
    assert status == 200 and gone["stranded"] == [held[0]], gone
    # a person sets the box down by hand where it was going; then the hub is sound
    job = next(a["job"] for a in alarms if "spreader" in str(a["problem"]))
    status, done = client.call("POST", f"/api/crane-jobs/{job}/set-down", "operator", {})
    assert status == 200 and done["state"] == "done", done
    assert place_of(client, held[0]).startswith("yard:")
    assert "sound" in stage.run("check").stdout


def test_two_runtimes_on_postgresql_one_dispatches_and_the_standby_takes_over(
    tmp_path: Path,
) -> None:
    from tests.integration.conftest import postgres_schema_url

    if mosquitto_binary() is None:
        pytest.skip("the mosquitto binary is not installed")
    urls = postgres_schema_url()
    url = next(urls)
    stage = Stage(tmp_path / "hub", speed=60.0, database_url=url, start_at=START)
    orders: list[str] = []
    try:
        stage.directory.mkdir(parents=True)
        stage.start_broker()
        spy = _order_spy(stage.mqtt_port, orders)
        stage.start_store()
        stage.start_server()
        stage.start_cranes()
        stage.start_runtime("first")
        time.sleep(2.0)
        stage.start_runtime("second")
        client = stage.client()
        visit, containers = inbound_train("PG1", 500, 8)
        numbers = [c.number.value for c in containers]
        client.register_train(visit, containers)
        client.train_arrives("PG1", "T1")
        client.order_discharge("PG1", ())
        deadline = time.monotonic() + PATIENCE_S
        while sum(place_of(client, n).startswith("yard:") for n in numbers) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        leader = client.runtime().leader_pid
        first, second = stage.processes["first"].pid, stage.processes["second"].pid
        assert leader == first
        # while both run, one dispatches: no order reached a crane twice
        before = list(orders)
        assert before and len(before) == len(set(before))
        stage.kill("first")
        killed_at = time.monotonic()
        while client.runtime().leader_pid != second:
            assert time.monotonic() - killed_at < 20.0, "the standby did not take over"
            time.sleep(0.5)
        wait_until_off_the_train(client, numbers)
        spy.loop_stop()
        # the new leader sent again only the orders in hand (at most one a crane), under
        # their own ids; no job was done twice
        again = len(orders) - len(set(orders))
        assert again <= 4
        assert crane_moves(stage) == done_jobs(stage)
        assert "sound" in stage.run("check").stdout
    finally:
        stage.stop()
        for _rest in urls:
            pass


def _order_spy(port: int, orders: list[str]) -> mqtt.Client:
    spy = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="order-spy")

    def received(_client: mqtt.Client, _data: object, message: mqtt.MQTTMessage) -> None:
        orders.append(json.loads(message.payload)["orderId"])

    spy.on_message = received
    spy.connect("127.0.0.1", port)
    spy.subscribe("hubport/v1/XNY/+/order", qos=1)
    spy.loop_start()
    return spy


def _body(visit: TrainVisit, containers: tuple[Container, ...]) -> dict[str, object]:
    from hubport.twin.client import train_body

    return train_body(visit, containers)


def test_the_world_imports_nothing_of_the_services() -> None:
    """The twin reaches the platform only through its client."""
    root = Path(__file__).parents[2] / "src" / "hubport" / "twin"
    offenders = []
    for path in (root / "client.py", root / "stage.py", root / "world.py"):
        for line in path.read_text().splitlines():
            if line.startswith(("from hubport.services", "import hubport.services")):
                offenders.append(f"{path.name}: {line}")
            if "adapters.repository" in line or "unit_of_work" in line:
                offenders.append(f"{path.name}: {line}")
    assert offenders == []
