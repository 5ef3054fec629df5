"""The truck gate: appointments with time windows, and the automated gate's checks.

An appointment books a truck (by plate) to deliver or collect one box within a window;
each window takes a limited number of trucks. At the in-gate the camera reads the box's
number with a confidence; the number is validated by its ISO 6346 check digit, and a
misread that one character would fix is *suggested*, never applied. The appointment, the
seal and the damage notes are checked; any mismatch sends the truck to the exception lane
with the reasons.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError, InvalidContainerNumber
from hubport.domain.events import Event
from hubport.domain.hub_time import HUB_TIME


class GateRefused(HubportError):
    """An appointment step or a gate transaction that the rules do not allow."""

    def __init__(self, what: str, reason: str):
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class AppointmentState(enum.Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    USED = "used"


@dataclass(frozen=True)
class Appointment:
    id: str
    plate: str
    kind: str  # deliver, collect
    number: str
    window_start: datetime
    window_end: datetime
    state: AppointmentState = AppointmentState.BOOKED
    #: Changes made to it (each moves the window).
    changes: int = 0
    version: int = 0

    def __post_init__(self) -> None:
        if not self.id or ":" in self.id:
            raise GateRefused(f"appointment {self.id!r}", "needs an id without ':'")
        if self.kind not in ("deliver", "collect"):
            raise GateRefused(f"appointment {self.id}", f"kind {self.kind!r}: deliver or collect")
        if self.window_end <= self.window_start:
            raise GateRefused(f"appointment {self.id}", "its window ends before it starts")
        if not self.plate.strip():
            raise GateRefused(f"appointment {self.id}", "names no truck plate")

    def moved(self, start: datetime, end: datetime) -> Appointment:
        if self.state is not AppointmentState.BOOKED:
            raise GateRefused(f"appointment {self.id}", f"is {self.state.value}")
        return dataclasses.replace(
            self, window_start=start, window_end=end, changes=self.changes + 1
        )

    def to(self, state: AppointmentState) -> Appointment:
        if self.state is not AppointmentState.BOOKED:
            raise GateRefused(f"appointment {self.id}", f"is {self.state.value} already")
        return dataclasses.replace(self, state=state)


@dataclass(frozen=True)
class WindowRule:
    """How the gate's day is cut into windows and how many trucks each takes."""

    minutes: int = 30
    trucks: int = 30

    def window_of(self, moment: datetime) -> tuple[datetime, datetime]:
        """The window that holds ``moment``, cut in hub time whatever offset it is written
        in (cut in the writer's offset, windows would overlap and over-book)."""
        start = moment.astimezone(HUB_TIME).replace(second=0, microsecond=0)
        start -= timedelta(minutes=start.minute % self.minutes)
        return start, start + timedelta(minutes=self.minutes)

    def windows(
        self, start: datetime, end: datetime, booked: Mapping[datetime, int]
    ) -> list[GateWindow]:
        """The windows from the one that holds ``start`` to the last that starts before
        ``end``, each with its booked trucks (``booked`` by window start)."""
        first, _end = self.window_of(start)
        step = timedelta(minutes=self.minutes)
        found, moment = [], first
        while moment < end:
            found.append(GateWindow(moment, moment + step, booked.get(moment, 0), self.trucks))
            moment += step
        return found


@dataclass(frozen=True)
class GateWindow:
    """A window of the gate's appointments and how full it is: what a haulier's booking
    screen shows."""

    start: datetime
    end: datetime
    booked: int
    trucks: int

    @property
    def free(self) -> int:
        return max(0, self.trucks - self.booked)


@dataclass(frozen=True)
class AppointmentChanged(Event):
    changes_inventory: ClassVar[bool] = False

    appointment: str
    state: str
    window_start: datetime
    note: str = ""


@dataclass(frozen=True)
class GateException(Event):
    """A truck sent to the exception lane, with the reasons."""

    changes_inventory: ClassVar[bool] = False

    plate: str
    appointment: str | None
    reasons: str


# -- the camera's read ------------------------------------------------------------------

#: Characters a camera confuses, each with those it may have been.
_LOOK_ALIKE = {
    "0": "OQD",
    "O": "0QD",
    "Q": "O0",
    "D": "0O",
    "1": "IL7",
    "I": "1L",
    "L": "1I",
    "7": "1",
    "2": "Z",
    "Z": "2",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "6": "G",
    "G": "6",
}


@dataclass(frozen=True)
class NumberRead:
    """What the gate makes of a camera read: the number when valid, else the reason and,
    when exactly one character would fix it, the suggestion (to be confirmed by a clerk)."""

    read: str
    confidence: float
    number: str | None
    problem: str | None = None
    suggestion: str | None = None


