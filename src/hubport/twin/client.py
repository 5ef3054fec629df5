"""The world's client of the platform: what a railway, a gate portal, a customs office and
a shipper send, through the platform's public interfaces only.

``HttpHubClient`` speaks the HTTP API (separate processes, as the real actors would);
the world never imports a handler, a unit of work or a repository.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from hubport.domain.container import Container, ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.gate import GateWindow
from hubport.domain.places import (
    VesselCell,
    WagonSlot,
    parse_place,
)
from hubport.domain.records import ShuttleTrip
from hubport.twin.client_answers import (
    BoxWhere,
    DeclarationView,
    DeliveryOrder,
    DeliverySlot,
    GateAnswer,
    PlatformRefused,
    RuntimeHealth,
)
from hubport.twin.client_billing import BillingOverHttp, OpenInvoice
from hubport.twin.client_events import BoxEvents, EventsOverHttp
from hubport.twin.client_futures import FuturesOverHttp
from hubport.twin.client_gate import GateOverHttp

if TYPE_CHECKING:
    from hubport.twin.world_customs import Declaration
from hubport.domain.river import VesselCall
from hubport.domain.visits import TrainVisit


class HubClient(Protocol):
    """The platform as the world sees it."""

    def register_train(self, train: TrainVisit, containers: tuple[Container, ...]) -> None: ...
    def train_arrives(self, train_id: str, track: str) -> None: ...
    def order_discharge(self, train_id: str, lines: tuple[tuple[str, WagonSlot], ...]) -> None: ...
    def train_departs(self, train_id: str) -> None: ...
    def boxes_on_train(self, train_id: str) -> list[str]: ...
    def advise_box(self, container: Container) -> None: ...
    def book(self, appointment: str, plate: str, kind: str, number: str, at: datetime) -> None: ...
    def gate_windows(self, start: datetime, end: datetime) -> list[GateWindow]: ...
    def move_appointment(self, appointment: str, at: datetime) -> None: ...
    def gate_in(
        self,
        visit: str,
        plate: str,
        appointment: str,
        read: str,
        confidence: float,
        seal: str | None = None,
    ) -> GateAnswer: ...
    def gate_out(self, visit: str) -> GateAnswer: ...
    def send_edi(self, text: str) -> str: ...
    def register_call(self, call: VesselCall, load_list: tuple[ContainerNumber, ...]) -> None: ...
    def berth(self, call_id: str) -> None: ...
    def unberth(self, call_id: str) -> None: ...
    def vessel_aboard(self, call_id: str) -> tuple[str, ...]: ...
    def discharge_from_vessel(self, call_id: str, number: str, shuttle: str) -> None: ...
    def load_into_vessel(self, call_id: str, number: str, cell: VesselCell) -> None: ...
    def shuttles(self) -> list[ShuttleTrip]: ...
    def shuttle_arrives(self, visit: str) -> None: ...
    def lodge_declaration(self, declaration: Declaration) -> None: ...
    def arrived_declarations(self) -> list[DeclarationView]: ...
    def release_declaration(self, declaration: str, reason: str) -> None: ...
    def place_hold(self, number: str, hold: str, reason: str) -> None: ...
    def lift_hold(self, hold: str, reason: str) -> None: ...
    def box(self, number: str) -> BoxWhere: ...
    def box_events(self, after: int) -> BoxEvents: ...
    def runtime(self) -> RuntimeHealth: ...
    def match_delivery(self, order: DeliveryOrder) -> None: ...
    def book_delivery_slot(self, slot: DeliverySlot) -> None: ...
    def delivery_arrives(self, delivery: str, carriers: tuple[str, ...]) -> None: ...
    def send_tally(self, delivery: str, tally_csv: str, inspector: str) -> bool: ...
    def sign_delivery(self, delivery: str, party: str) -> None: ...
    def pay_delivery(self, delivery: str, milestone: str) -> None: ...
    def declare_default(self, delivery: str, party: str, reason: str) -> None: ...
    def open_invoices(self) -> list[OpenInvoice]: ...
    def pay_invoice(self, number: str, amount: Decimal, reference: str) -> None: ...


def train_body(train: TrainVisit, containers: tuple[Container, ...]) -> dict[str, Any]:
    """``POST /api/trains``'s body for a train visit and the boxes of its consist."""
    facts = {container.number.value: container for container in containers}
    on_wagons = {number.value for number, _slot in train.consist}
    if set(facts) != on_wagons:
        odd = sorted(set(facts) ^ on_wagons)
        raise HubportError(f"train {train.id}: boxes {', '.join(odd)} lack a slot or facts")
    wagons: list[dict[str, Any]] = [
        {"wagon": wagon.number, "type": wagon.kind, "boxes": []} for wagon in train.wagons
    ]
    for number, slot in train.consist:
        container = facts[number.value]
        wagons[slot.wagon - 1]["boxes"].append(
            {
                "box": number.value,
                "size_type": container.size_type.code,
                "slot": slot.spot,
                "mass_kg": container.gross_mass_kg,
                "operator": container.operator,
                "seal": container.seal,
                "full": container.full,
                "next_leg": next_leg_body(container),
            }
        )
    if train.arrives is None or train.departs is None:
        raise HubportError(f"train {train.id} needs its arrival and departure times")
    return {
        "train": train.id,
        "service": train.service,
        "direction": train.direction,
        "arrives": train.arrives.isoformat(),
        "departs": train.departs.isoformat(),
        "wagons": wagons,
    }


