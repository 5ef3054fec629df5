"""The equipment bus is authenticated: a broker of our own started with the shipped
configuration's ACL (deploy/mosquitto) and a password file. No anonymous client gets in,
each crane publishes only its own reports and receives only its own orders, and the
runtime reaches every crane."""

from __future__ import annotations

import getpass
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hubport.adapters.equipment import protocol
from hubport.adapters.equipment.mqtt import (
    MqttEndpoint,
    PlatformLink,
    controller_endpoint,
    parse_broker,
)
from tests.integration.test_equipment_mqtt import OwnBroker

pytestmark = pytest.mark.xdist_group("mqtt")

DEPLOY = Path(__file__).parents[2] / "deploy" / "mosquitto"
SITE = "XNY"
SECRETS = {"hubport-runtime": "runtime-secret", "ARMG1": "armg1-secret", "ARMG2": "armg2-secret"}
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class SecureBroker(OwnBroker):
    """Our own Mosquitto with the shipped ACL and a password file of three logins."""

    def __init__(self, directory: Path):
        super().__init__(directory)
        passwd = shutil.which("mosquitto_passwd")
        if passwd is None:
            pytest.skip("mosquitto_passwd is not installed")
        passwords = directory / "hubport.passwd"
        for index, (user, secret) in enumerate(SECRETS.items()):
            create = ["-c"] if index == 0 else []
            subprocess.run([passwd, *create, "-b", str(passwords), user, secret], check=True)
        acl = directory / "hubport.acl"
        acl.write_text((DEPLOY / "hubport.acl").read_text())
        # started as root, Mosquitto would drop to its own user and not read these files
        self.config.write_text(
            f"user {getpass.getuser()}\nper_listener_settings false\nallow_anonymous false\n"
            f"password_file {passwords}\nacl_file {acl}\nlistener {self.port} 127.0.0.1\n"
        )

    def login(self, user: str, secret: str | None = None) -> str:
        return f"mqtt://{user}:{secret or SECRETS[user]}@127.0.0.1:{self.port}"


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[SecureBroker]:
    own = SecureBroker(tmp_path)
    own.start()
    yield own
    own.stop()


def _received(endpoint: MqttEndpoint, seconds: float = 2.0) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    got, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        got += endpoint.poll(timeout=0.1)
    return got


def _raw_client(url: str) -> tuple[mqtt.Client, list[object]]:
    broker = parse_broker(url)
    outcome: list[object] = []
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{time.monotonic_ns()}")
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    client.on_connect = lambda _c, _d, _f, reason, _p: outcome.append(reason)
    client.connect(broker.host, broker.port, keepalive=5)
    client.loop_start()
    deadline = time.monotonic() + 5
    while not outcome and time.monotonic() < deadline:
        time.sleep(0.05)
    return client, outcome


@pytest.mark.parametrize("login", ["anonymous", "wrong password"])
def test_a_client_without_a_good_login_cannot_connect_let_alone_command_a_crane(
    broker: SecureBroker, login: str
) -> None:
    url = broker.url if login == "anonymous" else broker.login("ARMG1", "guess")
    client, outcome = _raw_client(url)
    try:
        assert outcome and outcome[0].is_failure, outcome  # type: ignore[attr-defined]
        assert not client.is_connected()
    finally:
        client.loop_stop()


