"""The boxes of the simulated traffic: valid ISO 6346 numbers unique across days, and
boxes of the mix the site sees (20' and 40', general, reefer, tank, some dangerous)."""

from __future__ import annotations

import random

from stdnum import iso6346

from hubport.domain.container import Container, ContainerNumber, CustomsStatus, NextLeg, SizeType

_OWNERS = ("CSQ", "OOL", "TGH", "TRH", "CBH", "BMO", "SEG", "FCI", "TCL", "MSC", "EGH", "CXD")
_OPERATORS = ("COS", "OOL", "CMA", "MSC", "EMC", "SITC")


#: Owner codes of the boxes past a stream's first 500 of a day (busy scenarios), none of
#: them in ``_OWNERS``: each page of 500 has its own.
_OVERFLOW = tuple(f"HB{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
PAGE = 500


class Numbers:
    """Valid ISO 6346 numbers, unique across days (up to 1,000) and streams: the serial
    is the day and a counter, 000-499 for stream 0 (inbound trains), 500-999 for stream 1
    (exports); past 500 boxes a day a stream goes on under the next overflow owner."""

    def __init__(self, rng: random.Random, day: int, stream: int):
        if stream not in (0, 1):
            raise ValueError(f"a box number stream is 0 or 1, not {stream}")
        self.rng, self.day, self.stream, self.count = rng, day, stream, 0

    def next(self) -> ContainerNumber:
        page, serial = divmod(self.count, PAGE)
        if page >= len(_OVERFLOW) + 1:
            raise ValueError(f"more than {PAGE * (len(_OVERFLOW) + 1)} boxes a day in a stream")
        owner = self.rng.choice(_OWNERS) if page == 0 else _OVERFLOW[page - 1]
        stem = f"{owner}U{self.day % 1000:03d}{serial + PAGE * self.stream:03d}"
        self.count += 1
        return ContainerNumber(stem + iso6346.calc_check_digit(stem))


def plate(seed_text: str) -> str:
    rng = random.Random(seed_text)
    return f"渝{rng.choice('ABCDF')}{rng.randrange(10000, 99999)}"


def new_box(
    rng: random.Random, number: ContainerNumber, forty: bool, leg: NextLeg, customs: CustomsStatus
) -> Container:
    kind = rng.random()
    if forty:
        code = "45R1" if kind < 0.05 else ("42G1" if kind < 0.3 else "45G1")
    else:
        code = "22R1" if kind < 0.05 else ("22T1" if kind < 0.08 else "22G1")
    size = SizeType.of(code)
    return Container(
        number=number,
        size_type=size,
        gross_mass_kg=int(rng.uniform(size.tare_kg + 4_000, min(size.max_gross_kg, 28_000))),
        full=True,
        operator=rng.choice(_OPERATORS),
        reefer_setpoint_c=rng.choice((-18.0, 2.0, 5.0)) if size.is_reefer else None,
        imdg_class="3" if size.is_tank and rng.random() < 0.5 else None,
        next_leg=leg,
        customs_status=customs,
    )
