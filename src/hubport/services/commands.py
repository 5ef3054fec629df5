"""Commands: what someone asks the hub to do. Each has exactly one handler.

A command from outside (an EDI message, a crane report, a gate transaction) carries an
``idempotency_key``; the bus applies a key once and answers repeats with the first result.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hubport.domain.advice import ContainerAdvice
from hubport.domain.container import Container, ContainerNumber, CustomsStatus
from hubport.domain.events import encode
from hubport.domain.places import Place, Spot, WagonSlot
from hubport.domain.visits import TrainVisit, TruckVisit

#: The ways a command reaches the hub.
CHANNELS = ("api", "console", "edi", "cli", "runtime")


@dataclass(frozen=True)
class Author:
    """Who asked for a command: the authenticated user or machine account, its role, and
    the channel it came by. Recorded with every event the command causes."""

    account: str
    role: str
    channel: str

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"channel {self.channel!r} is not one of {', '.join(CHANNELS)}")


@dataclass(frozen=True)
class Command:
    """Base of every command; ``idempotency_key`` names an external message, if any, and
    ``author`` who asked (the bus's own author when none is given)."""

    idempotency_key: str | None = field(default=None, kw_only=True)
    author: Author | None = field(default=None, kw_only=True, compare=False)

    def digest(self) -> str:
        """A fingerprint of the command's content, to spot a key reused for other content."""
        content = {
            f.name: encode(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in ("idempotency_key", "author")
        }
        text = json.dumps([type(self).__name__, content], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class AnnounceContainer(Command):
    """Pre-advice of a box (from a COPRAR, BAPLIE, appointment or declaration)."""

    container: Container


@dataclass(frozen=True)
class AdviseContainers(Command):
    """A partner's message about boxes: announce the new ones, update the known ones.

    All lines apply together or none does; ``source`` names the message for the record.
    """

    advices: tuple[ContainerAdvice, ...]
    source: str


@dataclass(frozen=True)
class UpdateContainer(Command):
    container: Container


@dataclass(frozen=True)
class SetCustomsStatus(Command):
    number: ContainerNumber
    status: CustomsStatus
    reason: str


@dataclass(frozen=True)
class RegisterTrain(Command):
    train: TrainVisit


@dataclass(frozen=True)
class ArriveTrain(Command):
    """A train reaches its track; ``consist`` lists the announced boxes on its wagons
    (empty: those the train was registered with). ``at``: when, if not now."""

    train_id: str
    track: str
    consist: tuple[tuple[ContainerNumber, WagonSlot], ...] = ()
    at: datetime | None = None


@dataclass(frozen=True)
class DepartTrain(Command):
    train_id: str


@dataclass(frozen=True)
class GateIn(Command):
    """A truck passes the in-gate, with the announced boxes it brings on its spots."""

    truck: TruckVisit
    boxes: tuple[tuple[ContainerNumber, Spot], ...] = ()


@dataclass(frozen=True)
class GateOut(Command):
    visit_id: str


@dataclass(frozen=True)
class MoveContainer(Command):
    """A crane move of a box on top: a pick onto a spreader, a set-down from one, or both.

    ``destination`` None means: choose a yard slot (or, with ``train_id``, a wagon spot of
    that train). ``keep_clear_of`` names a box being dug out: the slot chosen is not on
    its stack (a relocation).
    """

    number: ContainerNumber
    destination: Place | None
    crane: str | None = None
    reason: str = "move"
    train_id: str | None = None
    keep_clear_of: ContainerNumber | None = None
    near_x: float | None = None
    """Where along the rail the box was lifted: the slot chosen is the nearest good one."""


@dataclass(frozen=True)
class PickContainer(Command):
    """A crane starts a job at ``crane_x`` and lifts the next box of it onto its spreader.

    The job is to take ``number`` to ``destination`` (None: a yard slot; with ``train_id``,
    a wagon spot of that train). While boxes stand on ``number`` the next box is the top
    one of them (a relocation); then it is ``number`` itself. The lift happens when the
    crane has travelled to the box and locked on: that moment is the event's time. The
    result names the box lifted, where from, when, and where it is planned to go.
    """

    number: ContainerNumber
    crane: str
    crane_x: float
    reason: str
    destination: Place | None = None
    train_id: str | None = None


@dataclass(frozen=True)
class RetrieveContainer(Command):
    """Take a box out of the yard onto a carrier, relocating whatever stands above it.

    ``destination`` is a truck or wagon spot; with ``train_id`` instead, a wagon spot
    of that train is chosen.
    """

    number: ContainerNumber
    destination: Place | None = None
    train_id: str | None = None
    reason: str = "load"


def result_json(result: dict[str, Any]) -> str:
    return json.dumps(result, sort_keys=True, default=str)


__all__ = [
    "CHANNELS",
    "AdviseContainers",
    "AnnounceContainer",
    "ArriveTrain",
    "Author",
    "Command",
    "DepartTrain",
    "GateIn",
    "GateOut",
    "MoveContainer",
    "PickContainer",
    "RegisterTrain",
    "RetrieveContainer",
    "SetCustomsStatus",
    "UpdateContainer",
    "result_json",
]
