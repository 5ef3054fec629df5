"""A place's names in other languages than its site file's (小南垭 for Xiaonanya): the
console shows each user the name in its language, where the site file gives one
(``names = { zh = "…" }`` beside ``name``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubport.domain.errors import SiteError


def read_names(value: Any, where: str) -> Mapping[str, str]:
    """``names = { zh = "…" }`` of a site file's table: language code → name."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(language, str) and isinstance(name, str) and name.strip()
        for language, name in value.items()
    ):
        raise SiteError(f"{where}: names must be a table of language codes to names")
    return dict(value)


__all__ = ["read_names"]
