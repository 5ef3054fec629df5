"""The equipment protocol's topics and messages (see docs/equipment-protocol.md).

Topics follow VDA 5050's layout ``interface/majorVersion/manufacturer/serialNumber/topic``
with the site code in the manufacturer's place: ``hubport/v1/XNY/ARMG1/order``. Payloads are
JSON objects with a ``version``, a ``messageId`` (the receiver drops one it has seen) and a
``timestamp``. ``parse`` checks a payload against its topic and raises
``EquipmentMessageRejected`` naming what is wrong; it never lets a bad message through.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hubport.domain.errors import EquipmentMessageRejected

INTERFACE = "hubport"
MAJOR = "v1"
VERSION = "1.0"

#: Platform → crane.
ORDER = "order"
INSTANT_ACTIONS = "instantActions"
#: Crane → platform.
STATE = "state"
EVENTS = "events"
VISUALIZATION = "visualization"
CONNECTION = "connection"

TOPICS = (ORDER, INSTANT_ACTIONS, STATE, EVENTS, VISUALIZATION, CONNECTION)
EVENT_TYPES = ("accepted", "rejected", "picking", "picked", "placing", "placed", "fault", "cleared")
ACTIONS = ("breakdown", "spreaderFailure", "loseConnection", "clear", "cancelOrder")
CONNECTION_STATES = ("ONLINE", "OFFLINE", "CONNECTIONBROKEN")
MODES = ("automatic", "fault", "offline")

_REQUIRED: dict[str, dict[str, type | tuple[type, ...]]] = {
    ORDER: {"orderId": str, "container": str, "pick": dict, "place": dict},
    INSTANT_ACTIONS: {"action": str},
    STATE: {"mode": str, "position": dict, "queue": list},
    EVENTS: {"type": str},
    VISUALIZATION: {"position": dict},
    CONNECTION: {"connectionState": str},
}
_POINT = ("along_m", "across_m", "height_m")


def topic(site: str, crane: str, name: str) -> str:
    return f"{INTERFACE}/{MAJOR}/{site}/{crane}/{name}"


def split_topic(text: str) -> tuple[str, str, str]:
    """(site, crane, topic name) of a topic, or a rejection naming what is wrong."""
    parts = text.split("/")
    if len(parts) != 5 or parts[0] != INTERFACE:
        raise EquipmentMessageRejected(f"topic {text!r} is not {INTERFACE}/v1/SITE/CRANE/TOPIC")
    if parts[1] != MAJOR:
        raise EquipmentMessageRejected(f"topic {text!r}: major version {parts[1]!r}, want {MAJOR}")
    if parts[4] not in TOPICS:
        raise EquipmentMessageRejected(f"topic {text!r}: unknown topic {parts[4]!r}")
    return parts[2], parts[3], parts[4]


def message(
    crane: str, at: datetime, make_id: Callable[[], str] | None = None, **fields: Any
) -> dict[str, Any]:
    """A payload with the header every message carries (a random id unless ``make_id``)."""
    return {
        "version": VERSION,
        "messageId": make_id() if make_id is not None else str(uuid.uuid4()),
        "timestamp": at.isoformat(),
        "crane": crane,
        **fields,
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True).encode()


def parse(name: str, raw: bytes | str) -> dict[str, Any]:
    """A checked payload of topic ``name``."""
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise EquipmentMessageRejected(f"{name}: not JSON ({error})") from None
    if not isinstance(payload, dict):
        raise EquipmentMessageRejected(f"{name}: the payload is not a JSON object")
    version = payload.get("version")
    if not isinstance(version, str) or version.split(".")[0] != VERSION.split(".")[0]:
        raise EquipmentMessageRejected(f"{name}: version {version!r}, this platform speaks 1.x")
    for key in ("messageId", "timestamp", "crane"):
        if not isinstance(payload.get(key), str) or not payload[key]:
            raise EquipmentMessageRejected(f"{name}: missing {key}")
    try:
        datetime.fromisoformat(payload["timestamp"])
    except ValueError:
        raise EquipmentMessageRejected(f"{name}: timestamp {payload['timestamp']!r}") from None
    for key, kind in _REQUIRED.get(name, {}).items():
        if not isinstance(payload.get(key), kind):
            raise EquipmentMessageRejected(f"{name}: {key} missing or of the wrong type")
    if name == ORDER:
        for end in ("pick", "place"):
            point = payload[end]
            if not all(isinstance(point.get(axis), int | float) for axis in _POINT):
                raise EquipmentMessageRejected(f"order: {end} needs {', '.join(_POINT)}")
    if name == EVENTS and payload["type"] not in EVENT_TYPES:
        raise EquipmentMessageRejected(f"events: unknown event type {payload['type']!r}")
    if name == INSTANT_ACTIONS and payload["action"] not in ACTIONS:
        raise EquipmentMessageRejected(f"instantActions: unknown action {payload['action']!r}")
    if name == CONNECTION and payload["connectionState"] not in CONNECTION_STATES:
        raise EquipmentMessageRejected(f"connection: unknown state {payload['connectionState']!r}")
    if name == STATE and payload["mode"] not in MODES:
        raise EquipmentMessageRejected(f"state: unknown mode {payload['mode']!r}")
    return payload


__all__ = [
    "ACTIONS",
    "CONNECTION",
    "EVENTS",
    "INSTANT_ACTIONS",
    "ORDER",
    "STATE",
    "TOPICS",
    "VERSION",
    "VISUALIZATION",
    "encode",
    "message",
    "parse",
    "split_topic",
    "topic",
]
