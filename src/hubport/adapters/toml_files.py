"""Reading a TOML file of data (a site, a state table, tariffs, accounts): the one given,
or the one shipped in ``hubport.sites``; an error names what the file is, the file, and
the problem."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from hubport.domain.errors import HubportError


def parse_toml(text: str, where: str, what: str, error: type[HubportError]) -> dict[str, Any]:
    """``text`` parsed; ``error`` says "WHAT WHERE: the problem" when it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{what} {where}: {problem}") from None


def read_toml(
    path: Path | None, shipped: str, what: str, error: type[HubportError]
) -> tuple[dict[str, Any], str]:
    """The data of ``path``, or of the shipped file ``shipped`` (a path within
    ``hubport.sites``), and where it came from (the path, or the shipped file's name)."""
    if path is None:
        text = resources.files("hubport.sites").joinpath(*shipped.split("/")).read_text("utf-8")
        where = shipped.rsplit("/", 1)[-1]
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as problem:
            raise error(f"{what} {path}: {problem.strerror}") from None
        where = str(path)
    return parse_toml(text, where, what, error), where


__all__ = ["parse_toml", "read_toml"]
