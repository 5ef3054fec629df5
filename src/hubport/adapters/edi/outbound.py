"""Writing messages: a Document becomes the segments of its type, in an interchange.

The segments are those ``documents.decode`` reads, so a written message reads back to the
document it came from. Counts and references are computed, never typed: UNT counts the
message's segments, UNZ the messages, and each trailer repeats its header's reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.profiles import PROFILES
from hubport.adapters.edi.syntax import write_segments

SegmentSpec = list[Any]


@dataclass(frozen=True)
class Envelope:
    """Who sends to whom, when, and the interchange's control reference."""

    sender: str
    recipient: str
    control_reference: str
    prepared: datetime


def write_interchange(envelope: Envelope, documents: Sequence[Document]) -> str:
    """One interchange (UNOC, syntax version 3) holding ``documents`` as its messages."""
    segments: list[SegmentSpec] = [
        [
            "UNB",
            ["UNOC", "3"],
            envelope.sender,
            envelope.recipient,
            [envelope.prepared.strftime("%y%m%d"), envelope.prepared.strftime("%H%M")],
            envelope.control_reference,
        ]
    ]
    for number, document in enumerate(documents, start=1):
        segments += message_segments(document, document.reference or f"{number}")
    segments.append(["UNZ", str(len(documents)), envelope.control_reference])
    return write_segments(segments)


def message_segments(document: Document, reference: str) -> list[SegmentSpec]:
    """UNH to UNT of one message."""
    version, release = document.directory.split(".")
    association = PROFILES[document.type].association.get(document.directory, "")
    identifier = ["UNH", reference, [document.type, version, release, "UN", association]]
    body: list[SegmentSpec] = [
        ["BGM", document.code, document.number, document.function],
        *(_date(qualifier, time) for qualifier, time in document.dates),
    ]
    if document.voyage or document.transport_id:
        body.append(_transport(document))
    body += [["LOC", qualifier, [code, "139", "6"]] for qualifier, code in document.places]
    for number, line in enumerate(document.equipment, start=1):
        body += _equipment(document.type, line, number)
    if document.type != "BAPLIE":
        body.append(["CNT", ["16", str(len(document.equipment))]])
    segments: list[SegmentSpec] = [identifier, *body]
    segments.append(["UNT", str(len(segments) + 1), reference])
    return segments


def _transport(document: Document) -> SegmentSpec:
    return [
        "TDT",
        "20",
        document.voyage,
        document.mode,
        "",
        document.carrier,
        "",
        "",
        [document.transport_id, "", "", document.transport_name],
    ]


def _date(qualifier: str, time: datetime) -> SegmentSpec:
    return ["DTM", [qualifier, time.strftime("%Y%m%d%H%M"), "203"]]


def _equipment(message_type: str, line: Equipment, number: int) -> list[SegmentSpec]:
    equipment: SegmentSpec = [
        "EQD",
        "CN",
        line.number,
        [line.size_type, "6346", "5"] if line.size_type else "",
        "",
        line.status,
        {True: "5", False: "4", None: ""}[line.full],
    ]
    details: list[SegmentSpec] = []
    if line.event:
        details.append(["STS", "1", line.event])
    if line.booking:
        details.append(["RFF", ["BN", line.booking]])
    if line.event_time is not None:
        details.append(_date("203", line.event_time))
    for qualifier, value in (
        ("9", line.loading_place),
        ("11", line.discharge_place),
        ("7", line.destination),
    ):
        if value:
            details.append(["LOC", qualifier, [value, "139", "6"]])
    if line.yard_position:
        details.append(["LOC", "ZZZ", [line.yard_position, "", "ZZZ"]])
    if line.gross_mass_kg is not None:
        details.append(["MEA", "AAE", "VGM", ["KGM", str(line.gross_mass_kg)]])
    if line.temperature_c is not None:
        details.append(["TMP", "2", [f"{line.temperature_c:g}", "CEL"]])
    if line.seal:
        details.append(["SEL", line.seal])
    if line.imdg_class:
        details.append(["DGS", "IMD", line.imdg_class])
    if line.truck:
        details.append(["TDT", "1", "", "3", "", "", "", "", line.truck])
    if line.onward_reference:
        details.append(["TDT", "30", line.onward_reference, line.onward_mode])
        if line.onward_due is not None:
            details.append(_date("133", line.onward_due))
    if line.operator:
        details.append(["NAD", "CF", [line.operator, "160", "ZZZ"]])
    if message_type == "BAPLIE":
        # A bay plan lists slots: the stowage location opens each one.
        return [["LOC", "147", [line.position, "", "5"]], equipment, *details]
    position = [["LOC", "147", [line.position, "", "5"]]] if line.position else []
    if message_type == "IFTSTA":
        # A status report: the consignment and its event first, the equipment closes it.
        return [["CNI", str(number)], *position, *details, equipment]
    return [equipment, *position, *details]
