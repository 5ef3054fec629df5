"""EDIFACT syntax: an interchange read into envelope, messages and numbered segments.

pydifact tokenises and splits the text (service string advice, release character,
composites). This module keeps what a validation report needs and pydifact does not:
each segment's position, and the envelope as data. Reading never raises on bad content;
it returns the problems it found, so that a report can name all of them at once.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydifact.control.characters import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.exceptions import ValidationError as PydifactValidationError
from pydifact.parser import Parser
from pydifact.segments import Segment as PydifactSegment
from pydifact.segments import SegmentFactory
from pydifact.serializer import Serializer

#: Tags of the service segments that frame messages.
SERVICE_TAGS = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})

Element = tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One reason to reject an interchange: where it is and what is wrong."""

    text: str
    position: int | None = None
    tag: str | None = None
    message: str | None = None
    #: The name of a deviation from the standard that keeps the message's meaning (see
    #: ``partners.DEVIATIONS``): a partner's profile may accept it with a warning.
    deviation: str | None = None

    def __str__(self) -> str:
        where = []
        if self.message is not None:
            where.append(f"message {self.message}")
        if self.position is not None:
            where.append(f"segment {self.position}" + (f" {self.tag}" if self.tag else ""))
        elif self.tag:
            where.append(self.tag)
        return (", ".join(where) + ": " if where else "") + self.text


@dataclass(frozen=True)
class Segment:
    """A segment: its tag, its data elements (each a tuple of components) and its place.

    ``position`` counts segments from the interchange's first (UNB = 1, UNA not counted);
    ``index`` counts within the message, from UNH = 1, as UNT's count does.
    """

    tag: str
    elements: tuple[Element, ...]
    position: int
    index: int = 0

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of data element ``element`` (0-based), '' when absent."""
        if element >= len(self.elements):
            return ""
        parts = self.elements[element]
        return parts[component] if component < len(parts) else ""

    def qualifier(self) -> str:
        return self.get(0)

    def __str__(self) -> str:
        return self.tag + "".join("+" + ":".join(parts) for parts in self.elements)


@dataclass(frozen=True)
class Message:
    """One message, UNH to UNT inclusive, with its identification from UNH."""

    reference: str
    type: str
    version: str
    release: str
    agency: str
    association: str
    segments: tuple[Segment, ...]
    group: str | None = None

    @property
    def directory(self) -> str:
        """The directory as ``D.95B``."""
        return f"{self.version}.{self.release}"

    def body(self) -> tuple[Segment, ...]:
        """The segments between UNH and UNT."""
        return tuple(segment for segment in self.segments if segment.tag not in ("UNH", "UNT"))

    def first(self, tag: str, qualifier: str | None = None) -> Segment | None:
        for segment in self.segments:
            if segment.tag == tag and (qualifier is None or segment.qualifier() == qualifier):
                return segment
        return None


@dataclass
class Interchange:
    """An interchange as read: envelope fields, messages, every segment, and the problems."""

    segments: list[Segment] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    characters: Characters = field(default_factory=Characters)

    @property
    def header(self) -> Segment | None:
        return self.segments[0] if self.segments and self.segments[0].tag == "UNB" else None

    @property
    def syntax(self) -> str:
        return self.header.get(0, 0) if self.header else ""

    @property
    def sender(self) -> str:
        return self.header.get(1, 0) if self.header else ""

    @property
    def recipient(self) -> str:
        return self.header.get(2, 0) if self.header else ""

    @property
    def control_reference(self) -> str:
        return self.header.get(4, 0) if self.header else ""


def _default_characters() -> Characters:
    """pydifact's default separators ``:+.? '``."""
    return Characters()  # type: ignore[no-untyped-call]


class _PlainFactory(SegmentFactory):
    """pydifact's factory without its directory validation (we validate per profile)."""

    @staticmethod
    def create_segment(
        name: str,
        *elements: str | list[str],
        validate: bool = False,
        version: str = "",
        directory: str = "",
    ) -> PydifactSegment:
        if not name or not isinstance(name, str) or not name.isalnum():
            raise EDISyntaxError(f"segment tag {name!r} is not 3 letters or digits")
        return PydifactSegment(name, *elements)


