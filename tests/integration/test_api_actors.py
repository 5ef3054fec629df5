"""The world's writes through the API: the railway's trains, the gate portal's trucks, the
river port's calls; each idempotent, each refusal clear and changing nothing."""

from __future__ import annotations

from typing import Any

from hubport.domain.container import Container, SizeType
from hubport.domain.places import VesselCell, WagonSlot
from hubport.domain.visits import TrainVisit, Wagon
from hubport.twin.client import train_body
from tests.conftest import T0, valid_number
from tests.integration.app_hub import MINE, Api


def _train(train_id: str = "R1", boxes: int = 3) -> dict[str, Any]:
    containers = tuple(
        Container(valid_number(700 + index), SizeType.of("22G1"), 12_000) for index in range(boxes)
    )
    visit = TrainVisit(
        train_id,
        "CL-VTE-N",
        "inbound",
        tuple(Wagon(number) for number in range(1, boxes + 1)),
        arrives=T0,
        departs=T0.replace(hour=T0.hour + 4),
        consist=tuple(
            (c.number, WagonSlot(train_id, index + 1, "A")) for index, c in enumerate(containers)
        ),
    )
    return train_body(visit, containers)


def test_a_train_registered_twice_answers_the_same_and_a_changed_one_names_the_change(
    api: Api,
) -> None:
    body = _train()
    first = api.post("/api/trains", "railway", json=body)
    assert first.status_code == 201
    assert first.json() | {} == api.post("/api/trains", "railway", json=body).json()
    moved = _train()
    moved["wagons"][0]["boxes"][0]["slot"] = "B"
    conflict = api.post("/api/trains", "railway", json=moved)
    assert conflict.status_code == 409
    message = conflict.json()["error"]["message"]
    assert "wagon:R1:01:A, not wagon:R1:01:B" in message
    heavier = _train()
    heavier["wagons"][1]["boxes"][0]["mass_kg"] = 20_000
    assert (
        "of 12000 kg, not a 22G1 of 20000 kg"
        in (api.post("/api/trains", "railway", json=heavier).json()["error"]["message"])
    )


def test_a_train_is_refused_whole_for_a_box_that_does_not_fit(api: Api) -> None:
    body = _train("R2")
    body["wagons"][0]["boxes"].append(dict(body["wagons"][1]["boxes"][0]))
    refused = api.post("/api/trains", "railway", json=body)
    assert refused.status_code == 409 and "twice" in refused.json()["error"]["message"]
    assert api.get("/api/trains/R2", "operator").status_code == 404
    body = _train("R3")
    body["wagons"][0]["type"] = "NOPE"
    refused = api.post("/api/trains", "railway", json=body)
    assert refused.status_code == 422 and "NOPE" in refused.json()["error"]["message"]


def test_a_date_out_of_range_is_a_clear_error(api: Api) -> None:
    body = _train("R4") | {"departs": "9999-12-31T23:00:00+08:00"}
    refused = api.post("/api/trains", "railway", json=body)
    assert refused.status_code == 400 and "9999" in refused.json()["error"]["message"]


def test_the_consist_is_on_the_wagons_when_the_train_arrives(api: Api) -> None:
    body = _train("R5", boxes=2)
    assert api.post("/api/trains", "railway", json=body).status_code == 201
    arrived = api.post("/api/trains/R5/arrival", "railway", json={"track": "T2"})
    assert arrived.status_code == 200 and arrived.json()["boxes"] == 2
    again = api.post("/api/trains/R5/arrival", "railway", json={"track": "T2"})
    assert again.json() == arrived.json()
    box = body["wagons"][0]["boxes"][0]["box"]
    assert api.get(f"/api/containers/{box}", "railway").json()["place"] == "wagon:R5:01:A"


def test_a_discharge_order_naming_a_box_not_on_the_train_is_refused(api: Api) -> None:
    assert api.post("/api/trains", "railway", json=_train("R6")).status_code == 201
    order = {"lines": [{"box": MINE.number.value, "wagon": 1, "slot": "A"}]}
    refused = api.post("/api/trains/R6/discharge", "railway", json=order)
    assert refused.status_code == 409
    assert f"box {MINE.number.value} is ordered off" in refused.json()["error"]["message"]
    accepted = api.post("/api/trains/R6/discharge", "railway", json={"lines": []})
    assert accepted.status_code == 202 and accepted.json()["ordered"] == "all"


def test_a_truck_without_an_appointment_goes_to_the_exception_lane(api: Api) -> None:
    transaction = {
        "direction": "in",
        "visit": "TV7",
        "plate": "渝A00001",
        "appointment": "NONE",
        "read": MINE.number.value,
        "confidence": 0.99,
    }
    answer = api.post("/api/gate/transactions", "gate", json=transaction).json()
    assert answer["lane"] == "exception" and "no appointment NONE" in answer["reasons"]
    out = api.post("/api/gate/transactions", "gate", json={"direction": "out", "visit": "TV7"})
    assert out.status_code in (404, 409) or out.json()["lane"] == "exception"


