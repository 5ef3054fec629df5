"""Site layouts as TOML files; the packaged default is the Xiaonanya automated zone."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from hubport.domain.errors import SiteError
from hubport.domain.site import Site

DEFAULT_SITE = "xiaonanya.toml"


def default_site_text() -> str:
    return resources.files("hubport.sites").joinpath(DEFAULT_SITE).read_text(encoding="utf-8")


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
    return Site.from_data(data, source)