def read_interchange(text: str) -> Interchange:
    """Tokenise ``text`` and frame it into messages; problems are collected, not raised."""
    interchange = Interchange()
    if not text.strip():
        interchange.problems.append(Problem("the file is empty"))
        return interchange
    interchange.characters = _characters(text)
    parser = Parser(factory=_PlainFactory())
    position = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for raw in parser.parse(text.strip()):
                if raw.tag == "UNA":
                    continue
                position += 1
                interchange.segments.append(Segment(raw.tag, _elements(raw), position))
    except (
        EDISyntaxError,
        PydifactValidationError,
        ValueError,
        IndexError,
        TypeError,
        AttributeError,
    ) as error:
        detail = str(error).removeprefix("EDIFACT Syntax Error: ").strip() or type(error).__name__
        interchange.problems.append(
            Problem(f"syntax error after this segment: {detail}", position or None, None)
        )
        return interchange
    _frame(interchange)
    return interchange


def _characters(text: str) -> Characters:
    stripped = text.lstrip()
    if stripped.startswith("UNA") and len(stripped) >= 9:
        try:
            return Characters.from_str(stripped[:9])
        except Exception:  # pydifact's own ValidationError: fall back to the defaults
            return _default_characters()
    return _default_characters()


def _elements(raw: PydifactSegment) -> tuple[Element, ...]:
    elements: list[Element] = []
    for element in raw.elements:
        if isinstance(element, list):
            elements.append(tuple(str(part) for part in element))
        else:
            elements.append((str(element) if element is not None else "",))
    return tuple(elements)


def _frame(interchange: Interchange) -> None:
    """Group the segments into messages (UNH..UNT), noting framing problems as they show."""
    open_segments: list[Segment] = []
    group: str | None = None
    problems = interchange.problems
    for segment in interchange.segments:
        tag = segment.tag
        if tag == "UNH":
            if open_segments:
                problems.append(
                    Problem("a new UNH before the previous message's UNT", segment.position, tag)
                )
            open_segments = [_indexed(segment, 1)]
        elif open_segments:
            indexed = _indexed(segment, len(open_segments) + 1)
            open_segments.append(indexed)
            if tag == "UNT":
                interchange.messages.append(_message(open_segments, group))
                open_segments = []
            elif tag in SERVICE_TAGS:
                problems.append(
                    Problem(f"{tag} inside a message (no UNT before it)", segment.position, tag)
                )
        elif tag == "UNG":
            group = segment.get(4, 0) or segment.get(0, 0)
        elif tag == "UNE":
            group = None
        elif tag not in SERVICE_TAGS:
            problems.append(
                Problem("segment outside a message (no UNH before it)", segment.position, tag)
            )
    if open_segments:
        head = open_segments[0]
        problems.append(
            Problem(
                "message has no UNT trailer (the file is cut short?)",
                head.position,
                "UNH",
                head.get(0, 0) or None,
            )
        )


def _indexed(segment: Segment, index: int) -> Segment:
    return Segment(segment.tag, segment.elements, segment.position, index)


def _message(segments: Sequence[Segment], group: str | None) -> Message:
    head = segments[0]
    return Message(
        reference=head.get(0, 0),
        type=head.get(1, 0),
        version=head.get(1, 1),
        release=head.get(1, 2),
        agency=head.get(1, 3),
        association=head.get(1, 4),
        segments=tuple(segments),
        group=group,
    )


def latin1(text: str) -> str:
    """``text`` within the UNOC repertoire (ISO 8859-1): dashes and quotes made plain,
    anything else outside it spelled as its closest ASCII or dropped."""
    plain = text.translate(_PLAIN)
    if all(ord(char) < 256 for char in plain):
        return plain
    decomposed = unicodedata.normalize("NFKD", plain)
    return "".join(
        char for char in decomposed if ord(char) < 256 and not unicodedata.combining(char)
    )


_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def write_segments(segments: Sequence[Sequence[str | Sequence[str]]]) -> str:
    """Serialise segments given as ``[tag, element, …]`` (an element: str or components).

    One segment per line, with the default separators (``:+.? '``) and an UNA advice.
    """
    built = []
    for tag, *elements in segments:
        values: list[str | list[str]] = []
        for element in elements:
            if isinstance(element, str):
                values.append(latin1(element))
            else:
                values.append([latin1(str(part)) for part in element])
        built.append(PydifactSegment(str(tag), *values))
    serializer = Serializer(_default_characters())
    return serializer.serialize(built, with_una_header=True, break_lines=True)
