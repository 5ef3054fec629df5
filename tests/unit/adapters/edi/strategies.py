"""Hypothesis strategies: documents of each outbound type, and mutated interchanges."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st
from stdnum import iso6346

from hubport.adapters.edi.documents import Document, Equipment

#: Printable text including the EDIFACT separators, so that escaping is exercised.
TEXT = (
    st.text(alphabet=st.sampled_from("ABCXYZ019 -./+:'?*"), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
CODES = st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ", min_size=5, max_size=5).map(
    lambda code: code[:2] + code[2:]
)
TIMES = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@st.composite
def container_numbers(draw: st.DrawFn) -> str:
    owner = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3))
    serial = draw(st.integers(0, 999_999))
    body = f"{owner}U{serial:06d}"
    return body + iso6346.calc_check_digit(body)


def equipment(message_type: str) -> st.SearchStrategy[Equipment]:
    optional = st.one_of(st.just(""), TEXT)
    return st.builds(
        Equipment,
        number=container_numbers(),
        size_type=st.sampled_from(["22G1", "45G1", "42R1", "L5G1", "22T1", "4500"]),
        status=st.sampled_from(["", "2", "3", "6"]),
        full=st.sampled_from([None, True, False]),
        position=TEXT if message_type in ("BAPLIE",) else optional,
        yard_position=optional,
        loading_place=st.one_of(st.just(""), CODES),
        discharge_place=st.one_of(st.just(""), CODES),
        destination=st.one_of(st.just(""), CODES),
        gross_mass_kg=st.one_of(st.none(), st.integers(1_000, 40_000)),
        seal=optional,
        booking=optional,
        operator=optional,
        imdg_class=st.sampled_from(["", "3", "8", "2.1"]),
        temperature_c=st.one_of(st.none(), st.sampled_from([-18.0, 5.0, 12.5])),
        event=TEXT if message_type == "IFTSTA" else st.just(""),
        event_time=st.one_of(st.none(), TIMES),
        truck=optional,
        onward_mode=st.just(""),
        onward_reference=st.just(""),
        onward_due=st.none(),
    )


@st.composite
def documents(draw: st.DrawFn, message_type: str) -> Document:
    directory = {"IFTSTA": "D.00B"}.get(message_type, "D.95B")
    onward = draw(st.booleans())
    lines = draw(st.lists(equipment(message_type), min_size=1, max_size=6))
    if onward:
        lines = [
            Equipment(
                **{
                    **line.__dict__,
                    "onward_mode": "2",
                    "onward_reference": "XD001OUT",
                    "onward_due": draw(TIMES),
                }
            )
            for line in lines
        ]
    return Document(
        message_type,
        directory,
        draw(st.sampled_from(["44", "46", "45", "121", "34", "36", "23"])),
        draw(TEXT),
        draw(st.sampled_from(["9", "5"])),
        voyage=draw(TEXT),
        mode=draw(st.sampled_from(["", "2", "8"])),
        carrier=draw(st.one_of(st.just(""), TEXT)),
        transport_id=draw(st.one_of(st.just(""), TEXT)),
        transport_name=draw(st.one_of(st.just(""), TEXT)),
        places=tuple(
            draw(st.lists(st.tuples(st.sampled_from(["5", "11", "61"]), CODES), max_size=2))
        ),
        dates=tuple(draw(st.lists(st.tuples(st.sampled_from(["137", "132"]), TIMES), max_size=2))),
        equipment=tuple(lines),
        reference="1",
    )
