"""The equipment bus without a broker: controllers in this process, messages passed as
the same JSON bytes (so they are checked exactly as on MQTT)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from hubport.adapters.equipment import protocol


class Controller(Protocol):
    def receive(self, name: str, payload: dict[str, Any], now: datetime) -> None: ...
    def advance(self, now: datetime) -> list[tuple[str, dict[str, Any]]]: ...


class InProcessEquipment:
    """Delivers the platform's orders to controllers and collects what they report."""

    def __init__(self, controllers: Mapping[str, Controller], now: datetime):
        self.controllers = dict(controllers)
        self.now = now
        self.delivered = 0
        self.offline: set[str] = set()

    def send(self, crane: str, name: str, payload: dict[str, Any]) -> None:
        if crane in self.offline:
            return  # a crane off the bus gets nothing
        checked = protocol.parse(name, protocol.encode(payload))
        self.controllers[crane].receive(name, checked, self.now)
        self.delivered += 1

    def step(self, now: datetime) -> list[tuple[str, str, dict[str, Any]]]:
        """Advance every controller to ``now``; their messages, checked, in order."""
        self.now = now
        out = []
        for crane, controller in self.controllers.items():
            if crane in self.offline:
                continue
            for name, payload in controller.advance(now):
                out.append((crane, name, protocol.parse(name, protocol.encode(payload))))
            if getattr(controller, "wants_disconnect", False):
                self.offline.add(crane)
                will = protocol.message(crane, now, connectionState="CONNECTIONBROKEN")
                out.append((crane, protocol.CONNECTION, will))
        return out
