"""The load-planning document (``hubport solve loadplan FILE.json``): read it into a
request, refusing what breaks the format with the field and the problem, and write a plan
back as JSON. The format is in docs/load-planning.md."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import InvalidContainerNumber, InvalidLoadRequest
from hubport.planning.load_plan import (
    Assignment,
    LoadBox,
    LoadPlan,
    LoadRequest,
    Split,
    TrainLimits,
    WagonSpec,
)
from hubport.planning.load_planner import relocations

#: Figures a wagon type fixes (a wagon that names its type may leave them out).
TYPE_FIELDS = ("length_m", "tare_kg", "payload_kg", "platform_ft", "max_box_ft", "max_20ft_kg")


def read_request(path: Path, types: Mapping[str, WagonSpec] | None = None) -> LoadRequest:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidLoadRequest(str(path), f"cannot be read: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidLoadRequest(str(path), f"is not JSON: {error}") from error
    return request_of(document, types or {})


def request_of(document: Any, types: Mapping[str, WagonSpec]) -> LoadRequest:
    """A request from a parsed document; wagons that name a type in ``types`` take its
    figures, and any figure they give must agree with it."""
    top = _object(document, "document")
    train = _object(top.get("train"), "train")
    limits = TrainLimits(
        max_gross_kg=_int(train, "max_gross_kg", "train"),
        max_length_m=_number(train, "max_length_m", "train"),
        max_pair_difference_kg=_int(train, "max_pair_difference_kg", "train", default=10_000),
        max_wagons=_int(train, "max_wagons", "train") if "max_wagons" in train else None,
    )
    wagons = tuple(
        _wagon(item, f"wagons[{i}]", types) for i, item in enumerate(_list(top, "wagons"))
    )
    if not wagons:
        raise InvalidLoadRequest("wagons", "the train has no wagons")
    boxes = tuple(_box(item, f"boxes[{i}]") for i, item in enumerate(_list(top, "boxes")))
    separation = _object(top.get("dg_separation", {}), "dg_separation")
    for imdg, wagons_apart in separation.items():
        if not isinstance(wagons_apart, int) or wagons_apart < 0:
            raise InvalidLoadRequest(
                f"dg_separation.{imdg}", f"{wagons_apart!r}: expected a whole number of wagons"
            )
    splits = tuple(
        Split(
            _text(item, "at", f"splits[{i}]"),
            tuple(_text_list(item, "wagons", f"splits[{i}]")),
        )
        for i, item in enumerate(_list(top, "splits", required=False))
    )
    on_board = tuple(
        Assignment(
            _text(item, "wagon", f"on_board[{i}]"),
            _position(item, f"on_board[{i}]"),
            _text(item, "box", f"on_board[{i}]"),
        )
        for i, item in enumerate(_list(top, "on_board", required=False))
    )
    return LoadRequest(limits, wagons, boxes, dict(separation), splits, on_board)


def plan_json(request: LoadRequest, plan: LoadPlan) -> dict[str, Any]:
    """The plan as the command prints it with ``--json``."""
    mass = sum(request.box(a.box).gross_kg for a in plan.assignments)
    return {
        "status": plan.status,
        "loaded_teu": plan.loaded_teu,
        "bound_teu": plan.bound_teu,
        "priority_teu": plan.priority_teu,
        "seconds": round(plan.seconds, 3),
        "gross_kg": request.fixed_tare_kg + mass,
        "boxes_kg": mass,
        "payload_kg": sum(w.payload_kg for w in request.wagons),
        "relocations": relocations(request, plan.assignments),
        "assignments": [
            {"wagon": a.wagon, "position": a.position, "box": a.box} for a in plan.assignments
        ],
        "left_behind": [{"box": b.box, "reason": b.reason} for b in plan.left_behind],
        "objectives": [
            {
                "name": o.name,
                "status": o.status,
                "value": None if math.isnan(o.value) else o.value,
                "bound": None if math.isnan(o.bound) else o.bound,
            }
            for o in plan.objectives
        ],
    }


# -- fields --------------------------------------------------------------------------


def _wagon(item: Any, where: str, types: Mapping[str, WagonSpec]) -> WagonSpec:
    data = _object(item, where)
    wagon_id = _text(data, "id", where)
    where = f"wagon {wagon_id}"
    type_name = data.get("type")
    if type_name is not None and not isinstance(type_name, str):
        raise InvalidLoadRequest(where, f"type {type_name!r}: expected a text")
    known = types.get(type_name) if type_name else None
    if type_name and known is None and not all(f in data for f in TYPE_FIELDS[:3]):
        raise InvalidLoadRequest(
            where, f"unknown wagon type {type_name!r} (known: {', '.join(sorted(types))})"
        )
    figures: dict[str, Any] = {}
    for name in TYPE_FIELDS:
        given = data.get(name)
        typed = getattr(known, name) if known is not None else None
        if given is None:
            if typed is None and name in ("length_m", "tare_kg", "payload_kg"):
                raise InvalidLoadRequest(where, f"{name} is missing")
            if typed is not None:
                figures[name] = typed
            continue
        value = _number(data, name, where) if name == "length_m" else _int(data, name, where)
        if typed is not None and not math.isclose(value, typed, rel_tol=1e-3):
            raise InvalidLoadRequest(
                where, f"{name} {value:g} does not match its type {type_name} ({typed:g})"
            )
        figures[name] = value
    x = data.get("x_m")
    return WagonSpec(
        id=wagon_id,
        type=type_name,
        x_m=None if x is None else _number(data, "x_m", where),
        **figures,
    )


def _box(item: Any, where: str) -> LoadBox:
    data = _object(item, where)
    number = _text(data, "number", where)
    try:
        number = ContainerNumber(number).value
    except InvalidContainerNumber as error:
        raise InvalidLoadRequest(f"box {number}", error.reason) from error
    where = f"box {number}"
    imdg = data.get("imdg_class")
    if imdg is not None and not isinstance(imdg, str | int | float):
        raise InvalidLoadRequest(where, f'imdg_class {imdg!r}: expected a class such as "3"')
    hold = data.get("hold", False)
    if not isinstance(hold, bool):
        raise InvalidLoadRequest(where, f"hold {hold!r}: expected true or false")
    destination = data.get("destination")
    if destination is not None and not isinstance(destination, str):
        raise InvalidLoadRequest(where, f"destination {destination!r}: expected a text")
    x = data.get("yard_x_m")
    return LoadBox(
        number=number,
        length_ft=_int(data, "length_ft", where),
        gross_kg=_int(data, "gross_kg", where),
        priority=_int(data, "priority", where, default=0),
        imdg_class=None if imdg is None else str(imdg),
        hold=hold,
        destination=destination,
        blocked_by=tuple(_text_list(data, "blocked_by", where, required=False)),
        yard_x_m=None if x is None else _number(data, "yard_x_m", where),
    )


def _position(data: dict[str, Any], where: str) -> Any:
    position = data.get("position")
    if position not in ("A", "B", "AB"):
        raise InvalidLoadRequest(f"{where}.position", f"{position!r}: expected A, B or AB")
    return position


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidLoadRequest(where, f"expected an object, found {type(value).__name__}")
    return value


def _list(data: dict[str, Any], name: str, required: bool = True) -> list[Any]:
    value = data.get(name)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise InvalidLoadRequest(name, "missing" if value is None else "expected a list")
    return value


def _text(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidLoadRequest(f"{where}.{name}", f"{value!r}: expected a text")
    return value.strip()


def _text_list(data: dict[str, Any], name: str, where: str, required: bool = True) -> list[str]:
    value = data.get(name)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidLoadRequest(f"{where}.{name}", f"{value!r}: expected a list of texts")
    return value


def _number(data: dict[str, Any], name: str, where: str) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidLoadRequest(f"{where}.{name}", f"{value!r}: expected a number")
    return float(value)


def _int(data: dict[str, Any], name: str, where: str, default: int | None = None) -> int:
    value = data.get(name, default)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidLoadRequest(f"{where}.{name}", f"{value!r}: expected a whole number")
    return value


__all__ = ["plan_json", "read_request", "request_of"]
