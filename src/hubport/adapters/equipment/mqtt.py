"""The equipment bus on an MQTT broker (paho-mqtt), for the platform and for a controller.

Both sides publish and subscribe at QoS 1 with persistent sessions, re-subscribe on every
(re)connection, and reconnect on their own when the broker goes away. A controller's
connection topic is retained and its last will says CONNECTIONBROKEN, so the platform
learns at once that a crane dropped off. Incoming messages are queued by paho's network
thread and taken by the owner's thread with ``poll``; each is checked by ``protocol.parse``,
and a bad one is logged, counted and dropped.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hubport.adapters.equipment import protocol
from hubport.domain.errors import EquipmentMessageRejected

log = logging.getLogger(__name__)

Incoming = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class Broker:
    """Where the equipment bus is and how to log in to it: ``mqtt://user:password@host:port``,
    or ``mqtts://`` for TLS (the broker's certificate checked against ``ca_file``, or the
    system's authorities)."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: bool = False
    ca_file: str | None = None

    @property
    def shown(self) -> str:
        """The address as it may be printed: never the password."""
        who = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{who}{self.host}:{self.port}"


def parse_broker(url: str) -> Broker:
    """The broker of an ``mqtt://[user[:password]@]host[:port]`` URL, or of an
    ``mqtts://...[?ca=/path/ca.pem]`` one (TLS, checked against that authority)."""
    parsed = urlparse(url if "://" in url else f"mqtt://{url}")
    if parsed.scheme not in ("mqtt", "tcp", "mqtts", "ssl") or not parsed.hostname:
        raise EquipmentMessageRejected(
            f"MQTT URL {parsed.scheme}://{parsed.hostname or ''} is not "
            "mqtt://[user:password@]host:port or mqtts://..."
        )
    tls = parsed.scheme in ("mqtts", "ssl")
    authorities = parse_qs(parsed.query).get("ca")
    return Broker(
        parsed.hostname,
        parsed.port or (8883 if tls else 1883),
        unquote(parsed.username) if parsed.username else None,
        unquote(parsed.password) if parsed.password else None,
        tls,
        authorities[0] if authorities else None,
    )


def broker_address(url: str) -> tuple[str, int]:
    """Host and port of an ``mqtt://host:port`` URL."""
    broker = parse_broker(url)
    return broker.host, broker.port


class MqttEndpoint:
    """One party on the equipment bus: a client, its subscriptions and its inbox."""

    def __init__(
        self,
        url: str,
        client_id: str,
        subscriptions: Sequence[str],
        will: tuple[str, bytes] | None = None,
        on_connect_publish: Callable[[], Sequence[tuple[str, bytes, bool]]] = tuple,
    ):
        broker = parse_broker(url)
        self.host, self.port = broker.host, broker.port
        self.subscriptions = tuple(subscriptions)
        self.on_connect_publish = on_connect_publish
        self.inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.rejected = 0
        self.connections = 0
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        self.client.reconnect_delay_set(min_delay=1, max_delay=4)
        if broker.username is not None:
            self.client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            self.client.tls_set(ca_certs=broker.ca_file)
        if will is not None:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.client.on_connect = self._connected
        self.client.on_message = self._received

    def _connected(
        self, client: mqtt.Client, _data: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            log.warning("MQTT %s:%s refused the connection: %s", self.host, self.port, reason)
            return
        self.connections += 1
        for pattern in self.subscriptions:
            client.subscribe(pattern, qos=1)
        for topic, payload, retain in self.on_connect_publish():
            client.publish(topic, payload, qos=1, retain=retain)

    def _received(self, _client: mqtt.Client, _data: Any, message: mqtt.MQTTMessage) -> None:
        self.inbox.put((message.topic, bytes(message.payload)))

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=5)
        self.client.loop_start()

    def wait_connected(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.client.is_connected():
                return True
            time.sleep(0.05)
        return False

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain)

    def poll(self, timeout: float = 0.0) -> list[Incoming]:
        """The checked messages waiting, as (crane, topic name, payload)."""
        out: list[Incoming] = []
        wait = timeout
        while True:
            try:
                topic, raw = self.inbox.get(timeout=wait) if wait > 0 else self.inbox.get_nowait()
            except queue.Empty:
                return out
            wait = 0.0
            try:
                _site, crane, name = protocol.split_topic(topic)
                out.append((crane, name, protocol.parse(name, raw)))
            except EquipmentMessageRejected as error:
                self.rejected += 1
                log.warning("equipment bus: rejected a message on %s: %s", topic, error)

    def stop(self, goodbye: tuple[str, bytes] | None = None) -> None:
        if goodbye is not None and self.client.is_connected():
            self.client.publish(goodbye[0], goodbye[1], qos=1, retain=True).wait_for_publish(2)
        self.client.disconnect()
        self.client.loop_stop()

    def drop(self) -> None:
        """Lose the connection without a goodbye (the broker then sends the last will)."""
        self.client.loop_stop()
        sock = self.client.socket()
        if sock is not None:
            sock.close()


class PlatformLink:
    """The platform's side: sends orders and actions, receives the cranes' reports."""

    def __init__(self, url: str, site: str, client_id: str = "hubport-platform"):
        self.site = site
        listen = [
            protocol.topic(site, "+", name)
            for name in (protocol.STATE, protocol.EVENTS, protocol.CONNECTION)
        ]
        self.endpoint = MqttEndpoint(url, client_id, listen)

    def start(self) -> None:
        self.endpoint.start()

    def send(self, crane: str, name: str, payload: dict[str, Any]) -> None:
        self.endpoint.publish(protocol.topic(self.site, crane, name), protocol.encode(payload))

    def step(self, _now: datetime) -> list[Incoming]:
        return self.endpoint.poll()

    def stop(self) -> None:
        self.endpoint.stop()


def controller_endpoint(url: str, site: str, crane: str, now: datetime) -> MqttEndpoint:
    """A crane controller's client: its will, its ONLINE notice, its subscriptions."""
    connection = protocol.topic(site, crane, protocol.CONNECTION)
    will = protocol.encode(protocol.message(crane, now, connectionState="CONNECTIONBROKEN"))

    def online() -> list[tuple[str, bytes, bool]]:
        notice = protocol.message(crane, datetime.now(now.tzinfo), connectionState="ONLINE")
        return [(connection, protocol.encode(notice), True)]

    return MqttEndpoint(
        url,
        f"hubport-crane-{site}-{crane}",
        [
            protocol.topic(site, crane, protocol.ORDER),
            protocol.topic(site, crane, protocol.INSTANT_ACTIONS),
            # the neighbours' state and connection, for anti-collision
            protocol.topic(site, "+", protocol.STATE),
            protocol.topic(site, "+", protocol.CONNECTION),
        ],
        will=(connection, will),
        on_connect_publish=online,
    )


__all__ = [
    "Broker",
    "MqttEndpoint",
    "PlatformLink",
    "broker_address",
    "controller_endpoint",
    "parse_broker",
]