def test_a_train_may_name_its_wagons_by_the_railway_s_numbers(api: Api) -> None:
    body = _train("R7", boxes=2)
    for wagon, number in zip(body["wagons"], ("3602345", "3602399"), strict=True):
        wagon["wagon"] = number
    assert api.post("/api/trains", "railway", json=body).status_code == 201
    assert api.post("/api/trains/R7/arrival", "railway", json={"track": "T2"}).status_code == 200
    second = body["wagons"][1]["boxes"][0]["box"]
    assert api.get(f"/api/containers/{second}", "railway").json()["place"] == "wagon:R7:02:A"
    order = {"lines": [{"box": second, "wagon": "3602399", "slot": "A"}]}
    assert api.post("/api/trains/R7/discharge", "railway", json=order).status_code == 202
    wrong = {"lines": [{"box": second, "wagon": "9999999", "slot": "A"}]}
    refused = api.post("/api/trains/R7/discharge", "railway", json=wrong)
    assert refused.status_code == 422 and "no wagon 9999999" in refused.json()["error"]["message"]


def _barge_alongside(api: Api) -> Container:
    """A barge call alongside with one box of its bay plan aboard."""
    from hubport.services import commands
    from hubport.services import river_commands as river

    brought = Container(valid_number(760), SizeType.of("22G1"), 11_000)
    api.hub.bus.handle(commands.AnnounceContainer(brought))
    call = {
        "call": "BG1",
        "vessel": "Minsheng Feeder",
        "voyage": "V1",
        "berth": "LH1",
        "eta": T0.isoformat(),
        "etd": T0.replace(hour=T0.hour + 8).isoformat(),
    }
    assert api.post("/api/vessel-calls", "operator", json=call).status_code == 201
    cell = VesselCell("BG1", 1, 1, 2)
    api.hub.bus.handle(river.RecordBayPlan("BG1", ((brought.number, cell),)))
    assert api.post("/api/vessel-calls/BG1/berthing", "operator").status_code == 200
    api.hub.bus.handle(river.StartShuttle("SB1", "SB1", "river_port"))
    return brought


def test_the_port_crane_s_discharge_and_a_shuttle_s_arrival_are_reported_once(api: Api) -> None:
    brought = _barge_alongside(api)
    body = {"box": brought.number.value, "shuttle": "SB1"}
    first = api.post("/api/vessel-calls/BG1/discharges", "equipment", json=body)
    assert first.status_code == 200, first.text
    assert (
        first.json() == api.post("/api/vessel-calls/BG1/discharges", "equipment", json=body).json()
    )
    (shuttle,) = api.get("/api/shuttles", "equipment").json()
    assert shuttle["boxes"] == [brought.number.value] and shuttle["location"] == "river_port"
    from hubport.services import river_commands as river

    api.hub.bus.handle(river.DriveShuttle("SB1"))
    arrived = api.post("/api/shuttles/SB1/arrival", "equipment")
    assert arrived.status_code == 200 and arrived.json()["location"] == "station"
    assert len(arrived.json()["crane_jobs"]) == 1  # the station's cranes stack it


def test_a_discharge_of_a_box_not_aboard_that_call_is_refused_and_changes_nothing(
    api: Api,
) -> None:
    _barge_alongside(api)
    body = {"box": MINE.number.value, "shuttle": "SB1"}
    refused = api.post("/api/vessel-calls/BG1/discharges", "equipment", json=body)
    assert refused.status_code == 409
    assert "is not aboard vessel call BG1" in refused.json()["error"]["message"]
    assert api.get("/api/shuttles", "equipment").json()[0]["boxes"] == []


def test_a_load_into_a_cell_of_another_call_is_refused(api: Api) -> None:
    _barge_alongside(api)
    body = {"box": MINE.number.value, "cell": "vessel:OTHER:0010102"}
    refused = api.post("/api/vessel-calls/BG1/loads", "equipment", json=body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "bad_cell"


def test_a_declaration_lodged_twice_answers_the_same_and_a_changed_one_is_refused(
    api: Api,
) -> None:
    number = valid_number(770).value
    advice = {"box": number, "size_type": "22G1", "mass_kg": 9_000}
    assert api.post("/api/containers", "operator", json=advice).status_code == 201
    body = {
        "declaration": "D-R1-IMP",
        "kind": "import",
        "boxes": [number],
        "legs": [
            {"mode": "rail", "from": "CNQZH", "to": "CNJGJ"},
            {"mode": "road", "from": "CNJGJ", "to": "CNJGJ"},
        ],
    }
    first = api.post("/api/customs/declarations", "operator", json=body)
    assert first.status_code == 201, first.text
    assert api.post("/api/customs/declarations", "operator", json=body).json() == first.json()
    changed = api.post("/api/customs/declarations", "operator", json=body | {"kind": "transit"})
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "declaration_conflict"
    lodged = api.get("/api/customs/declarations/D-R1-IMP", "customs").json()
    assert lodged["kind"] == "import" and lodged["boxes"] == [number]
    bad_leg = body | {"declaration": "D2", "legs": [{"mode": "air", "from": "CNQZH", "to": "X"}]}
    assert api.post("/api/customs/declarations", "operator", json=bad_leg).status_code == 422
