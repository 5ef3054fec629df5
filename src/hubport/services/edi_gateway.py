"""The gateway: an interchange in, validated whole, applied once, or quarantined.

Order of work: read (syntax) → validate (envelope, profile, values) → decode → map to
advices → apply all of them as one command through the bus, keyed by sender and
interchange control reference. Any problem on the way rejects the whole interchange:
nothing of it is applied, and it is kept in the quarantine with its report. The same
interchange again is acknowledged and changes nothing; the same references with other
content are refused (a changed message needs a new interchange, e.g. a replacement).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.inbound import Intent, interpret
from hubport.adapters.edi.partners import PartnerProfile
from hubport.adapters.edi.profiles import COPRAR_DISCHARGE, FUNCTIONS, PROFILES
from hubport.adapters.edi.store import EdiRecord
from hubport.adapters.edi.syntax import Interchange, Problem, read_interchange
from hubport.adapters.edi.validation import validate
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.places import VesselCell, WagonSlot
from hubport.services import commands
from hubport.services.commands import Author, Command
from hubport.services.customs_responses import CustomsResponseError, cusres_command
from hubport.services.edi_speakers import Speaker, refusal
from hubport.services.handlers import AdviceRefused
from hubport.services.messagebus import HubBus, IdempotencyConflict, Outcome
from hubport.services.river_commands import RecordBayPlan
from hubport.services.train_commands import DischargeTrain, OrderDischarge

#: TDT transport mode 2: rail; LOC+147 on a wagon: its number and spot (``07A``, ``12AB``).
RAIL = "2"
_WAGON_SPOT = re.compile(r"^(?P<wagon>\d{1,3})(?P<spot>AB|A|B)$")


@dataclass
class Receipt:
    """What the gateway did with one interchange."""

    name: str
    status: str  # applied, repeat, recorded, quarantined, would apply (dry run)
    partner: str = ""
    control_reference: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    announced: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Crane jobs a discharge order for a train on its track planned, and what of such an
    #: order could not become crane work (the message itself stays applied).
    crane_jobs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Deviations from the standard that the partner's profile accepts.
    warnings: list[str] = field(default_factory=list)
    record_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "status": self.status,
            "sender": self.partner,
            "control_reference": self.control_reference,
            "messages": self.messages,
            "problems": self.problems,
            "announced": self.announced,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "crane_jobs": self.crane_jobs,
            "notes": self.notes,
            "warnings": self.warnings,
            "record": self.record_id,
        }


class Gateway:
    """Receives interchanges for a hub: validation, mapping, the bus and the record."""

    def __init__(
        self,
        bus: HubBus,
        record: EdiRecord,
        hub_locodes: frozenset[str],
        profiles: Callable[[str], PartnerProfile] = PartnerProfile,
    ):
        self.bus = bus
        self.record = record
        self.hub_locodes = hub_locodes
        #: The profile of a partner (by its UNB sender id): deviations it may send.
        self.profiles = profiles
        self._author: Author | None = None

    def receive(
        self, text: str, name: str = "<stdin>", *, speaker: Speaker, dry_run: bool = False
    ) -> Receipt:
        """Apply one interchange delivered by ``speaker``, or quarantine it with its report
        (never half of it)."""
        self._author = Author(speaker.account, speaker.role, "edi")
        interchange = read_interchange(text)
        profile = self.profiles(interchange.sender)
        problems, accepted = [], []
        customs_responses = any(message.type == "CUSRES" for message in interchange.messages)
        folder = self.profiles(speaker.account) if speaker.channel == "folder" else None
        why = refusal(
            speaker,
            interchange.sender,
            profile.accounts,
            customs_responses,
            folder.sends_as if folder is not None else None,
        )
        if why is not None:
            problems.append(Problem(why, 1, "UNB"))
        for problem in validate(interchange):
            if problem.deviation is not None and problem.deviation in profile.accept:
                accepted.append(f"{problem} (accepted: {problem.deviation}, {profile.source})")
            else:
                problems.append(problem)
        intents: list[Intent] = []
        if not problems:
            for message in interchange.messages:
                intent, found = interpret(decode(message), self.hub_locodes)
                intents.append(intent)
                problems += found
        responses: list[Command] = []
        if not problems:
            responses, found = _customs_responses(interchange, profile)
            problems += found
        receipt = Receipt(name, "", interchange.sender, interchange.control_reference)
        receipt.warnings = accepted
        receipt.messages = [_message_summary(intent) for intent in intents]
        if not problems:
            problems = self._apply(interchange, intents, receipt, dry_run)
        if not problems and responses and not dry_run:
            problems = self._respond(responses, receipt)
        if problems:
            receipt.status = "quarantined" if not dry_run else "rejected"
            receipt.problems = [str(problem) for problem in problems]
        if not dry_run:
            self._keep(interchange, text, receipt)
        return receipt

    def _send(self, command: Command) -> Outcome:
        """A command of this interchange, in the name of whoever delivered it."""
        return self.bus.handle(dataclasses.replace(command, author=self._author))

    def receive_from_folder(self, text: str, name: str, partner: str) -> Receipt:
        """An interchange found in ``partner``'s folder: it speaks for that partner only."""
        return self.receive(text, name, speaker=Speaker.folder(partner))

    def _apply(
        self, interchange: Interchange, intents: list[Intent], receipt: Receipt, dry_run: bool
    ) -> list[Problem]:
        advices = tuple(advice for intent in intents for advice in intent.advices)
        where = [(intent.document.reference, line) for intent in intents for line in intent.lines]
        command = commands.AdviseContainers(
            advices,
            source=f"{interchange.sender}/{interchange.control_reference}",
            idempotency_key=f"edi:{interchange.sender}:{interchange.control_reference}",
        )
        try:
            outcome = self.bus.preview(command) if dry_run else self._send(command)
        except AdviceRefused as refused:
            reference, line = where[refused.line]
            return [Problem(str(refused.reason), line, "EQD", reference)]
        except IdempotencyConflict:
            return [
                Problem(
                    f"interchange {interchange.control_reference} from {interchange.sender} "
                    "was already applied with other content; send changes as a new "
                    "interchange (BGM function 5 = replacement)",
                    1,
                    "UNB",
                )
            ]
        result = outcome.result
        if dry_run:
            receipt.status = "repeat" if outcome.repeat else "would apply"
        elif outcome.repeat:
            receipt.status = "repeat"
        else:
            receipt.status = "applied" if advices else "recorded"
        receipt.announced = list(result.get("announced", []))
        receipt.updated = list(result.get("updated", []))
        receipt.unchanged = list(result.get("unchanged", []))
        if not dry_run:
            for intent in intents:
                self._discharge(interchange, intent, receipt)
                self._bay_plan(interchange, intent, receipt)
        return []

    def _respond(self, responses: list[Command], receipt: Receipt) -> list[Problem]:
        """Apply the customs office's responses, each once (keyed by its message id)."""
        for response in responses:
            try:
                outcome = self._send(response)
            except HubportError as error:
                return [Problem(f"customs response {response.idempotency_key}: {error}")]
            said = "again, nothing changed" if outcome.repeat else "applied"
            receipt.notes.append(f"{response.idempotency_key}: {type(response).__name__} {said}")
        receipt.status = "applied"
        return []

    def _bay_plan(self, interchange: Interchange, intent: Intent, receipt: Receipt) -> None:
        """A BAPLIE for a vessel call expected at the river port (its TDT voyage number is
        the call's): the boxes for the hub and their cells become the call's bay plan."""
        document = intent.document
        if document.type != "BAPLIE" or not document.voyage or not intent.advices:
            return
        with self.bus.uow_factory() as uow:
            call = uow.inventory.vessel_of_voyage(document.voyage)
        if call is None:
            receipt.notes.append(f"bay plan of voyage {document.voyage}: no vessel call runs it")
            return
        applied = {advice.number.value for advice in intent.advices}
        cells = []
        for line in document.equipment:
            if line.number not in applied:
                continue
            cell = _vessel_cell(call.call.id, line.position)
            if cell is None:
                receipt.notes.append(f"{line.number}: {line.position!r} is not a cell BBBRRTT")
                return
            cells.append((ContainerNumber(line.number), cell))
        command = RecordBayPlan(
            call.call.id,
            tuple(cells),
            source=f"BAPLIE {interchange.sender}/{interchange.control_reference}",
            idempotency_key=f"edi:{interchange.sender}:{interchange.control_reference}:"
            f"bayplan:{document.reference}",
        )
        try:
            self._send(command)
        except HubportError as error:
            receipt.notes.append(f"bay plan for vessel call {call.call.id}: {error}")
            return
        receipt.notes.append(f"bay plan of vessel call {call.call.id}: {len(cells)} boxes")

    def _discharge(self, interchange: Interchange, intent: Intent, receipt: Receipt) -> None:
        """A rail discharge order for a train on its track: its lines become crane work
        (a train not arrived yet is discharged when it arrives)."""
        document = intent.document
        if not (
            document.type == "COPRAR"
            and document.code == COPRAR_DISCHARGE
            and document.mode == RAIL
            and document.voyage
        ):
            return
        train = document.voyage
        lines = []
        for line in document.equipment:
            spot = _WAGON_SPOT.match(line.position)
            if spot is None:
                receipt.notes.append(f"{line.number}: {line.position!r} is not a wagon spot")
                return
            slot = WagonSlot(train, int(spot["wagon"]), spot["spot"])  # type: ignore[arg-type]
            lines.append((ContainerNumber(line.number), slot))
        command = DischargeTrain(
            train,
            tuple(lines),
            idempotency_key=f"edi:{interchange.sender}:{interchange.control_reference}:"
            f"discharge:{document.reference}",
        )
        try:
            with self.bus.uow_factory() as uow:
                record = uow.inventory.find_train(train)
            if record is None:
                receipt.notes.append(f"discharge order for train {train}: no such train visit")
                return
            if record.state != "on_site":
                # recorded: the runtime works it when the train reaches its track
                self._send(
                    OrderDischarge(
                        train,
                        tuple(lines),
                        source=f"COPRAR {interchange.sender}/{interchange.control_reference}",
                        idempotency_key=f"{command.idempotency_key}:order",
                    )
                )
                receipt.notes.append(f"discharge order for train {train} recorded")
                return
            result = self._send(command).result
        except HubportError as error:
            receipt.notes.append(f"discharge order for train {train}: {error}")
            return
        receipt.crane_jobs += [item["job"] for item in result["work"]]

    def _keep(self, interchange: Interchange, text: str, receipt: Receipt) -> None:
        types = ",".join(message.type for message in interchange.messages) or "?"
        if receipt.status in ("applied", "recorded"):
            self.record.resolve_quarantined(receipt.partner, receipt.control_reference)
        receipt.record_id = self.record.add(
            direction="in",
            partner=receipt.partner or "?",
            control_reference=receipt.control_reference or "?",
            message_types=types,
            status=receipt.status,
            digest=hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest(),
            at=self.bus.clock.now(),
            summary=[
                *receipt.messages,
                {"announced": receipt.announced, "updated": receipt.updated},
            ],
            raw=text,
            file_name=receipt.name,
            report="\n".join(receipt.problems) or None,
        )


