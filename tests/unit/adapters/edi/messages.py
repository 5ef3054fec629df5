"""Messages for the EDI tests, written with the gateway's own writer from plain documents."""

from __future__ import annotations

from datetime import datetime

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.outbound import Envelope, write_interchange

PREPARED = datetime(2026, 12, 1, 6, 0)


def line(
    number: str, size_type: str = "22G1", mass: int | None = 18_000, **fields: object
) -> Equipment:
    return Equipment(
        number=number,
        size_type=size_type,
        status="3",
        full=True,
        discharge_place="CNJGJ",
        gross_mass_kg=mass,
        **fields,  # type: ignore[arg-type]
    )


def coprar(
    *lines: Equipment,
    code: str = "121",
    function: str = "9",
    reference: str = "100",
    sender: str = "CRCT",
    train: str = "X1",
) -> str:
    document = Document(
        "COPRAR",
        "D.95B",
        code,
        f"{train}-DO",
        function,
        voyage=train,
        mode="2",
        transport_id=train,
        transport_name="China-Laos",
        places=(("11", "CNJGJ"),),
        equipment=lines,
        reference="1",
    )
    return write_interchange(Envelope(sender, "HUBPORT", reference, PREPARED), [document])


#: Valid ISO 6346 numbers for the tests.
NUMBERS = ("CSQU3054383", "MSKU9070323", "TGHU8761214", "OOLU4293959", "TCLU2583899")
