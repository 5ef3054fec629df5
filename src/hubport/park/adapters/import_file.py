"""The import file of a park moving off spreadsheets (JSON):

``{"requests": [{"id", "enterprise", "received": ISO, "deadline": ISO,
"events": [{"at": ISO, "state": STATE, "by": WHO}], "rating": 1-5 or null}]}``

Times without an offset are hub time. A field missing or of the wrong kind is named with
the request's place in the file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from hubport.domain.hub_time import HUB_TIME
from hubport.park.domain.errors import ImportRefused
from hubport.park.domain.history import KeptEvent, KeptRequest

#: A file of more requests than a park receives in years is not an import.
MAX_REQUESTS = 200_000


def read_import(path: Path) -> list[KeptRequest]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ImportRefused(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ImportRefused(f"{path}: not UTF-8 text") from None
    return parse_import(text, str(path))


def parse_import(text: str, source: str = "import") -> list[KeptRequest]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused(f"{source}: not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("requests"), list):
        raise ImportRefused(f'{source}: expected {{"requests": [...]}}')
    items = data["requests"]
    if len(items) > MAX_REQUESTS:
        raise ImportRefused(f"{source}: {len(items)} requests, more than {MAX_REQUESTS}")
    return [_request(item, f"{source} request #{n}") for n, item in enumerate(items, start=1)]


def _request(item: Any, where: str) -> KeptRequest:
    if not isinstance(item, dict):
        raise ImportRefused(f"{where}: not an object")
    identifier = item.get("id")
    if not isinstance(identifier, str | int) or str(identifier) == "":
        raise ImportRefused(f"{where}: no id")
    where = f"{where} ({identifier})"
    events = item.get("events", [])
    if not isinstance(events, list):
        raise ImportRefused(f"{where}: events is not a list")
    rating = item.get("rating")
    if rating is not None and (not isinstance(rating, int) or isinstance(rating, bool)):
        raise ImportRefused(f"{where}: rating {rating!r} is not a whole number or null")
    enterprise = item.get("enterprise")
    if not isinstance(enterprise, str):
        raise ImportRefused(f"{where}: enterprise is missing or not text")
    return KeptRequest(
        str(identifier),
        enterprise,
        _moment(item.get("received"), f"{where} received"),
        _moment(item.get("deadline"), f"{where} deadline"),
        tuple(_event(event, f"{where} event {n}") for n, event in enumerate(events, start=1)),
        rating,
    )


def _event(event: Any, where: str) -> KeptEvent:
    if not isinstance(event, dict):
        raise ImportRefused(f"{where}: not an object")
    state, by = event.get("state"), event.get("by")
    if not isinstance(state, str) or not isinstance(by, str):
        raise ImportRefused(f"{where}: state and by are text")
    return KeptEvent(_moment(event.get("at"), f"{where} at"), state, by)


def _moment(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise ImportRefused(f"{where}: expected an ISO 8601 time, got {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ImportRefused(f"{where}: {value[:40]!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HUB_TIME)


__all__ = ["parse_import", "read_import"]