def _customs_responses(
    interchange: Interchange, profile: PartnerProfile
) -> tuple[list[Command], list[Problem]]:
    """The customs commands of the interchange's CUSRES messages; refused from a partner
    that is not the customs office."""
    commands_: list[Command] = []
    problems: list[Problem] = []
    for message in interchange.messages:
        if message.type != "CUSRES":
            continue
        if profile.role != "customs":
            problems.append(
                Problem(
                    f"{interchange.sender} may not send customs responses: its partner "
                    f"profile ({profile.source}) does not give it the customs role",
                    1,
                    "UNB",
                )
            )
            break
        try:
            commands_.append(cusres_command(message))
        except CustomsResponseError as error:
            problems.append(Problem(str(error), None, "GIS", message.reference))
    return commands_, problems


def _vessel_cell(call_id: str, position: str) -> VesselCell | None:
    """A BAPLIE stowage position (ISO 9711: bay, row, tier; 6 digits in older senders)."""
    digits = position.strip()
    if not digits.isdigit() or len(digits) not in (6, 7):
        return None
    digits = digits.zfill(7)
    return VesselCell(call_id, int(digits[:3]), int(digits[3:5]), int(digits[5:]))


def _message_summary(intent: Intent) -> dict[str, Any]:
    document = intent.document
    return {
        "message": document.reference,
        "type": document.type,
        "directory": document.directory,
        "function": FUNCTIONS.get(document.function, document.function),
        "applied": PROFILES[document.type].applied,
        "summary": intent.summary,
        "containers": [line.number for line in document.equipment],
    }
