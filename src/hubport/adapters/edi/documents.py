"""A message decoded into plain data: the visit it is about and one line per container.

The same ``Document`` is what ``outbound`` writes, so a written message read back gives
the document it was written from (the round trip the tests check). Segment indexes are
kept on each line, so that a later refusal can still name the segment it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hubport.adapters.edi.syntax import Message, Segment
from hubport.adapters.edi.validation import parse_date, parse_number

#: MEA qualifiers carrying the gross mass: verified gross mass first, then the others.
_GROSS = ("VGM", "G", "EGW", "AAD", "WT")
#: Transport modes (8067) the hub meets.
MODES = {"1": "sea", "2": "rail", "3": "road", "8": "inland water"}
#: DTM qualifiers that date an equipment event (action, gate, handling, status).
_EVENT_DATES = ("203", "7", "ACT", "334", "178")


@dataclass(frozen=True)
class Equipment:
    """One container line of a message, with what it says of the box and its move."""

    number: str
    size_type: str = ""
    status: str = ""  # 8249: 2 export, 3 import, 6 transhipment
    full: bool | None = None  # 8169: 5 full, 4 empty
    position: str = ""  # LOC+147: stowage cell or wagon spot
    yard_position: str = ""  # LOC+ZZZ: the hub's yard slot (hubport's own messages)
    loading_place: str = ""  # LOC+9
    discharge_place: str = ""  # LOC+11
    destination: str = ""  # LOC+7 / LOC+83
    gross_mass_kg: int | None = None
    seal: str = ""
    booking: str = ""  # RFF+BN
    operator: str = ""  # NAD+CF (container operator) or NAD+CA (carrier)
    imdg_class: str = ""  # DGS+IMD
    temperature_c: float | None = None  # TMP+2
    event: str = ""  # IFTSTA STS event code
    event_time: datetime | None = None
    truck: str = ""  # TDT+1 mode 3: the truck's plate
    onward_mode: str = ""  # TDT+30 (on-carriage) 8067
    onward_reference: str = ""  # TDT+30 8028: the train, barge call or truck appointment
    onward_due: datetime | None = None  # DTM+133 after TDT+30: when it leaves
    index: int = field(default=0, compare=False)  # EQD's segment index in the message


@dataclass(frozen=True)
class Document:
    """A decoded message: its type and identity, the carrier visit, and the lines."""

    type: str
    directory: str
    code: str  # BGM 1001: loading order, discharge report, gate-in…
    number: str  # BGM 1004
    function: str  # BGM 1225: 9 original, 5 replacement…
    voyage: str = ""  # TDT 8028: voyage or train number
    mode: str = ""  # TDT 8067
    carrier: str = ""  # TDT 3127
    transport_id: str = ""  # TDT 8213: vessel call sign / IMO, or the train
    transport_name: str = ""  # TDT 8212
    places: tuple[tuple[str, str], ...] = ()  # header LOC: (qualifier, code)
    dates: tuple[tuple[str, datetime], ...] = ()  # header DTM: (qualifier, time)
    equipment: tuple[Equipment, ...] = ()
    reference: str = field(default="", compare=False)  # UNH message reference

    def place(self, qualifier: str) -> str:
        return next((code for q, code in self.places if q == qualifier), "")

    def date(self, qualifier: str) -> datetime | None:
        return next((time for q, time in self.dates if q == qualifier), None)


def decode(message: Message) -> Document:
    """Read a validated message into a Document."""
    body = message.body()
    first_group = next(
        (i for i, segment in enumerate(body) if _opens_group_or_event(message.type, segment)),
        len(body),
    )
    header, details = body[:first_group], body[first_group:]
    bgm = message.first("BGM")
    transport = next((s for s in header if s.tag == "TDT"), None)
    places = tuple(
        (s.get(0), s.get(1)) for s in header if s.tag == "LOC" and s.get(1) and s.get(0) != "147"
    )
    dates = tuple(
        (s.get(0, 0), time)
        for s in header
        if s.tag == "DTM" and (time := parse_date(s.get(0, 1), s.get(0, 2))) is not None
    )
    return Document(
        type=message.type,
        directory=message.directory,
        code=bgm.get(0, 0) if bgm else "",
        number=bgm.get(1, 0) if bgm else "",
        function=(bgm.get(2, 0) if bgm else "") or "9",
        voyage=transport.get(1) if transport else "",
        mode=transport.get(2) if transport else "",
        carrier=transport.get(4) if transport else "",
        transport_id=transport.get(_means(transport), 0) if transport else "",
        transport_name=transport.get(_means(transport), 3) if transport else "",
        places=places,
        dates=dates,
        equipment=tuple(_equipment_lines(message.type, details, header)),
        reference=message.reference,
    )


def _means(transport: Segment) -> int:
    """The element of TDT that identifies the means of transport: the 8th (D.95B), or the
    7th where SMDG 3.1 senders leave one empty element out."""
    return 7 if transport.get(7) or not transport.get(6) else 6


def _opens_group(message_type: str, segment: Segment) -> bool:
    """Where a container group begins: at the stowage location (LOC+147) in a bay plan,
    at EQD elsewhere."""
    if message_type == "BAPLIE":
        return segment.tag == "LOC" and segment.get(0) == "147"
    return segment.tag == "EQD"


def _equipment_lines(
    message_type: str, details: tuple[Segment, ...], header: tuple[Segment, ...]
) -> list[Equipment]:
    groups: list[list[Segment]] = []
    for segment in details:
        if segment.tag in ("CNT", "UNS"):
            continue
        if message_type == "IFTSTA":
            # CNI and STS carry the event for the EQDs that follow; an EQD closes the group.
            closed = bool(groups) and any(s.tag == "EQD" for s in groups[-1])
            if not groups or (closed and segment.tag != "EQD"):
                groups.append([])
            groups[-1].append(segment)
            continue
        if _opens_group(message_type, segment) or not groups:
            groups.append([])
        groups[-1].append(segment)
    lines = []
    for group in groups:
        lines += _lines_of(group)
    return lines


def _opens_group_or_event(message_type: str, segment: Segment) -> bool:
    if message_type == "IFTSTA":
        return segment.tag in ("CNI", "STS", "EQD")
    return _opens_group(message_type, segment)


def _lines_of(group: list[Segment]) -> list[Equipment]:
    containers = [s for s in group if s.tag == "EQD" and s.get(0) == "CN" and s.get(1)]
    if not containers:
        return []
    values: dict[str, object] = {}
    gross_rank = len(_GROSS)
    for segment in group:
        gross_rank = _read_segment(segment, values, gross_rank)
    lines = []
    for eqd in containers:
        full = {"5": True, "4": False}.get(eqd.get(5))
        lines.append(
            Equipment(
                number=eqd.get(1),
                size_type=eqd.get(2),
                status=eqd.get(4),
                full=full,
                index=eqd.index,
                **values,  # type: ignore[arg-type]
            )
        )
    return lines


def _read_segment(segment: Segment, values: dict[str, object], gross_rank: int) -> int:
    """Note what ``segment`` says of the group's containers; returns the gross-mass rank
    kept so far (a verified gross mass wins over an estimate)."""
    tag, qualifier = segment.tag, segment.get(0)
    if tag == "LOC":
        key = {
            "147": "position",
            "ZZZ": "yard_position",
            "9": "loading_place",
            "11": "discharge_place",
            "7": "destination",
            "83": "destination",
        }.get(qualifier)
        if key is not None and key not in values:
            values[key] = segment.get(1)
    elif tag == "MEA":
        measured = segment.get(1) or segment.get(0)
        mass = parse_number(segment.get(2, 1))
        unit = segment.get(2, 0)
        if measured in _GROSS and mass is not None and unit in ("KGM", "TNE"):
            rank = _GROSS.index(measured)
            if rank < gross_rank:
                values["gross_mass_kg"] = round(mass * (1000 if unit == "TNE" else 1))
                return rank
    elif tag == "SEL" and "seal" not in values:
        values["seal"] = segment.get(0)
    elif tag == "RFF" and qualifier == "BN" and "booking" not in values:
        values["booking"] = segment.get(0, 1)
    elif tag == "NAD" and qualifier in ("CF", "CA") and segment.get(1):
        if qualifier == "CF" or "operator" not in values:
            values["operator"] = segment.get(1)
    elif tag == "DGS" and qualifier == "IMD" and "imdg_class" not in values:
        values["imdg_class"] = segment.get(1)
    elif tag == "TMP" and qualifier == "2":
        temperature = parse_number(segment.get(1, 0))
        if temperature is not None:
            values["temperature_c"] = temperature
    elif tag == "STS":
        values["event"] = segment.get(1, 0)
    elif tag == "DTM" and qualifier in _EVENT_DATES and "event_time" not in values:
        time = parse_date(segment.get(0, 1), segment.get(0, 2))
        if time is not None:
            values["event_time"] = time
    elif tag == "TDT" and qualifier == "30":
        values["onward_mode"] = segment.get(2)
        values["onward_reference"] = segment.get(1) or segment.get(7)
    elif tag == "DTM" and qualifier == "133" and "onward_reference" in values:
        values["onward_due"] = parse_date(segment.get(0, 1), segment.get(0, 2))
    elif tag == "TDT" and segment.get(2) == "3" and segment.get(7):
        values["truck"] = segment.get(7)
    return gross_rank
