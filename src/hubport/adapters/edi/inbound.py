"""Inbound mapping: what a decoded message asks of the hub, as container advices.

- COPRAR discharge order (BGM 121): announce the boxes coming on the visit, or update them.
- COPRAR loading order (BGM 45): the boxes' next leg is the visit in the TDT; announce the
  ones the hub does not know yet (they come by truck).
- BAPLIE: the boxes whose port of discharge is one of the hub's are announced (or updated)
  with their stowage; the rest of the bay plan is recorded only.
- COARRI, CODECO, CUSCAR, IFTSTA: read and recorded; they change nothing in the yard.

Values the domain refuses (a mass beyond the type's rating, a size type with no slot here)
are problems of the line's EQD segment, reported like syntax problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.profiles import (
    COPRAR_DISCHARGE,
    COPRAR_LOADING,
    FUNCTION_CANCEL,
    PROFILES,
)
from hubport.adapters.edi.syntax import Problem
from hubport.domain.advice import ContainerAdvice
from hubport.domain.container import IMDG_CLASSES, ContainerNumber, LegMode, NextLeg, SizeType
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME

#: TDT transport modes (8067) → the hub's leg modes.
_LEG_MODES = {"2": LegMode.RAIL, "8": LegMode.RIVER, "3": LegMode.ROAD, "1": LegMode.RIVER}


@dataclass(frozen=True)
class Intent:
    """What one message asks: advices (each with its EQD index) and a one-line summary."""

    document: Document
    advices: tuple[ContainerAdvice, ...]
    lines: tuple[int, ...]  # the EQD segment index of each advice
    summary: str


def interpret(document: Document, hub_locodes: frozenset[str]) -> tuple[Intent, list[Problem]]:
    """Map ``document`` to advices; problems name the message, segment and reason."""
    problems: list[Problem] = []
    profile = PROFILES[document.type]
    if document.function == FUNCTION_CANCEL and profile.applied:
        problems.append(
            Problem(
                "a cancellation (BGM function 1) is not applied automatically: "
                "withdraw the announcement at the console",
                None,
                "BGM",
                document.reference,
            )
        )
        return Intent(document, (), (), "cancellation"), problems
    chosen = _applicable(document, hub_locodes) if profile.applied else []
    advices: list[ContainerAdvice] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    for line in chosen:
        if line.number in seen:
            problems.append(
                Problem(
                    f"container {line.number} appears twice (first at segment {seen[line.number]})",
                    line.index,
                    "EQD",
                    document.reference,
                )
            )
            continue
        seen[line.number] = line.index
        try:
            advices.append(_advice(document, line))
            lines.append(line.index)
        except HubportError as error:
            problems.append(Problem(str(error), line.index, "EQD", document.reference))
    return Intent(document, tuple(advices), tuple(lines), _summary(document, chosen)), problems


def _applicable(document: Document, hub_locodes: frozenset[str]) -> list[Equipment]:
    if document.type == "BAPLIE":
        return [
            line
            for line in document.equipment
            if line.discharge_place in hub_locodes or line.destination in hub_locodes
        ]
    return list(document.equipment)


def _advice(document: Document, line: Equipment) -> ContainerAdvice:
    number = ContainerNumber(line.number)
    size_type = SizeType.of(line.size_type) if line.size_type else None
    imdg = line.imdg_class or None
    if imdg is not None and imdg not in IMDG_CLASSES:
        imdg = imdg.split(".")[0] if imdg.split(".")[0] in IMDG_CLASSES else imdg
    return ContainerAdvice(
        number=number,
        size_type=size_type,
        gross_mass_kg=line.gross_mass_kg,
        full=line.full,
        operator=line.operator or None,
        reefer_setpoint_c=line.temperature_c,
        imdg_class=imdg,
        seal=line.seal or None,
        next_leg=_next_leg(document, line),
    )


def _next_leg(document: Document, line: Equipment) -> NextLeg | None:
    """The leg the box leaves on: its on-carriage (TDT+30) when the line gives one, or,
    in a loading order, the visit in the message's TDT."""
    if line.onward_reference:
        return NextLeg(
            mode=_LEG_MODES.get(line.onward_mode, LegMode.ROAD),
            reference=line.onward_reference,
            due=_hub_time(line.onward_due),
            destination=line.destination or None,
        )
    if not (document.type == "COPRAR" and document.code == COPRAR_LOADING):
        return None
    reference = document.transport_id or document.voyage
    if not reference:
        return None
    due = _hub_time(document.date("133") or document.date("132"))
    return NextLeg(
        mode=_LEG_MODES.get(document.mode, LegMode.RAIL),
        reference=reference,
        due=due,
        destination=line.destination or line.discharge_place or None,
    )


def _hub_time(moment: datetime | None) -> datetime | None:
    """EDIFACT times carry no zone: they are the hub's local time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=HUB_TIME)


def _summary(document: Document, chosen: list[Equipment]) -> str:
    kind = (
        {
            COPRAR_DISCHARGE: "discharge order",
            COPRAR_LOADING: "loading order",
        }.get(document.code, PROFILES[document.type].title)
        if document.type == "COPRAR"
        else (PROFILES[document.type].title)
    )
    visit = document.transport_id or document.voyage or "no visit"
    applied = f", {len(chosen)} for this hub" if document.type == "BAPLIE" else ""
    return f"{document.type} {kind} ({visit}): {len(document.equipment)} containers{applied}"
