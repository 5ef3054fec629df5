"""What a shipper may read of derived data: nothing that names another party's box.

A shipper sees its own boxes. The records and texts around them (a declaration's list of
boxes, an arrival report's note, an event's payload) may name boxes of other parties that
share a declaration or a train. Before any of it reaches a shipper, every box number in it
that is not the shipper's is taken out: dropped from a list, and a text that names one is
cut just before it (so "arrival report: CXDU0010015 set down at yard:A-05-01-1" reads
"arrival report"), so that the shipper learns neither the box nor its place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any

#: An ISO 6346 number as it appears in texts: owner code, category, serial, check digit.
NUMBER = re.compile(r"[A-Z]{3}[UJZR][0-9]{7}")
#: What a text cut to nothing reads.
WITHHELD = "(withheld)"


class ShipperView:
    """Redacts data for one party; ``operators_of`` answers each known box's operator."""

    def __init__(self, party: str, operators_of: Callable[[Collection[str]], dict[str, str]]):
        self.party = party
        self._operators_of = operators_of
        self._owner: dict[str, str | None] = {}

    def shows(self, value: Any) -> Any:
        """``value`` (texts, lists and mappings, nested) with other parties' boxes out."""
        numbers = set(NUMBER.findall(json.dumps(value, default=str)))
        self.learn(numbers)
        return self._redact(value)

    def mine(self, number: str) -> bool:
        self.learn({number})
        return self._owner.get(number) == self.party

    def learn(self, numbers: set[str]) -> None:
        """Look up the owners of ``numbers`` not yet known (one query for them all)."""
        unknown = numbers - self._owner.keys()
        if unknown:
            found = self._operators_of(unknown)
            self._owner.update({number: found.get(number) for number in unknown})

    def _redact(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, list | tuple):
            return [
                self._redact(item)
                for item in value
                if not (isinstance(item, str) and NUMBER.fullmatch(item) and not self._own(item))
            ]
        if isinstance(value, dict):
            return {key: self._redact(item) for key, item in value.items()}
        return value

    def _own(self, number: str) -> bool:
        return self._owner.get(number) == self.party

    def _text(self, text: str) -> str:
        for found in NUMBER.finditer(text):
            if not self._own(found.group()):
                kept = text[: found.start()].rstrip(" :,;-—→(")
                return kept or WITHHELD
        return text


__all__ = ["NUMBER", "WITHHELD", "ShipperView"]
