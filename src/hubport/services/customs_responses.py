"""Customs' responses in (CUSRES-style JSON) as bus commands with the customs role.

A response is ``{"message_id", "action", ...}``: ``release`` names the ``declaration``;
``hold`` and ``inspect`` name the ``box`` and the ``hold`` id (``inspect`` also the
``declaration``); ``lift`` names the ``hold``; ``note`` is optional. The message id is the
command's idempotency key: a repeated message changes nothing.
"""

from __future__ import annotations

import json

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


__all__ = ["ACTIONS", "CustomsResponseError", "response_command"]
