"""The world's client of a platform in the same process: the same bus commands, under
the same keys, that the API sends for each of the world's requests, and the same reads,
with no HTTP between (``hubport demo``, the twin). Refusals are the API's: the same
status and code, so the world behaves alike over either client.

This is the only module of the world that imports the platform's services.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from typing import Any

from hubport.bootstrap import Hub
from hubport.domain.container import Container, ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.gate import GateRefused, GateWindow
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import Spot, VesselCell, WagonSlot
from hubport.domain.records import Record, ShuttleTrip
from hubport.domain.river import VesselCall
from hubport.domain.visits import TrainVisit
from hubport.futures.bootstrap import FuturesDesk
from hubport.futures.domain.slots import WagonLoad
from hubport.futures.services import commands as futures
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services import gate_commands as gate
from hubport.services import river_commands as river
from hubport.services.commands import Author
from hubport.services.edi_speakers import Speaker
from hubport.services.messagebus import IdempotencyConflict
from hubport.services.refusals import classify
from hubport.services.train_commands import AnnounceTrain, OrderDischarge
from hubport.twin.client import (
    BoxWhere,
    DeclarationView,
    DeliveryOrder,
    DeliverySlot,
    GateAnswer,
    PlatformRefused,
    RuntimeHealth,
)
from hubport.twin.client_events import PAGE as EVENT_PAGE
from hubport.twin.client_events import BoxEvents
from hubport.twin.inprocess_client.billing import WORLD, BillingInProcess
from hubport.twin.world_customs import Declaration

#: The role each actor of the world logs in with, by what it sends (else "operator").
ACTOR_ROLES = {
    "AnnounceTrain": "railway",
    "ArriveTrain": "railway",
    "OrderDischarge": "railway",
    "DepartTrain": "railway",
    "TruckAtGate": "gate",
    "TruckLeaves": "gate",
    "ReleaseDeclaration": "customs",
    "PlaceHold": "customs",
    "LiftHold": "customs",
    "ShuttleArrives": "equipment",
    "DischargeVessel": "equipment",
    "LoadVessel": "equipment",
}


class InProcessHubClient(BillingInProcess):
    """The platform behind ``hub``'s bus and queries, as the world's actors use it."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self._desk: FuturesDesk | None = None

    def _send(self, command: commands.Command, conflict: str | None = None) -> dict[str, Any]:
        # as the API records it: the world's account, the role its actor logs in with
        role = ACTOR_ROLES.get(type(command).__name__, "operator")
        command = dataclasses.replace(command, author=Author(WORLD, role, "api"))
        try:
            result: dict[str, Any] = self.hub.bus.handle(command).result
        except IdempotencyConflict as error:
            if conflict is None:
                raise PlatformRefused(*classify(error), str(error)) from None
            raise PlatformRefused(409, conflict, str(error)) from None
        except HubportError as error:
            raise PlatformRefused(*classify(error), str(error)) from None
        return result

    # -- the railway ------------------------------------------------------------------

    def register_train(self, train: TrainVisit, containers: tuple[Container, ...]) -> None:
        command = AnnounceTrain(train, containers, idempotency_key=f"api:train:{train.id}")
        self._send(command, "train_conflict")

    def train_arrives(self, train_id: str, track: str) -> None:
        command = commands.ArriveTrain(train_id, track, idempotency_key=f"api:arrival:{train_id}")
        self._send(command, "train_conflict")

    def order_discharge(self, train_id: str, lines: tuple[tuple[str, WagonSlot], ...]) -> None:
        typed = tuple((ContainerNumber(number), slot) for number, slot in lines)
        digest = OrderDischarge(train_id, typed).digest()[:16]
        command = OrderDischarge(
            train_id, typed, source=f"api:{WORLD}", idempotency_key=f"api:discharge:{digest}"
        )
        self._send(command)

    def train_departs(self, train_id: str) -> None:
        self._send(commands.DepartTrain(train_id, idempotency_key=f"api:departure:{train_id}"))

    def boxes_on_train(self, train_id: str) -> list[str]:
        try:
            return list(self.hub.queries.train(train_id).boxes)
        except HubportError as error:
            raise PlatformRefused(404, "not_found", str(error)) from None

    # -- hauliers and the gate --------------------------------------------------------

    def advise_box(self, container: Container) -> None:
        command = commands.AnnounceContainer(
            container, idempotency_key=f"api:advice:{container.number.value}"
        )
        try:
            self._send(command)
        except PlatformRefused as error:
            if error.status != 409:
                raise

    def book(self, appointment: str, plate: str, kind: str, number: str, at: datetime) -> None:
        moment = at if at.tzinfo is not None else at.replace(tzinfo=HUB_TIME)
        command = gate.BookAppointment(appointment, plate, kind, ContainerNumber(number), moment)
        self._send(command)

    def gate_windows(self, start: datetime, end: datetime) -> list[GateWindow]:
        return self.hub.queries.gate_windows(start, end)

    def move_appointment(self, appointment: str, at: datetime) -> None:
        moment = at if at.tzinfo is not None else at.replace(tzinfo=HUB_TIME)
        self._send(gate.ChangeAppointment(appointment, moment))

    def gate_in(
        self,
        visit: str,
        plate: str,
        appointment: str,
        read: str,
        confidence: float,
        seal: str | None = None,
    ) -> GateAnswer:
        command = gate.TruckAtGate(
            visit, plate, appointment, read, confidence, seal=seal,
            idempotency_key=f"api:gate-in:{visit}",
        )  # fmt: skip
        return self._lane(command, "in")

    def gate_out(self, visit: str) -> GateAnswer:
        return self._lane(gate.TruckLeaves(visit, idempotency_key=f"api:gate-out:{visit}"), "out")

    def _lane(self, command: commands.Command, direction: str) -> GateAnswer:
        try:
            result = self.hub.bus.handle(command).result
        except GateRefused as error:
            return GateAnswer("exception", (str(error),))
        except IdempotencyConflict:
            raise PlatformRefused(
                409, "gate_conflict", f"the truck passed the {direction}-gate already"
            ) from None
        except HubportError as error:
            raise PlatformRefused(*classify(error), str(error)) from None
        return GateAnswer(str(result.get("lane")), tuple(result.get("reasons", ())))

    # -- the river port and the partners' EDI ------------------------------------------

    def register_call(self, call: VesselCall, load_list: tuple[ContainerNumber, ...]) -> None:
        command = river.RegisterVesselCall(call, load_list, idempotency_key=f"api:call:{call.id}")
        self._send(command, "call_conflict")

    def berth(self, call_id: str) -> None:
        self._send(river.BerthVessel(call_id, idempotency_key=f"api:berth:{call_id}"))

    def unberth(self, call_id: str) -> None:
        self._send(river.DepartVessel(call_id, idempotency_key=f"api:unberth:{call_id}"))

    def vessel_aboard(self, call_id: str) -> tuple[str, ...]:
        for record, aboard in self.hub.queries.berthed_calls():
            if record.call.id == call_id:
                return aboard
        return ()

    def discharge_from_vessel(self, call_id: str, number: str, shuttle: str) -> None:
        record = self._record(number)
        spot: Spot = "AB" if record.container.size_type.is_forty else "A"
        command = river.DischargeVessel(
            ContainerNumber(number),
            shuttle,
            spot,
            idempotency_key=f"api:off-vessel:{call_id}:{number}",
        )
        self._send(command, "discharge_conflict")

    def load_into_vessel(self, call_id: str, number: str, cell: VesselCell) -> None:
        command = river.LoadVessel(
            ContainerNumber(number), cell, idempotency_key=f"api:onto-vessel:{call_id}:{number}"
        )
        self._send(command, "load_conflict")

    def shuttles(self) -> list[ShuttleTrip]:
        return self.hub.queries.shuttle_trips()

    def shuttle_arrives(self, visit: str) -> None:
        self._send(river.ShuttleArrives(visit, idempotency_key=f"api:shuttle-at:{visit}"))

    # -- the declarants and the customs office -----------------------------------------

    def lodge_declaration(self, declaration: Declaration) -> None:
        command = customs.LodgeDeclaration(
            declaration.id,
            declaration.kind,
            tuple(ContainerNumber(number) for number in declaration.boxes),
            declaration.legs,
            idempotency_key=f"api:declaration:{declaration.id}",
        )
        self._send(command, "declaration_conflict")

    def arrived_declarations(self) -> list[DeclarationView]:
        found = self.hub.queries.declarations(200, "arrived")
        return [DeclarationView.read(item) for item in found]

    def release_declaration(self, declaration: str, reason: str) -> None:
        command = customs.ReleaseDeclaration(
            declaration, reason, role="customs", idempotency_key=self._key(f"release:{declaration}")
        )
        self._send(command)

    def place_hold(self, number: str, hold: str, reason: str) -> None:
        command = customs.PlaceHold(
            ContainerNumber(number),
            hold,
            reason,
            role="customs",
            idempotency_key=self._key(f"hold:{hold}"),
        )
        self._send(command)

    def lift_hold(self, hold: str, reason: str) -> None:
        command = customs.LiftHold(
            hold, reason, role="customs", idempotency_key=self._key(f"lift:{hold}")
        )
        self._send(command)

    @staticmethod
    def _key(key: str) -> str:
        """A key as the API makes it from a caller's Idempotency-Key header."""
        return f"api:{WORLD}:{key}"

    def send_edi(self, text: str) -> str:
        # as the API takes it from the world's operator account
        speaker = Speaker("api", WORLD, "operator")  # the barge line's file, relayed
        return self.hub.edi_gateway().receive(text, speaker.label, speaker=speaker).status

    # -- what the actors see ----------------------------------------------------------

    def _record(self, number: str) -> Record:
        try:
            return self.hub.queries.container(number)
        except HubportError as error:
            raise PlatformRefused(*classify(error), str(error)) from None

    def box(self, number: str) -> BoxWhere:
        record = self._record(number)
        return BoxWhere(record.container.number.value, record.state.value, record.place)

    def box_events(self, after: int) -> BoxEvents:
        # as the API's event stream reads the log: page by page, oldest first
        last, boxes = after, set[str]()
        while True:
            rows = self.hub.queries.events_after(last, EVENT_PAGE)
            boxes.update(row["container_number"] for row in rows if row["container_number"])
            last = rows[-1]["id"] if rows else last
            if len(rows) < EVENT_PAGE:
                return BoxEvents(last, frozenset(boxes))

    def runtime(self) -> RuntimeHealth:
        lease = self.hub.queries.runtime_lease(self.hub.site.code)
        if lease is None:
            return RuntimeHealth(None, None, None, 0, 0, 0)
        status = lease.status
        return RuntimeHealth(
            lease.holder.pid,
            lease.holder.host,
            self.hub.bus.clock.now(),
            status.jobs_in_flight,
            status.cranes_connected,
            status.moves,
        )

    # -- the log-futures delivery site ------------------------------------------------

    def _futures(self, command: futures.FuturesCommand) -> dict[str, Any]:
        """As the API sends it: under the world's account in the command's role."""
        command = dataclasses.replace(command, author=Author(WORLD, command.role, "api"))
        if self._desk is None:
            self._desk = self.hub.futures()
        try:
            result: dict[str, Any] = self._desk.bus.handle(command).result
        except HubportError as error:
            raise PlatformRefused(*classify(error), str(error)) from None
        return result

    def match_delivery(self, order: DeliveryOrder) -> None:
        self._futures(
            futures.MatchDelivery(
                order.delivery,
                role="exchange",
                contract=order.contract,
                lots=order.lots,
                buyer=order.buyer,
                seller=order.seller,
                matched_on=order.matched_on,
                settlement_day=order.settlement_day,
                price_cny_per_m3=order.price_cny_per_m3,
                idempotency_key=f"api:futures:match:{order.delivery}",
            )
        )

    def book_delivery_slot(self, slot: DeliverySlot) -> None:
        loads = tuple(WagonLoad(kind, volume) for kind, volume in slot.loads)
        self._futures(
            futures.BookSlot(
                slot.delivery,
                role="member",
                party=slot.seller,
                track=slot.track,
                spot=slot.spot,
                start=slot.start,
                end=slot.end,
                loads=loads,
            )
        )

    def delivery_arrives(self, delivery: str, carriers: tuple[str, ...]) -> None:
        self._futures(
            futures.RecordArrival(
                delivery,
                role="operator",
                carriers=carriers,
                idempotency_key=f"api:futures:arrival:{delivery}",
            )
        )

    def send_tally(self, delivery: str, tally_csv: str, inspector: str) -> bool:
        digest = hashlib.sha256(tally_csv.encode()).hexdigest()
        command = futures.RecordTally(
            delivery,
            role="inspector",
            document=tally_csv,
            inspector=inspector,
            idempotency_key=f"api:futures:tally:{delivery}:{digest}",
        )
        return bool(self._futures(command)["passed"])

    def sign_delivery(self, delivery: str, party: str) -> None:
        self._futures(
            futures.SignHandover(
                delivery,
                role="member",
                party=party,
                idempotency_key=f"api:futures:sign:{delivery}:{party}",
            )
        )

    def pay_delivery(self, delivery: str, milestone: str) -> None:
        self._futures(
            futures.RecordPayment(
                delivery,
                role="exchange",
                milestone=milestone,
                idempotency_key=f"api:futures:pay:{delivery}:{milestone}",
            )
        )

    def declare_default(self, delivery: str, party: str, reason: str) -> None:
        self._futures(
            futures.DeclareDefault(delivery, role="exchange", defaulter=party, reason=reason)
        )


__all__ = ["WORLD", "InProcessHubClient"]
