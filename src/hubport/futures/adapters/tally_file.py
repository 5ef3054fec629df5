"""Reading a measuring station's tally file from disk (its format: ``tally_document``)."""

from __future__ import annotations

from pathlib import Path

from hubport.futures.domain.errors import InvalidTally
from hubport.futures.domain.tally_document import TallyDocument, parse_tally


def read_tally_file(path: Path) -> TallyDocument:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidTally(f"tally file {path}: {error.strerror}") from None
    return parse_tally(data, str(path))


__all__ = ["read_tally_file"]
