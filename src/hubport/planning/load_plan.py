"""A departing train's load plan: which booked box goes on which wagon slot.

The request holds the train's limits, its wagons in order from the locomotive, and the
boxes booked on it. A wagon with a 40-foot platform carries two 20' boxes (slots ``A`` and
``B``) or one 40'/45' box on the whole platform (``AB``). The rules every plan keeps
(the tests check every plan against them with a validator of their own):

- a box at most once, on a slot that its length fits;
- a wagon's payload, and the limit on a 20' box in one slot;
- two 20' boxes on one wagon within ``max_pair_difference_kg`` of each other;
- the train's gross mass (wagon tares and boxes);
- dangerous goods kept apart: two boxes of classes with separations s and t stand at
  least ``max(s, t)`` wagons between them (1: never on adjacent wagons or on one wagon);
- boxes for a split point on the wagons detached there, and no other box on those;
- a box under a customs hold is never planned; a box already on board stays where it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hubport.domain.errors import InvalidLoadRequest
from hubport.domain.rail import TrainLimits

Position = Literal["A", "B", "AB"]
#: Separation (wagons between) of dangerous goods whose class the request does not name.
DEFAULT_SEPARATION = 1


@dataclass(frozen=True)
class WagonSpec:
    """One wagon of the train, in order from the locomotive."""

    id: str
    length_m: float
    tare_kg: int
    payload_kg: int
    platform_ft: int = 40
    max_box_ft: int = 45
    #: The heaviest 20' box one slot takes.
    max_20ft_kg: int = 35_000
    #: Its type, when the request names one (NX70A…).
    type: str | None = None
    #: Where it stands along the crane rail, in metres (None: not known).
    x_m: float | None = None


@dataclass(frozen=True)
class LoadBox:
    """A box booked on the train."""

    number: str
    length_ft: int
    gross_kg: int
    #: 1: committed (loaded first); 0: loaded when room is left.
    priority: int = 0
    imdg_class: str | None = None
    hold: bool = False
    destination: str | None = None
    #: The boxes standing on it in the yard (booked on this train or not): each one not
    #: loaded too must be relocated to fetch it.
    blocked_by: tuple[str, ...] = ()
    #: Where it stands along the crane rail, in metres (None: not known).
    yard_x_m: float | None = None

    @property
    def teu(self) -> int:
        return 1 if self.length_ft == 20 else 2

    @property
    def is_twenty(self) -> bool:
        return self.length_ft == 20


@dataclass(frozen=True)
class Split:
    """An intermediate point where the wagons named are detached with their boxes."""

    at: str
    wagons: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    wagon: str
    position: Position
    box: str


@dataclass(frozen=True)
class LoadRequest:
    train: TrainLimits
    wagons: tuple[WagonSpec, ...]
    boxes: tuple[LoadBox, ...]
    #: Separation in wagons between dangerous goods, by IMDG class ("3", "2.1"…).
    dg_separation: Mapping[str, int] = field(default_factory=dict)
    splits: tuple[Split, ...] = ()
    #: Boxes already on the train that stay (through traffic).
    on_board: tuple[Assignment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_boxes", {b.number: b for b in self.boxes})
        object.__setattr__(self, "_wagons", {w.id: w for w in self.wagons})
        object.__setattr__(self, "_detached", frozenset(w for s in self.splits for w in s.wagons))
        _check(self)

    def box(self, number: str) -> LoadBox:
        found: LoadBox = self._boxes[number]  # type: ignore[attr-defined]
        return found

    def wagon(self, wagon_id: str) -> WagonSpec:
        found: WagonSpec = self._wagons[wagon_id]  # type: ignore[attr-defined]
        return found

    def separation(self, imdg_class: str) -> int:
        """Wagons that must stand between a box of this class and other dangerous goods."""
        if imdg_class in self.dg_separation:
            return self.dg_separation[imdg_class]
        main = imdg_class.split(".")[0]
        return self.dg_separation.get(main, self.dg_separation.get("*", DEFAULT_SEPARATION))

    def split_of(self, destination: str | None) -> Split | None:
        return next((s for s in self.splits if s.at == destination), None)

    def detached(self) -> frozenset[str]:
        """Wagons detached at some split point."""
        found: frozenset[str] = self._detached  # type: ignore[attr-defined]
        return found

    @property
    def fixed_tare_kg(self) -> int:
        return sum(w.tare_kg for w in self.wagons)


@dataclass(frozen=True)
class LeftBehind:
    box: str
    reason: str


@dataclass(frozen=True)
class Objective:
    """One stage of the lexicographic objective: what was found, and what was proved."""

    name: str
    status: str
    value: float
    bound: float


@dataclass(frozen=True)
class LoadPlan:
    status: str
    assignments: tuple[Assignment, ...]
    left_behind: tuple[LeftBehind, ...]
    loaded_teu: int
    bound_teu: int
    priority_teu: int
    seconds: float
    objectives: tuple[Objective, ...] = ()

    def of(self, wagon: str) -> list[Assignment]:
        return [a for a in self.assignments if a.wagon == wagon]


def positions_for(box: LoadBox, wagon: WagonSpec) -> tuple[Position, ...]:
    """The slots of a wagon that the box's length fits (its mass aside)."""
    if box.is_twenty:
        return ("A", "B")
    return ("AB",) if box.length_ft <= min(wagon.max_box_ft, 45) else ()