def read_number(read: str, confidence: float, expected: frozenset[str] = frozenset()) -> NumberRead:
    """Validate a camera read. A read that fails its check digit gets a suggestion: the one
    valid number one confusable character away (or among those, the one an appointment
    expects); the read itself is never replaced."""
    text = read.strip().upper().replace(" ", "")
    try:
        return NumberRead(read, confidence, ContainerNumber(text).value)
    except InvalidContainerNumber as error:
        problem = error.reason
    candidates = sorted(_one_away(text))
    preferred = [c for c in candidates if c in expected]
    suggestion = None
    if len(preferred) == 1:
        suggestion = preferred[0]
    elif len(candidates) == 1:
        suggestion = candidates[0]
    return NumberRead(read, confidence, None, problem, suggestion)


def _one_away(text: str) -> set[str]:
    found = set()
    for index, char in enumerate(text):
        options = set(_LOOK_ALIKE.get(char, ""))
        if index >= 4:  # serial and check digit: any digit may be the misread one
            options |= set("0123456789")
        for option in options - {char}:
            candidate = text[:index] + option + text[index + 1 :]
            try:
                found.add(ContainerNumber(candidate).value)
            except InvalidContainerNumber:
                continue
    return found


class AppointmentBook:
    """The appointments one unit of work reads and changes, with their read versions."""

    def __init__(
        self,
        fetch: Callable[[str], Appointment | None],
        fetch_window: Callable[[datetime, datetime], list[Appointment]],
        fetch_plate: Callable[[str], list[Appointment]],
        fetch_box: Callable[[str], list[Appointment]],
        fetch_counts: Callable[[datetime, datetime], dict[datetime, int]] | None = None,
    ):
        self._fetch, self._fetch_window, self._fetch_plate = fetch, fetch_window, fetch_plate
        self._fetch_box = fetch_box
        self._fetch_counts = fetch_counts
        self.appointments: dict[str, Appointment] = {}
        self._versions: dict[str, int] = {}
        self.changed: dict[str, Appointment] = {}

    def _seen(self, found: Iterable[Appointment]) -> None:
        for appointment in found:
            if appointment.id not in self.appointments:
                self.appointments[appointment.id] = appointment
                self._versions[appointment.id] = appointment.version

    def find(self, appointment_id: str) -> Appointment | None:
        if appointment_id not in self.appointments:
            found = self._fetch(appointment_id)
            if found is None:
                return None
            self._seen([found])
        return self.appointments[appointment_id]

    def get(self, appointment_id: str) -> Appointment:
        found = self.find(appointment_id)
        if found is None:
            raise GateRefused(f"appointment {appointment_id!r}", "is not booked")
        return found

    def booked_in(self, start: datetime, end: datetime) -> list[Appointment]:
        """The booked appointments whose window starts in [start, end)."""
        self._seen(self._fetch_window(start, end))
        return [
            a
            for a in self.appointments.values()
            if a.state is AppointmentState.BOOKED and start <= a.window_start < end
        ]

    def booked_counts(self, start: datetime, end: datetime) -> dict[datetime, int]:
        """Booked trucks by window start, for the windows that start in [start, end), as
        the store holds them: this unit of work's own changes are not in them (the gate
        looks ahead for a free window before a command changes anything)."""
        if self._fetch_counts is None:
            counts: dict[datetime, int] = {}
            for appointment in self._fetch_window(start, end):
                if appointment.state is AppointmentState.BOOKED:
                    key = appointment.window_start
                    counts[key] = counts.get(key, 0) + 1
            return counts
        return self._fetch_counts(start, end)

    def of_plate(self, plate: str) -> list[Appointment]:
        self._seen(self._fetch_plate(plate))
        return sorted(
            (a for a in self.appointments.values() if a.plate == plate),
            key=lambda a: a.window_start,
        )

    def open_for(self, number: str) -> list[Appointment]:
        """The booked (not yet used or cancelled) appointments for box ``number``."""
        self._seen(self._fetch_box(number))
        return sorted(
            (
                a
                for a in self.appointments.values()
                if a.number == number and a.state is AppointmentState.BOOKED
            ),
            key=lambda a: a.window_start,
        )

    def put(self, appointment: Appointment) -> None:
        self.appointments[appointment.id] = appointment
        self.changed[appointment.id] = appointment

    def pending_writes(self) -> list[tuple[Appointment, int | None]]:
        writes = []
        for appointment_id, appointment in self.changed.items():
            expected = self._versions.get(appointment_id)
            version = 0 if expected is None else expected + 1
            writes.append((dataclasses.replace(appointment, version=version), expected))
        return writes


__all__ = [
    "Appointment",
    "AppointmentBook",
    "AppointmentChanged",
    "AppointmentState",
    "GateException",
    "GateRefused",
    "GateWindow",
    "NumberRead",
    "WindowRule",
    "read_number",
]
