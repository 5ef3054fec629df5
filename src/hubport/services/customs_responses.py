"""Customs' responses in, as bus commands with the customs role: a documented JSON form,
or a CUSRES EDIFACT message through the EDI gateway.

A JSON response is ``{"message_id", "action", ...}``: ``release`` names the
``declaration``; ``hold`` and ``inspect`` name the ``box`` and the ``hold`` id (``inspect``
also the ``declaration``); ``lift`` names the ``hold``; ``note`` is optional.

A CUSRES says the same in segments (hubport's profile, see docs/customs.md): BGM 1004 is
the message id, GIS the action (``RLS`` release, ``HLD`` hold, ``INS`` inspection, ``LFT``
lift), ``RFF+ABT`` the declaration, ``EQD+CN`` the box, ``RFF+ACW`` the message that placed
the hold being lifted (a hold's id is its message's id), ``FTX+AAI`` the note.

Either way the message id is the command's idempotency key (``customs:ID``): a repeated
message, or the same response sent both ways, changes nothing the second time.
"""

from __future__ import annotations

import json

from hubport.adapters.edi.syntax import Message
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.services import customs_commands as customs
from hubport.services.commands import Command

ACTIONS = ("release", "hold", "lift", "inspect")


class CustomsResponseError(HubportError):
    """A customs response that cannot be read; the message names the field."""


def response_command(text: str) -> Command:
    """The bus command a customs response (JSON) asks for, keyed by its message id."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CustomsResponseError(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise CustomsResponseError("expected a JSON object")

    def field(name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value:
            raise CustomsResponseError(f"{name}: missing or not a text")
        return value

    key = f"customs:{field('message_id')}"
    action, note = field("action"), str(data.get("note", ""))
    if action not in ACTIONS:
        raise CustomsResponseError(f"action: {action!r} is not one of {', '.join(ACTIONS)}")
    if action == "release":
        return customs.ReleaseDeclaration(field("declaration"), note, idempotency_key=key)
    if action == "lift":
        return customs.LiftHold(field("hold"), note or "lifted", idempotency_key=key)
    number = ContainerNumber(field("box"))
    if action == "hold":
        return customs.PlaceHold(number, field("hold"), note or "customs hold", idempotency_key=key)
    return customs.SelectForInspection(
        field("declaration"), number, field("hold"), note or "inspection", idempotency_key=key
    )


#: CUSRES GIS processing indicators (hubport's profile) and the actions they mean.
GIS_ACTIONS = {"RLS": "release", "HLD": "hold", "INS": "inspect", "LFT": "lift"}


def cusres_command(message: Message) -> Command:
    """The bus command a CUSRES message asks for (see the module), keyed by its id."""
    reference = message.reference

    def fail(text: str, tag: str) -> CustomsResponseError:
        return CustomsResponseError(f"CUSRES {reference} {tag}: {text}")

    bgm, gis = message.first("BGM"), message.first("GIS")
    message_id = bgm.get(1) if bgm is not None else ""
    if not message_id:
        raise fail("no message id (BGM 1004)", "BGM")
    indicator = gis.get(0) if gis is not None else ""
    if indicator not in GIS_ACTIONS:
        codes = ", ".join(f"{code} ({action})" for code, action in GIS_ACTIONS.items())
        raise fail(f"{indicator or 'no indicator'!r} is not one of {codes}", "GIS")
    references = {
        segment.get(0, 0): segment.get(0, 1)
        for segment in message.segments
        if segment.tag == "RFF" and segment.get(0, 1)
    }
    equipment = message.first("EQD", "CN")
    note_segment = message.first("FTX", "AAI")
    fields = {
        "message_id": message_id,
        "action": GIS_ACTIONS[indicator],
        "declaration": references.get("ABT", ""),
        "box": equipment.get(1) if equipment is not None else "",
        "hold": references.get("ACW", "") if indicator == "LFT" else message_id,
        "note": note_segment.get(3) if note_segment is not None else "",
    }
    try:
        return response_command(json.dumps(fields))
    except CustomsResponseError as error:
        raise fail(str(error).replace("box:", "EQD+CN (the box):"), "segments") from None


__all__ = ["ACTIONS", "GIS_ACTIONS", "CustomsResponseError", "cusres_command", "response_command"]
