"""The landing bill (落地账单): each Pareto itinerary priced line by line, with CO2 per leg."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hubport.corridor.network import Network
from hubport.corridor.router import CostLine, Itinerary, Leg, Request, pareto
from hubport.corridor.timetable import Timetable
from hubport.domain.container import SizeType
from hubport.domain.errors import HubportError, UnknownSizeType

#: Trade names of container types → ISO 6346 size-type codes.
CONTAINER_NAMES = {
    "20GP": "22G1", "20DV": "22G1", "40GP": "42G1", "40DV": "42G1", "40HC": "45G1",
    "40HQ": "45G1", "45HC": "L5G1", "45HQ": "L5G1", "20RF": "22R1", "40RF": "42R1",
    "40RH": "45R1", "20OT": "22U1", "40OT": "42U1", "20TK": "22T1", "20FR": "22P1",
}  # fmt: skip
#: How far past the window the timetable reaches, for the longest sea legs.
HORIZON_DAYS = 60
#: The longest departure window a quote may span (a month: the search's cost grows with
#: the square of the window, so a year would tie up the server).
MAX_WINDOW_DAYS = 31


class QuoteError(HubportError):
    """A quote request that cannot be answered as given; says what would work."""


@dataclass(frozen=True)
class QuoteRequest:
    origin: str
    destination: str
    container: str
    cargo_kg: float
    date: datetime
    window_days: float = 7.0


@dataclass(frozen=True)
class Option:
    """One itinerary as quoted."""

    itinerary: Itinerary
    departs: datetime
    ready: datetime
    days: float
    cost: float
    co2_kg: float
    co2_per_leg: tuple[float, ...]
    fastest: bool
    cheapest: bool


def quote(network: Network, request: QuoteRequest) -> tuple[list[Option], Timetable, SizeType]:
    """The Pareto options for ``request``, sorted by arrival."""
    for code in (request.origin, request.destination):
        if code not in network.places:
            raise QuoteError(
                f"unknown place {code!r}; did you mean {suggest_place(network, code)}?"
            )
    if request.origin == request.destination:
        raise QuoteError("origin and destination are the same place")
    if not 0 < request.window_days <= MAX_WINDOW_DAYS:
        raise QuoteError(
            f"window of {request.window_days:g} days: a quote spans more than 0 and at most "
            f"{MAX_WINDOW_DAYS} days of departures"
        )
    size_type = container_type(request.container)
    if not 0 < request.cargo_kg <= size_type.max_gross_kg - size_type.tare_kg:
        raise QuoteError(
            f"cargo of {request.cargo_kg:g} kg does not fit a {size_type.code} "
            f"(payload up to {size_type.max_gross_kg - size_type.tare_kg} kg)"
        )
    timetable = Timetable.weekly(network, request.date, int(request.window_days) + HORIZON_DAYS)
    start = timetable.minute(request.date)
    itineraries = pareto(
        network,
        timetable,
        Request(
            request.origin,
            request.destination,
            start,
            start + round(request.window_days * 1440),
            size_type.is_forty,
        ),
    )
    gross_t = (request.cargo_kg + size_type.tare_kg) / 1000
    options = []
    for itinerary in itineraries:
        per_leg = tuple(
            gross_t * leg.distance_km * network.emissions[leg.mode] / 1000 for leg in itinerary.legs
        )
        departs = timetable.time(itinerary.legs[0].departs)
        ready = timetable.time(itinerary.ready)
        options.append(
            Option(
                itinerary,
                departs,
                ready,
                (ready - departs).total_seconds() / 86400,
                itinerary.cost,
                sum(per_leg),
                per_leg,
                False,
                False,
            )
        )
    if options:
        fastest = min(option.ready for option in options)
        cheapest = min(round(option.cost, 2) for option in options)
        options = [
            Option(
                **{
                    **o.__dict__,
                    "fastest": o.ready == fastest,
                    "cheapest": round(o.cost, 2) == cheapest,
                }
            )
            for o in options
        ]
    return options, timetable, size_type


def container_type(text: str) -> SizeType:
    """``40HC``, ``45G1`` … as a size type; unknown names get the nearest suggestions."""
    name = text.strip().upper()
    code = CONTAINER_NAMES.get(name, name)
    try:
        return SizeType.of(code)
    except UnknownSizeType:
        close = difflib.get_close_matches(name, list(CONTAINER_NAMES), n=3, cutoff=0.3)
        raise QuoteError(
            f"unknown container type {text!r}; did you mean {', '.join(close) or '40HC'}? "
            f"(names: {', '.join(CONTAINER_NAMES)}, or an ISO 6346 code such as 45G1)"
        ) from None


def suggest_place(network: Network, text: str) -> str:
    """The nearest place codes or names to ``text``."""
    by_key = {code: code for code in network.places}
    by_key.update({place.name.upper(): code for code, place in network.places.items()})
    close = difflib.get_close_matches(text.upper(), list(by_key), n=3, cutoff=0.3)
    codes = dict.fromkeys(by_key[key] for key in close)
    return ", ".join(f"{code} ({network.places[code].name})" for code in codes) or ", ".join(
        sorted(network.places)
    )


def parse_mass(text: str) -> float:
    """``20t``, ``20000kg`` or ``20000`` (kg) as kilograms."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(t|kg)?\s*", text.lower())
    if match is None:
        raise QuoteError(f"mass {text!r} is not a number with t or kg (e.g. 20t)")
    value = float(match[1])
    return value * 1000 if match[2] == "t" else value


def parse_days(text: str) -> float:
    match = re.fullmatch(r"\s*([0-9]{1,4}(?:\.[0-9]{1,3})?)\s*(d|h)?\s*", text.lower())
    if match is None:
        raise QuoteError(f"window {text!r} is not a duration such as 7d or 36h")
    value = float(match[1])
    return value / 24 if match[2] == "h" else value


def as_json(option: Option, timetable: Timetable, network: Network) -> dict[str, Any]:
    """One option as plain data for ``--json``."""
    itinerary = option.itinerary
    return {
        "departs": option.departs.isoformat(),
        "ready": option.ready.isoformat(),
        "days": round(option.days, 2),
        "transfers": itinerary.transfers,
        "cost": round(option.cost, 2),
        "currency": network.currency,
        "co2_kg": round(option.co2_kg, 1),
        "fastest": option.fastest,
        "cheapest": option.cheapest,
        "pareto": True,
        "customs_saved_hours": itinerary.customs_saved_hours,
        "legs": [
            _leg_json(leg, co2, timetable)
            for leg, co2 in zip(itinerary.legs, option.co2_per_leg, strict=True)
        ],
        "cost_lines": [_line_json(line) for line in itinerary.lines],
    }


def _leg_json(leg: Leg, co2: float, timetable: Timetable) -> dict[str, Any]:
    return {
        "mode": leg.mode,
        "from": leg.origin,
        "to": leg.destination,
        "service": leg.service.id if leg.service else None,
        "name": leg.service.name if leg.service else "truck",
        "departs": timetable.time(leg.departs).isoformat(),
        "arrives": timetable.time(leg.arrives).isoformat(),
        "distance_km": round(leg.distance_km),
        "customs": leg.customs,
        "co2_kg": round(co2, 1),
    }


def _line_json(line: CostLine) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "place": line.place,
        "text": line.text,
        "amount": round(line.amount, 2),
    }
