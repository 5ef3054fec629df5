"""Site layouts as TOML files; the packaged default is the Xiaonanya automated zone."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from hubport.domain.errors import SiteError
from hubport.domain.rail import WagonType, read_wagon_types
from hubport.domain.site import Site

DEFAULT_SITE = "xiaonanya.toml"


WAGON_TYPES = "wagon_types.toml"


def default_site_text() -> str:
    return resources.files("hubport.sites").joinpath(DEFAULT_SITE).read_text(encoding="utf-8")


def shipped_wagon_types() -> list[dict[str, Any]]:
    """The wagon types every site has (``sites/wagon_types.toml``), as TOML tables."""
    text = resources.files("hubport.sites").joinpath(WAGON_TYPES).read_text(encoding="utf-8")
    tables: list[dict[str, Any]] = tomllib.loads(text)["wagon_types"]
    return tables


def wagon_types() -> dict[str, WagonType]:
    """The shipped wagon types by code (for planning without a store)."""
    return read_wagon_types(shipped_wagon_types(), f"hubport/sites/{WAGON_TYPES}")


def read_site_file(path: Path | None) -> tuple[Site, str, str]:
    """The site in ``path`` (default: the packaged Xiaonanya layout), its text and source."""
    if path is None:
        text, source = default_site_text(), f"hubport/sites/{DEFAULT_SITE}"
    else:
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as error:
            raise SiteError(f"cannot read site file {path}: {error.strerror}") from None
    return site_from_text(text, source), text, source


def site_from_text(text: str, source: str) -> Site:
    """Parse a site layout; syntax errors name the file and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SiteError(f"{source}: not valid TOML: {error}") from None
    # the shipped wagon types first: a site's own type of the same code replaces one
    data["wagon_types"] = [*shipped_wagon_types(), *data.get("wagon_types", [])]
    return Site.from_data(data, source)
