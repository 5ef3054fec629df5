"""Customs at the supervised site: declarations and their life, holds and inspections.

A declaration covers one or more boxes and the legs it declares them for (a river leg
and a rail leg together: joint clearance; the legs of a sea–rail–river transit). It is
lodged before the goods arrive (an advance declaration) or after; its arrival report is
issued by the platform at a declared box's first set-down in the supervised area, never by
a person. Customs releases it, or selects it for inspection first. A hold is on one box:
while any hold on a box is open the box may not leave on any carrier.

Every change is an event; only the customs role may hold, inspect or release (the rule
lives in the service layer, ``services/customs_handlers``).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.events import Event


class CustomsRefused(HubportError):
    """A customs step that the declaration's or hold's state does not allow."""

    def __init__(self, what: str, reason: str):
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class DeclarationState(enum.Enum):
    LODGED = "lodged"
    ARRIVED = "arrived"
    SELECTED = "selected"
    RELEASED = "released"
    CANCELLED = "cancelled"


#: The declaration's life: which state may follow which.
TRANSITIONS: dict[DeclarationState, frozenset[DeclarationState]] = {
    DeclarationState.LODGED: frozenset(
        {DeclarationState.ARRIVED, DeclarationState.SELECTED, DeclarationState.CANCELLED}
    ),
    DeclarationState.ARRIVED: frozenset({DeclarationState.SELECTED, DeclarationState.RELEASED}),
    DeclarationState.SELECTED: frozenset({DeclarationState.ARRIVED, DeclarationState.RELEASED}),
    DeclarationState.RELEASED: frozenset(),
    DeclarationState.CANCELLED: frozenset(),
}

LEG_MODES = ("sea", "rail", "river", "road")


@dataclass(frozen=True)
class Leg:
    """A leg a declaration covers: its mode and where it runs (UN/LOCODEs)."""

    mode: str
    origin: str
    destination: str

    def __post_init__(self) -> None:
        if self.mode not in LEG_MODES:
            raise CustomsRefused(f"leg {self.origin}-{self.destination}", f"mode {self.mode!r}")

    def __str__(self) -> str:
        return f"{self.mode} {self.origin}→{self.destination}"


@dataclass(frozen=True)
class Declaration:
    id: str
    kind: str  # import, export, transit
    boxes: tuple[str, ...]
    legs: tuple[Leg, ...]
    office: str
    lodged_at: datetime
    state: DeclarationState = DeclarationState.LODGED
    #: The declaration of the previous leg it continues (transit carried over), if any.
    continues: str | None = None
    #: When the arrival report was issued, and where the first box was set down.
    arrived_at: datetime | None = None
    released_at: datetime | None = None
    note: str = ""
    version: int = 0

    def __post_init__(self) -> None:
        if not self.id or ":" in self.id:
            raise CustomsRefused(f"declaration {self.id!r}", "needs an id without ':'")
        if self.kind not in ("import", "export", "transit"):
            raise CustomsRefused(f"declaration {self.id}", f"kind {self.kind!r}")
        if not self.boxes:
            raise CustomsRefused(f"declaration {self.id}", "covers no box")
        if len(set(self.boxes)) != len(self.boxes):
            raise CustomsRefused(f"declaration {self.id}", "names a box twice")
        if not self.legs:
            raise CustomsRefused(f"declaration {self.id}", "covers no leg")

    def advance(
        self, to: DeclarationState, at: datetime, note: str = ""
    ) -> tuple[Declaration, DeclarationChanged]:
        if to not in TRANSITIONS[self.state]:
            raise CustomsRefused(
                f"declaration {self.id}", f"cannot go from {self.state.value} to {to.value}"
            )
        changed = dataclasses.replace(
            self,
            state=to,
            arrived_at=at if to is DeclarationState.ARRIVED and not self.arrived_at else None,
            released_at=at if to is DeclarationState.RELEASED else self.released_at,
            note=note,
        )
        if changed.arrived_at is None:
            changed = dataclasses.replace(changed, arrived_at=self.arrived_at)
        return changed, DeclarationChanged(at, self.id, self.state.value, to.value, note)

    @property
    def open(self) -> bool:
        return self.state not in (DeclarationState.RELEASED, DeclarationState.CANCELLED)

    def covers(self, mode: str) -> bool:
        return any(leg.mode == mode for leg in self.legs)


@dataclass(frozen=True)
class DeclarationChanged(Event):
    """A declaration went from one state to another (lodged: from ``""``)."""

    changes_inventory: ClassVar[bool] = False

    declaration: str
    previous: str
    state: str
    note: str = ""


@dataclass(frozen=True)
class HoldChanged(Event):
    """Customs placed (``open``) or lifted a hold or an inspection order on a box."""

    changes_inventory: ClassVar[bool] = False

    hold: str
    number: str
    kind: str
    open: bool
    reason: str


@dataclass(frozen=True)
class Hold:
    """A customs hold or inspection order on one box; open until ``lifted_at``."""

    id: str
    number: str
    kind: str  # hold, inspection
    reason: str
    placed_at: datetime
    lifted_at: datetime | None = None
    version: int = 0

    @property
    def open(self) -> bool:
        return self.lifted_at is None


@dataclass(frozen=True)
class UndeclaredArrival(Event):
    """A box that needs customs came into the hub with no declaration: flagged."""

    changes_inventory: ClassVar[bool] = False

    number: str
    place: str


class CustomsBook:
    """The declarations and holds one unit of work reads and changes, fetched on first use
    (by id, or those of some boxes), with the version each had when read."""

    def __init__(
        self,
        fetch: Callable[[str], Declaration | None],
        fetch_of: Callable[[Iterable[str]], list[Declaration]],
        fetch_holds: Callable[[Iterable[str]], list[Hold]],
        fetch_hold: Callable[[str], Hold | None],
    ):
        self._fetch, self._fetch_of, self._fetch_holds = fetch, fetch_of, fetch_holds
        self._fetch_hold = fetch_hold
        self.declarations: dict[str, Declaration] = {}
        self.holds: dict[str, Hold] = {}
        self._read: set[str] = set()
        self._holds_read: set[str] = set()
        self.changed: dict[str, Declaration] = {}
        self.changed_holds: dict[str, Hold] = {}
        self._versions: dict[str, int] = {}
        self._hold_versions: dict[str, int] = {}

    def find(self, declaration_id: str) -> Declaration | None:
        if declaration_id not in self.declarations:
            found = self._fetch(declaration_id)
            if found is None:
                return None
            self._seen(found)
        return self.declarations[declaration_id]

    def _seen(self, declaration: Declaration) -> None:
        if declaration.id not in self.declarations:
            self.declarations[declaration.id] = declaration
            self._versions[declaration.id] = declaration.version

    def get(self, declaration_id: str) -> Declaration:
        found = self.find(declaration_id)
        if found is None:
            raise CustomsRefused(f"declaration {declaration_id!r}", "is not known")
        return found

    def of_boxes(self, numbers: Iterable[str]) -> list[Declaration]:
        """The declarations that cover any of ``numbers`` (open or not)."""
        wanted = set(numbers)
        missing = wanted - self._read
        if missing:
            for found in self._fetch_of(sorted(missing)):
                self._seen(found)
            self._read |= missing
        return sorted(
            (d for d in self.declarations.values() if wanted & set(d.boxes)),
            key=lambda d: (d.lodged_at, d.id),
        )

    def current(self, number: str) -> Declaration | None:
        """The box's declaration in force: the latest open one, else the latest."""
        found = self.of_boxes([number])
        open_ = [d for d in found if d.open]
        chosen = open_ or found
        return chosen[-1] if chosen else None

    def holds_on(self, number: str) -> list[Hold]:
        if number not in self._holds_read:
            for hold in self._fetch_holds([number]):
                if hold.id not in self.holds:
                    self.holds[hold.id] = hold
                    self._hold_versions[hold.id] = hold.version
            self._holds_read.add(number)
        return sorted(
            (h for h in self.holds.values() if h.number == number), key=lambda h: h.placed_at
        )

    def hold(self, hold_id: str) -> Hold | None:
        if hold_id not in self.holds:
            found = self._fetch_hold(hold_id)
            if found is None:
                return None
            self.holds[hold_id] = found
            self._hold_versions[hold_id] = found.version
        return self.holds[hold_id]

    def lodge(self, declaration: Declaration) -> DeclarationChanged:
        if self.find(declaration.id) is not None:
            raise CustomsRefused(f"declaration {declaration.id}", "is lodged already")
        self.put(declaration)
        return DeclarationChanged(
            declaration.lodged_at, declaration.id, "", "lodged", declaration.kind
        )

    def put(self, declaration: Declaration) -> None:
        self.declarations[declaration.id] = declaration
        self.changed[declaration.id] = declaration

    def put_hold(self, hold: Hold) -> None:
        self.holds[hold.id] = hold
        self.changed_holds[hold.id] = hold

    @property
    def dirty(self) -> bool:
        return bool(self.changed or self.changed_holds)

    def pending_writes(
        self,
    ) -> tuple[list[tuple[Declaration, int | None]], list[tuple[Hold, int | None]]]:
        """What to write, each with the version it had when read (None: new), and the
        version it is written with (one more)."""
        declarations = []
        for declaration_id, declaration in self.changed.items():
            expected = self._versions.get(declaration_id)
            version = 0 if expected is None else expected + 1
            declarations.append((dataclasses.replace(declaration, version=version), expected))
        holds = []
        for hold_id, hold in self.changed_holds.items():
            expected = self._hold_versions.get(hold_id)
            version = 0 if expected is None else expected + 1
            holds.append((dataclasses.replace(hold, version=version), expected))
        return declarations, holds

    def status_of(self, number: str) -> str:
        """Where the box stands with customs, in a word."""
        if any(h.open for h in self.holds_on(number)):
            return "held"
        declaration = self.current(number)
        return declaration.state.value if declaration is not None else "undeclared"


def box_number(text: str) -> str:
    """A container number, checked (ISO 6346), as text."""
    return ContainerNumber(text).value


__all__ = [
    "LEG_MODES",
    "TRANSITIONS",
    "CustomsBook",
    "CustomsRefused",
    "Declaration",
    "DeclarationChanged",
    "DeclarationState",
    "Hold",
    "HoldChanged",
    "Leg",
    "UndeclaredArrival",
    "box_number",
]
