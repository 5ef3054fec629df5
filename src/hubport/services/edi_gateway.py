"""The gateway: an interchange in, validated whole, applied once, or quarantined.

Order of work: read (syntax) → validate (envelope, profile, values) → decode → map to
advices → apply all of them as one command through the bus, keyed by sender and
interchange control reference. Any problem on the way rejects the whole interchange:
nothing of it is applied, and it is kept in the quarantine with its report. The same
interchange again is acknowledged and changes nothing; the same references with other
content are refused (a changed message needs a new interchange, e.g. a replacement).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.inbound import Intent, interpret
from hubport.adapters.edi.profiles import FUNCTIONS, PROFILES
from hubport.adapters.edi.store import EdiRecord
from hubport.adapters.edi.syntax import Interchange, Problem, read_interchange
from hubport.adapters.edi.validation import validate
from hubport.services import commands
from hubport.services.handlers import AdviceRefused
from hubport.services.messagebus import IdempotencyConflict, MessageBus


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
            "record": self.record_id,
        }


class Gateway:
    """Receives interchanges for a hub: validation, mapping, the bus and the record."""

    def __init__(self, bus: MessageBus, record: EdiRecord, hub_locodes: frozenset[str]):
        self.bus = bus
        self.record = record
        self.hub_locodes = hub_locodes

    def receive(self, text: str, name: str = "<stdin>", *, dry_run: bool = False) -> Receipt:
        """Apply one interchange, or quarantine it with its report (never half of it)."""
        interchange = read_interchange(text)
        problems = validate(interchange)
        intents: list[Intent] = []
        if not problems:
            for message in interchange.messages:
                intent, found = interpret(decode(message), self.hub_locodes)
                intents.append(intent)
                problems += found
        receipt = Receipt(name, "", interchange.sender, interchange.control_reference)
        receipt.messages = [_message_summary(intent) for intent in intents]
        if not problems:
            problems = self._apply(interchange, intents, receipt, dry_run)
        if problems:
            receipt.status = "quarantined" if not dry_run else "rejected"
            receipt.problems = [str(problem) for problem in problems]
        if not dry_run:
            self._keep(interchange, text, receipt)
        return receipt

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
            outcome = self.bus.preview(command) if dry_run else self.bus.handle(command)
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
        return []

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
