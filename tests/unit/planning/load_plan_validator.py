"""An independent check of train load plans: every rule of ``planning/load_plan``, from
the request's own figures (it shares no code with the planner)."""

from __future__ import annotations

from collections.abc import Sequence

from hubport.planning.load_plan import Assignment, LoadBox, LoadRequest

Position = str


def _fits(box: LoadBox, max_box_ft: int, position: str) -> bool:
    if box.length_ft == 20:
        return position in ("A", "B")
    return position == "AB" and box.length_ft <= max_box_ft


def _overlap(a: str, b: str) -> bool:
    return a == b or a == "AB" or b == "AB"


def _separation(request: LoadRequest, imdg_class: str) -> int:
    rules = request.dg_separation
    return rules.get(imdg_class, rules.get(imdg_class.split(".")[0], rules.get("*", 1)))


def violations(request: LoadRequest, assignments: Sequence[Assignment]) -> list[str]:
    """Every rule ``assignments`` breaks (empty for a sound plan)."""
    problems: list[str] = []
    boxes = {b.number: b for b in request.boxes}
    wagons = {w.id: w for w in request.wagons}
    order = {w.id: i for i, w in enumerate(request.wagons)}
    seen: set[str] = set()
    by_wagon: dict[str, list[tuple[str, LoadBox]]] = {}
    for item in assignments:
        box, wagon = boxes.get(item.box), wagons.get(item.wagon)
        if box is None or wagon is None:
            problems.append(f"{item.box} on {item.wagon}: unknown box or wagon")
            continue
        if item.box in seen:
            problems.append(f"{item.box} is planned twice")
        seen.add(item.box)
        if box.hold:
            problems.append(f"{item.box} is under a customs hold")
        if not _fits(box, wagon.max_box_ft, item.position):
            problems.append(
                f"{item.box} ({box.length_ft}') does not fit {item.wagon} {item.position}"
            )
        if box.is_twenty and box.gross_kg > wagon.max_20ft_kg:
            problems.append(f"{item.box} is over the 20' slot limit of {item.wagon}")
        split = next((s for s in request.splits if s.at == box.destination), None)
        detached = {w for s in request.splits for w in s.wagons}
        if split is not None and item.wagon not in split.wagons:
            problems.append(f"{item.box} for {split.at} is not on a wagon detached there")
        if split is None and item.wagon in detached:
            problems.append(f"{item.box} is on {item.wagon}, which is detached on the way")
        by_wagon.setdefault(item.wagon, []).append((item.position, box))
    for placed in request.on_board:
        if Assignment(placed.wagon, placed.position, placed.box) not in assignments:
            problems.append(f"{placed.box} was on board at {placed.wagon} {placed.position}")
    for wagon_id, items in by_wagon.items():
        wagon = wagons[wagon_id]
        for i, (a, box_a) in enumerate(items):
            for b, box_b in items[i + 1 :]:
                if _overlap(a, b):
                    problems.append(f"{wagon_id} {a}/{b}: {box_a.number} and {box_b.number}")
        mass = sum(box.gross_kg for _, box in items)
        if mass > wagon.payload_kg:
            problems.append(f"{wagon_id} carries {mass} kg, over its {wagon.payload_kg} kg")
        pair = [box for position, box in items if position in ("A", "B")]
        if len(pair) == 2:
            difference = abs(pair[0].gross_kg - pair[1].gross_kg)
            if difference > request.train.max_pair_difference_kg:
                problems.append(f"{wagon_id}: its 20' boxes differ by {difference} kg")
    gross = sum(w.tare_kg for w in request.wagons) + sum(
        boxes[a.box].gross_kg for a in assignments if a.box in boxes
    )
    if gross > request.train.max_gross_kg:
        problems.append(f"the train weighs {gross} kg, over {request.train.max_gross_kg} kg")
    dangerous = [
        (order[a.wagon], boxes[a.box])
        for a in assignments
        if a.box in boxes and a.wagon in order and boxes[a.box].imdg_class
    ]
    for i, (at, box) in enumerate(dangerous):
        for other_at, other in dangerous[i + 1 :]:
            apart = max(
                _separation(request, box.imdg_class or ""),
                _separation(request, other.imdg_class or ""),
            )
            if apart and abs(at - other_at) <= apart:
                problems.append(
                    f"dangerous goods {box.number} and {other.number} are "
                    f"{abs(at - other_at) - 1 if at != other_at else 0} wagons apart"
                    f" (at least {apart})"
                )
    return problems