def next_leg_body(container: Container) -> dict[str, Any] | None:
    leg = container.next_leg
    if leg is None:
        return None
    return {
        "mode": leg.mode.value,
        "reference": leg.reference,
        "due": leg.due.isoformat() if leg.due else None,
        "destination": leg.destination,
    }


class HttpHubClient(FuturesOverHttp, BillingOverHttp, EventsOverHttp, GateOverHttp):
    """The platform over HTTP, with a bearer token per role (``tokens[role]``)."""

    def __init__(self, base_url: str, tokens: dict[str, str], timeout_s: float = 30.0):
        self.base = base_url.rstrip("/")
        self.tokens, self.timeout_s = tokens, timeout_s

    def call(
        self,
        method: str,
        path: str,
        role: str,
        body: dict[str, Any] | str | None = None,
        key: str | None = None,
    ) -> tuple[int, Any]:
        """One request as ``role`` (with an idempotency ``key``, if given); the status and
        the parsed answer."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        data = None
        if isinstance(body, str):
            data, headers["Content-Type"] = body.encode(), "text/plain"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        for attempt in range(20):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    return response.status, json.loads(response.read() or b"null")
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read() or b"null")
            except (urllib.error.URLError, ConnectionError):
                if attempt == 19:
                    raise
                time.sleep(0.25)  # the server is starting, or restarting
        raise AssertionError("unreachable")

    def _ok(
        self, method: str, path: str, role: str, body: Any = None, key: str | None = None
    ) -> Any:
        status, answer = self.call(method, path, role, body, key)
        if status >= 400:
            error = (answer or {}).get("error", {}) if isinstance(answer, dict) else {}
            raise PlatformRefused(status, error.get("code", "?"), error.get("message", ""))
        return answer

    def register_train(self, train: TrainVisit, containers: tuple[Container, ...]) -> None:
        self._ok("POST", "/api/trains", "railway", train_body(train, containers))

    def train_arrives(self, train_id: str, track: str) -> None:
        self._ok("POST", f"/api/trains/{train_id}/arrival", "railway", {"track": track})

    def order_discharge(self, train_id: str, lines: tuple[tuple[str, WagonSlot], ...]) -> None:
        body = {
            "lines": [
                {"box": number, "wagon": slot.wagon, "slot": slot.spot} for number, slot in lines
            ]
        }
        self._ok("POST", f"/api/trains/{train_id}/discharge", "railway", body)

    def train_departs(self, train_id: str) -> None:
        self._ok("POST", f"/api/trains/{train_id}/departure", "railway")

    def boxes_on_train(self, train_id: str) -> list[str]:
        answer = self._ok("GET", f"/api/trains/{train_id}", "operator")
        return list(answer["boxes"])

    def advise_box(self, container: Container) -> None:
        """A haulier's pre-advice of a box it will bring (an advice again: the same)."""
        body = {
            "box": container.number.value,
            "size_type": container.size_type.code,
            "mass_kg": container.gross_mass_kg,
            "operator": container.operator,
            "seal": container.seal,
            "full": container.full,
            "next_leg": next_leg_body(container),
        }
        status, answer = self.call("POST", "/api/containers", "operator", body)
        if status >= 400 and not (status == 409 and "already" in str(answer)):
            error = answer.get("error", {}) if isinstance(answer, dict) else {}
            raise PlatformRefused(status, error.get("code", "?"), error.get("message", ""))

    def book(self, appointment: str, plate: str, kind: str, number: str, at: datetime) -> None:
        body = {"appointment": appointment, "plate": plate, "kind": kind, "box": number}
        self._ok("POST", "/api/appointments", "operator", body | {"at": at.isoformat()})

    def gate_in(
        self,
        visit: str,
        plate: str,
        appointment: str,
        read: str,
        confidence: float,
        seal: str | None = None,
    ) -> GateAnswer:
        """The truck at the in-gate; the lane the gate sends it to, and why."""
        body = {
            "direction": "in",
            "visit": visit,
            "plate": plate,
            "appointment": appointment,
            "read": read,
            "confidence": confidence,
            "seal": seal,
        }
        return _gate_answer(self._ok("POST", "/api/gate/transactions", "gate", body))

    def gate_out(self, visit: str) -> GateAnswer:
        body = {"direction": "out", "visit": visit}
        return _gate_answer(self._ok("POST", "/api/gate/transactions", "gate", body))

    def send_edi(self, text: str) -> str:
        answer = self._ok("POST", "/api/edi/messages", "operator", text)
        return str(answer["status"])

    def register_call(self, call: VesselCall, load_list: tuple[ContainerNumber, ...]) -> None:
        body = {
            "call": call.id,
            "vessel": call.vessel,
            "kind": call.kind,
            "voyage": call.voyage,
            "berth": call.berth,
            "eta": call.eta.isoformat(),
            "etd": call.etd.isoformat(),
            "length_m": call.length_m,
            "operator": call.operator,
            "load_list": [number.value for number in load_list],
        }
        self._ok("POST", "/api/vessel-calls", "operator", body)

    def berth(self, call_id: str) -> None:
        self._ok("POST", f"/api/vessel-calls/{call_id}/berthing", "operator")

    def unberth(self, call_id: str) -> None:
        self._ok("POST", f"/api/vessel-calls/{call_id}/departure", "operator")

    def vessel_aboard(self, call_id: str) -> tuple[str, ...]:
        answer = self._ok("GET", f"/api/vessel-calls/{call_id}", "operator")
        return tuple(answer.get("aboard") or ())

    def discharge_from_vessel(self, call_id: str, number: str, shuttle: str) -> None:
        body = {"box": number, "shuttle": shuttle}
        self._ok("POST", f"/api/vessel-calls/{call_id}/discharges", "equipment", body)

    def load_into_vessel(self, call_id: str, number: str, cell: VesselCell) -> None:
        body = {"box": number, "cell": str(cell)}
        self._ok("POST", f"/api/vessel-calls/{call_id}/loads", "equipment", body)

    def shuttles(self) -> list[ShuttleTrip]:
        return [
            ShuttleTrip(
                item["shuttle"],
                item["starts_at"],
                item["location"],
                item["bound_for"],
                tuple(item["boxes"]),
            )
            for item in self._ok("GET", "/api/shuttles", "equipment")
        ]

    def shuttle_arrives(self, visit: str) -> None:
        self._ok("POST", f"/api/shuttles/{visit}/arrival", "equipment")

    def lodge_declaration(self, declaration: Declaration) -> None:
        body = {
            "declaration": declaration.id,
            "kind": declaration.kind,
            "boxes": list(declaration.boxes),
            "legs": [
                {"mode": leg.mode, "from": leg.origin, "to": leg.destination}
                for leg in declaration.legs
            ],
        }
        self._ok("POST", "/api/customs/declarations", "operator", body)

    def arrived_declarations(self) -> list[DeclarationView]:
        found = self._ok("GET", "/api/customs/declarations?state=arrived&limit=200", "customs")
        return [DeclarationView.read(item) for item in found]

    def release_declaration(self, declaration: str, reason: str) -> None:
        path = f"/api/customs/declarations/{declaration}/release"
        self._ok("POST", path, "customs", {"reason": reason}, key=f"release:{declaration}")

    def place_hold(self, number: str, hold: str, reason: str) -> None:
        body = {"box": number, "hold": hold, "reason": reason}
        self._ok("POST", "/api/customs/holds", "customs", body, key=f"hold:{hold}")

    def lift_hold(self, hold: str, reason: str) -> None:
        path = f"/api/customs/holds/{hold}/lift"
        self._ok("POST", path, "customs", {"reason": reason}, key=f"lift:{hold}")

    def box(self, number: str) -> BoxWhere:
        answer = self._ok("GET", f"/api/containers/{number}", "operator")
        place = answer.get("place")
        where = None if place is None else parse_place(place)
        return BoxWhere(answer["number"], answer["state"], where)

    def runtime(self) -> RuntimeHealth:
        answer = self._ok("GET", "/api/runtime", "operator")
        leader = answer.get("leader") or {}
        hub_time = answer.get("hub_time")
        return RuntimeHealth(
            leader.get("pid"),
            leader.get("host"),
            datetime.fromisoformat(hub_time) if hub_time else None,
            int(answer.get("jobs_in_flight") or 0),
            int(answer.get("cranes_connected") or 0),
            int(answer.get("moves") or 0),
        )


def _gate_answer(answer: dict[str, Any]) -> GateAnswer:
    return GateAnswer(str(answer["lane"]), tuple(answer.get("reasons") or ()))


__all__ = [
    "BoxWhere",
    "DeclarationView",
    "DeliveryOrder",
    "DeliverySlot",
    "GateAnswer",
    "HttpHubClient",
    "HubClient",
    "OpenInvoice",
    "PlatformRefused",
    "RuntimeHealth",
]
