"""Why a box may not go on a slot: the rules of ``load_plan`` checked one box at a time
against a plan as it stands (first-fit builds with it; every planner explains the boxes it
leaves behind with it)."""

from __future__ import annotations

from collections.abc import Sequence

from hubport.planning.load_plan import (
    Assignment,
    LeftBehind,
    LoadBox,
    LoadRequest,
    Position,
    WagonSpec,
    overlaps,
    positions_for,
    slot_takes,
)

#: Why a held box stays behind (a box under a customs hold is never planned).
HELD = "under a customs hold"


class PlanState:
    """A plan as it is built or checked: what stands on each wagon, the train's mass."""

    def __init__(self, request: LoadRequest, assignments: Sequence[Assignment] = ()):
        self.request = request
        self.order = {w.id: i for i, w in enumerate(request.wagons)}
        self.on: dict[str, list[tuple[Position, LoadBox]]] = {w.id: [] for w in request.wagons}
        self.gross_kg = request.fixed_tare_kg
        self.dangerous: list[tuple[int, LoadBox]] = []
        for item in assignments:
            self.add(request.box(item.box), item.wagon, item.position)

    def add(self, box: LoadBox, wagon_id: str, position: Position) -> None:
        self.on[wagon_id].append((position, box))
        self.gross_kg += box.gross_kg
        if box.imdg_class:
            self.dangerous.append((self.order[wagon_id], box))

    def refusal(self, box: LoadBox, wagon: WagonSpec, position: Position) -> str | None:
        """Why the box may not go on this slot now (None: it may)."""
        request = self.request
        if position not in positions_for(box, wagon) or not slot_takes(box, wagon):
            return "length"
        split = request.split_of(box.destination)
        if (split is not None) != (wagon.id in request.detached()) or (
            split is not None and wagon.id not in split.wagons
        ):
            return "split"
        items = self.on[wagon.id]
        if any(overlaps(position, taken) for taken, _ in items):
            return "taken"
        if self.gross_kg + box.gross_kg > request.train.max_gross_kg:
            return "gross"
        if sum(other.gross_kg for _, other in items) + box.gross_kg > wagon.payload_kg:
            return "payload"
        beside = [other for taken, other in items if taken in ("A", "B")]
        if beside and abs(beside[0].gross_kg - box.gross_kg) > request.train.max_pair_difference_kg:
            return "pair"
        if box.imdg_class:
            at = self.order[wagon.id]
            for other_at, other in self.dangerous:
                apart = max(
                    request.separation(box.imdg_class), request.separation(other.imdg_class or "")
                )
                if apart and abs(at - other_at) <= apart:
                    return "dangerous"
        return None


_REASONS = {
    "gross": "the train would exceed its gross mass limit",
    "payload": "no wagon with a free slot for it has the payload left",
    "pair": "it would differ too much in mass from the 20' box beside it",
    "dangerous": "no free slot is far enough from the other dangerous goods",
    "split": "no room on the wagons detached at its destination",
    "taken": "every slot its length fits is taken",
}


def why_left(
    request: LoadRequest, assignments: Sequence[Assignment], proved: bool
) -> list[LeftBehind]:
    """The reason each booked box not in ``assignments`` stays behind: the rule that keeps
    it off every free slot of the final plan."""
    loaded = {a.box for a in assignments}
    state = PlanState(request, assignments)
    reasons = []
    for box in request.boxes:
        if box.number in loaded:
            continue
        if box.hold:
            reasons.append(LeftBehind(box.number, HELD))
            continue
        fitting = [w for w in request.wagons if positions_for(box, w)]
        if not fitting:
            reasons.append(
                LeftBehind(box.number, f"no wagon of this train takes a {box.length_ft}' box")
            )
            continue
        refusals = {
            state.refusal(box, wagon, position)
            for wagon in fitting
            for position in positions_for(box, wagon)
        }
        if None in refusals:
            why = "it fits, but the search ran out of time" if not proved else "it fits a free slot"
            reasons.append(LeftBehind(box.number, why))
            continue
        split = request.split_of(box.destination)
        if split is not None and refusals <= {"split", "taken"}:
            reasons.append(LeftBehind(box.number, f"for {split.at}: {_REASONS['split']}"))
            continue
        for key in ("gross", "payload", "pair", "dangerous", "taken"):
            if key in refusals:
                detail = _REASONS[key]
                if key == "taken" and box.priority == 0:
                    detail += " (committed and larger boxes go first)"
                reasons.append(LeftBehind(box.number, detail))
                break
        else:
            reasons.append(LeftBehind(box.number, _REASONS["split"]))
    return reasons


__all__ = ["PlanState", "why_left"]
