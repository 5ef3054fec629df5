"""Commands of the truck gate: appointments, and the gate-in and gate-out transactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubport.domain.container import ContainerNumber
from hubport.domain.places import Spot
from hubport.services.commands import Command


@dataclass(frozen=True)
class BookAppointment(Command):
    """Book a truck (by plate) to deliver or collect a box in the window that holds
    ``at``; refused when the window is full (the answer names the next free one)."""

    appointment: str
    plate: str
    kind: str  # deliver, collect
    number: ContainerNumber
    at: datetime


@dataclass(frozen=True)
class ChangeAppointment(Command):
    appointment: str
    at: datetime


@dataclass(frozen=True)
class CancelAppointment(Command):
    appointment: str
    reason: str = ""


@dataclass(frozen=True)
class TruckAtGate(Command):
    """A truck at the in-gate: what the camera read (with its confidence), the seal and
    any damage noted. Every check passed: the truck goes in and its crane work is planned
    (the linkage). Any mismatch: it goes to the exception lane with the reasons, and
    nothing else changes."""

    visit: str
    plate: str
    appointment: str
    read: str
    confidence: float
    seal: str | None = None
    damage: str = ""
    #: Where on the chassis the box goes or stands; None: AB for a 40', A for a 20'.
    spot: Spot | None = None


@dataclass(frozen=True)
class TruckLeaves(Command):
    """A truck at the out-gate; refused, with the reason, while a box on it is under a
    customs hold, or its charges are not settled (the billing ledger says)."""

    visit: str


__all__ = [
    "BookAppointment",
    "CancelAppointment",
    "ChangeAppointment",
    "TruckAtGate",
    "TruckLeaves",
]