def slot_takes(box: LoadBox, wagon: WagonSpec) -> bool:
    """A slot of the wagon takes the box, its length and its mass alone."""
    if not positions_for(box, wagon):
        return False
    if box.gross_kg > wagon.payload_kg:
        return False
    return not (box.is_twenty and box.gross_kg > wagon.max_20ft_kg)


def overlaps(a: Position, b: Position) -> bool:
    return a == b or "AB" in (a, b)


def _check(request: LoadRequest) -> None:
    """Refuse a request that contradicts itself, naming the wagon, slot or box."""
    seen_wagons: set[str] = set()
    for wagon in request.wagons:
        if wagon.id in seen_wagons:
            raise InvalidLoadRequest(f"wagon {wagon.id}", "appears twice in the train")
        seen_wagons.add(wagon.id)
        if wagon.platform_ft != 40:
            raise InvalidLoadRequest(
                f"wagon {wagon.id}", f"platform_ft {wagon.platform_ft}: only 40 is supported"
            )
        if wagon.max_box_ft not in (40, 45):
            raise InvalidLoadRequest(
                f"wagon {wagon.id}", f"max_box_ft {wagon.max_box_ft}: expected 40 or 45"
            )
        for name in ("length_m", "payload_kg", "max_20ft_kg"):
            if getattr(wagon, name) <= 0:
                raise InvalidLoadRequest(f"wagon {wagon.id}", f"{name} must be positive")
        if wagon.tare_kg < 0:
            raise InvalidLoadRequest(f"wagon {wagon.id}", "tare_kg must not be negative")
    most = request.train.max_wagons
    if most is not None and len(request.wagons) > most:
        raise InvalidLoadRequest(
            "train", f"{len(request.wagons)} wagons, more than max_wagons {most}"
        )
    length = sum(w.length_m for w in request.wagons)
    if length > request.train.max_length_m + 1e-9:
        raise InvalidLoadRequest(
            "train",
            f"its {len(request.wagons)} wagons are {length:.1f} m long, more than "
            f"max_length_m {request.train.max_length_m:g}",
        )
    if request.fixed_tare_kg > request.train.max_gross_kg:
        raise InvalidLoadRequest(
            "train", f"the wagons' tare alone exceeds max_gross_kg {request.train.max_gross_kg}"
        )
    seen_boxes: set[str] = set()
    for box in request.boxes:
        if box.number in seen_boxes:
            raise InvalidLoadRequest(f"box {box.number}", "is booked twice on this train")
        seen_boxes.add(box.number)
        if box.length_ft not in (20, 40, 45):
            raise InvalidLoadRequest(
                f"box {box.number}", f"length_ft {box.length_ft}: expected 20, 40 or 45"
            )
        if box.gross_kg <= 0:
            raise InvalidLoadRequest(f"box {box.number}", "gross_kg must be positive")
        if box.priority not in (0, 1):
            raise InvalidLoadRequest(
                f"box {box.number}", f"priority {box.priority}: expected 0 or 1"
            )
        if box.number in box.blocked_by:
            raise InvalidLoadRequest(f"box {box.number}", "is listed as standing on itself")
        lengthwise = [w for w in request.wagons if positions_for(box, w)]
        if lengthwise and not any(slot_takes(box, w) for w in lengthwise):
            heaviest = max(
                min(w.payload_kg, w.max_20ft_kg) if box.is_twenty else w.payload_kg
                for w in lengthwise
            )
            raise InvalidLoadRequest(
                f"box {box.number}",
                f"{box.gross_kg} kg is heavier than any slot allows ({heaviest} kg)",
            )
    for split in request.splits:
        for wagon_id in split.wagons:
            if wagon_id not in seen_wagons:
                raise InvalidLoadRequest(f"split at {split.at}", f"names no wagon {wagon_id}")
    detached = [w for s in request.splits for w in s.wagons]
    if len(detached) != len(set(detached)):
        raise InvalidLoadRequest("splits", "a wagon is detached at two split points")
    taken: dict[tuple[str, str], str] = {}
    for placed in request.on_board:
        if placed.wagon not in seen_wagons:
            raise InvalidLoadRequest(f"on_board box {placed.box}", f"no wagon {placed.wagon}")
        if placed.box not in seen_boxes:
            raise InvalidLoadRequest(f"on_board box {placed.box}", "is not among the train's boxes")
        for spot in ("A", "B"):
            if overlaps(placed.position, spot):
                other = taken.get((placed.wagon, spot))
                if other is not None and other != placed.box:
                    raise InvalidLoadRequest(
                        f"slot {placed.wagon} {placed.position}",
                        f"double-booked: {other} and {placed.box}",
                    )
                taken[(placed.wagon, spot)] = placed.box
        box = request.box(placed.box)
        wagon = request.wagon(placed.wagon)
        if placed.position not in positions_for(box, wagon):
            raise InvalidLoadRequest(
                f"slot {placed.wagon} {placed.position}",
                f"does not fit {placed.box} ({box.length_ft}')",
            )
    aboard = [p.box for p in request.on_board]
    if len(aboard) != len(set(aboard)):
        raise InvalidLoadRequest("on_board", "a box stands on two slots")


__all__ = [
    "Assignment",
    "LeftBehind",
    "LoadBox",
    "LoadPlan",
    "LoadRequest",
    "Objective",
    "Position",
    "Split",
    "TrainLimits",
    "WagonSpec",
    "overlaps",
    "positions_for",
    "slot_takes",
]
