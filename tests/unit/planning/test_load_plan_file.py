"""The load-planning document: read as the issue's format, refused by field when broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hubport.adapters.site_file import wagon_types
from hubport.domain.errors import InvalidLoadRequest
from hubport.planning.load_plan_file import plan_json, read_request, request_of
from hubport.planning.load_planner import plan_load
from hubport.planning.wagon_types import wagon_specs

WAGON_TYPES = wagon_specs(wagon_types())
DOCUMENT = Path(__file__).parents[2] / "data" / "loadplan" / "small-train.json"


def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text())
    return document


def test_the_sample_document_reads_into_wagons_and_boxes() -> None:
    request = read_request(DOCUMENT, WAGON_TYPES)
    assert len(request.wagons) == 4 and request.wagons[0].payload_kg == 70_000
    assert request.wagons[3].type == "NX70A" and request.wagons[3].tare_kg == 23_800
    assert {b.number for b in request.boxes if b.hold} == {"MSCU1234566"}


def test_a_plan_prints_as_the_contract_says() -> None:
    request = read_request(DOCUMENT, WAGON_TYPES)
    document = plan_json(request, plan_load(request, time_limit=2.0, workers=2))
    assert document["status"] == "optimal"
    assert document["loaded_teu"] == document["bound_teu"]
    assert set(document) >= {"status", "loaded_teu", "bound_teu", "seconds", "assignments"}
    assert all(set(a) == {"wagon", "position", "box"} for a in document["assignments"])
    assert {"box": "MSCU1234566", "reason": "under a customs hold"} in document["left_behind"]


@pytest.mark.parametrize(
    ("breakage", "named"),
    [
        (lambda d: d.pop("train"), "train"),
        (lambda d: d["wagons"][0].update(payload_kg="heavy"), "wagon W01.payload_kg"),
        (lambda d: d["wagons"][3].update(tare_kg=20_000), "does not match its type NX70A"),
        (lambda d: d["wagons"][3].update(type="X99"), "unknown wagon type 'X99'"),
        (lambda d: d["boxes"][0].update(number="CSQU3054384"), "box CSQU3054384"),
        (lambda d: d["boxes"][1].update(length_ft=30), "length_ft 30"),
        (lambda d: d["boxes"].append(dict(d["boxes"][0])), "booked twice"),
        (lambda d: d["boxes"][0].update(gross_kg=90_000), "heavier than any slot"),
        (
            lambda d: d.update(
                on_board=[
                    {"wagon": "W01", "position": "A", "box": d["boxes"][0]["number"]},
                    {"wagon": "W01", "position": "A", "box": d["boxes"][2]["number"]},
                ]
            ),
            "slot W01 A",
        ),
        (lambda d: d["wagons"].append({"id": "W05"}), "wagon W05: length_m is missing"),
    ],
)
def test_a_broken_document_is_refused_with_the_field_and_the_problem(breakage, named) -> None:  # type: ignore[no-untyped-def]
    document = _document()
    breakage(document)
    with pytest.raises(InvalidLoadRequest, match=named):
        request_of(document, WAGON_TYPES)
