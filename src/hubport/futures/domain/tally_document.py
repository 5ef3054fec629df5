"""A measuring station's tally document (CSV text): one row per log.

Columns: ``species,length_m,diameter_cm`` and, when the station has them, ``piece``
(its number; the row's number otherwise), ``defects`` (codes separated by ``;``),
``inspector`` and ``photo``. A header is required; an error names the row and column.
The document's SHA-256 goes into the handover record, so the signed volume can be traced
to the exact file.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from hubport.futures.domain.errors import InvalidMeasure, InvalidTally
from hubport.futures.domain.tally import Tally, TallyPiece
from hubport.futures.domain.volume import Log

REQUIRED = ("species", "length_m", "diameter_cm")
#: A tally of a whole train is a few thousand logs; refuse what no station sends.
MAX_PIECES = 100_000


@dataclass(frozen=True)
class TallyDocument:
    tally: Tally
    sha256: str
    text: str


def parse_tally(data: bytes, where: str = "tally") -> TallyDocument:
    """The tally in ``data`` (UTF-8, a BOM allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidTally(f"{where}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidTally(
            f"{where}: no column {', '.join(missing)} (has {', '.join(columns) or 'none'})"
        )
    reader.fieldnames = columns
    pieces: list[TallyPiece] = []
    for row_number, row in enumerate(reader, start=2):
        if len(pieces) >= MAX_PIECES:
            raise InvalidTally(f"{where}: more than {MAX_PIECES} pieces")
        if None in row:
            raise InvalidTally(f"{where} row {row_number}: more fields than columns")
        if not any((value or "").strip() for value in row.values()):
            continue  # a blank line
        try:
            log = Log.measured(row["length_m"], row["diameter_cm"])
            number_text = (row.get("piece") or "").strip()
            number = int(number_text) if number_text else row_number - 1
            defects = tuple(d.strip() for d in (row.get("defects") or "").split(";") if d.strip())
            pieces.append(
                TallyPiece(
                    number,
                    (row["species"] or "").strip(),
                    log,
                    defects,
                    (row.get("inspector") or "").strip(),
                    (row.get("photo") or "").strip(),
                )
            )
        except (InvalidMeasure, InvalidTally) as error:
            raise InvalidTally(f"{where} row {row_number}: {error}") from None
        except ValueError:
            raise InvalidTally(
                f"{where} row {row_number}: piece {row.get('piece')!r} is not a number"
            ) from None
    if not pieces:
        raise InvalidTally(f"{where}: no pieces")
    return TallyDocument(Tally(tuple(pieces)), hashlib.sha256(data).hexdigest(), text)


__all__ = ["MAX_PIECES", "REQUIRED", "TallyDocument", "parse_tally"]