def test_each_crane_hears_only_its_own_orders_and_speaks_only_for_itself(
    broker: SecureBroker,
) -> None:
    runtime = PlatformLink(broker.login("hubport-runtime"), SITE, client_id="runtime")
    armg1 = controller_endpoint(broker.login("ARMG1"), SITE, "ARMG1", NOW)
    armg2 = controller_endpoint(broker.login("ARMG2"), SITE, "ARMG2", NOW)
    # ARMG1's login, trying to listen to ARMG2's orders
    eavesdropper = MqttEndpoint(
        broker.login("ARMG1"), "armg1-snoop", [protocol.topic(SITE, "ARMG2", protocol.ORDER)]
    )
    parties = (runtime.endpoint, armg1, armg2, eavesdropper)
    for party in parties:
        party.start()
    try:
        assert all(party.wait_connected() for party in parties)
        _received(runtime.endpoint, 1.0)  # the ONLINE notices
        _received(armg2, 0.5)
        order = protocol.message(
            "ARMG2",
            NOW,
            orderId="o1",
            container="HPTU0000017",
            pick={"along_m": 1.0, "across_m": 1.0, "height_m": 1.0},
            place={"along_m": 2.0, "across_m": 1.0, "height_m": 1.0},
        )
        runtime.send("ARMG2", protocol.ORDER, order)
        got = _received(armg2)
        assert [(c, n) for c, n, _ in got if n == protocol.ORDER] == [("ARMG2", protocol.ORDER)]
        assert not [m for m in _received(eavesdropper, 0.5) if m[1] == protocol.ORDER]
        # ARMG1 takes ARMG2 out of service, and reports for it: the broker drops both
        breakdown = protocol.message("ARMG2", NOW, action="breakdown")
        armg1.publish(
            protocol.topic(SITE, "ARMG2", protocol.INSTANT_ACTIONS), protocol.encode(breakdown)
        )
        forged = protocol.message("ARMG2", NOW, type="placed", orderId="o1")
        armg1.publish(protocol.topic(SITE, "ARMG2", protocol.EVENTS), protocol.encode(forged))
        assert not [m for m in _received(armg2) if m[1] == protocol.INSTANT_ACTIONS]
        assert not [m for m in _received(runtime.endpoint) if m[1] == protocol.EVENTS]
        # its own report goes through
        own = protocol.message("ARMG1", NOW, type="accepted", orderId="o9")
        armg1.publish(protocol.topic(SITE, "ARMG1", protocol.EVENTS), protocol.encode(own))
        assert [(c, n) for c, n, _ in _received(runtime.endpoint) if n == protocol.EVENTS] == [
            ("ARMG1", protocol.EVENTS)
        ]
    finally:
        for party in parties:
            party.stop()


def test_a_broker_url_keeps_its_login_out_of_sight() -> None:
    broker = parse_broker("mqtts://ARMG1:s%40cret@broker.site:8883?ca=/etc/ca.pem")
    assert (broker.username, broker.password, broker.tls, broker.ca_file) == (
        "ARMG1",
        "s@cret",
        True,
        "/etc/ca.pem",
    )
    assert "cret" not in broker.shown and "cret" not in repr(broker)
    assert parse_broker("mqtt://127.0.0.1").port == 1883
    assert parse_broker("mqtts://host").port == 8883


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A test authority and the broker's certificate for 127.0.0.1, made with openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    ca_key, ca, key, csr, crt = (
        directory / name for name in ("ca.key", "ca.crt", "broker.key", "broker.csr", "broker.crt")
    )
    quiet = {"check": True, "capture_output": True}
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key),
         "-out", str(ca), "-days", "2", "-subj", "/CN=hubport test authority"],
        **quiet,
    )  # fmt: skip
    subprocess.run(
        [openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
         "-subj", "/CN=127.0.0.1"],
        **quiet,
    )  # fmt: skip
    extensions = directory / "san.ext"
    extensions.write_text("subjectAltName=IP:127.0.0.1\n")
    subprocess.run(
        [openssl, "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
         "-CAcreateserial", "-out", str(crt), "-days", "2", "-extfile", str(extensions)],
        **quiet,
    )  # fmt: skip
    return ca, crt, key


def test_the_bus_runs_over_tls_with_the_sites_authority(tmp_path: Path) -> None:
    own = SecureBroker(tmp_path)
    ca, crt, key = _certificates(tmp_path)
    own.config.write_text(
        own.config.read_text() + f"certfile {crt}\nkeyfile {key}\ntls_version tlsv1.2\n"
    )
    own.start()
    try:
        secure = f"mqtts://ARMG1:{SECRETS['ARMG1']}@127.0.0.1:{own.port}?ca={ca}"
        runtime = PlatformLink(
            f"mqtts://hubport-runtime:{SECRETS['hubport-runtime']}@127.0.0.1:{own.port}?ca={ca}",
            SITE,
            client_id="runtime-tls",
        )
        armg1 = controller_endpoint(secure, SITE, "ARMG1", NOW)
        for party in (runtime.endpoint, armg1):
            party.start()
        try:
            assert runtime.endpoint.wait_connected() and armg1.wait_connected()
            got = _received(runtime.endpoint, 1.0)
            assert ("ARMG1", protocol.CONNECTION) in [(c, n) for c, n, _ in got]
        finally:
            for party in (runtime.endpoint, armg1):
                party.stop()
        # plain MQTT to the TLS listener gets nowhere
        client, outcome = _raw_client(own.login("ARMG1"))
        client.loop_stop()
        assert not outcome or outcome[0].is_failure  # type: ignore[attr-defined]
    finally:
        own.stop()
