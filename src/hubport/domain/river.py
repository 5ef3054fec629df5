"""The river side of the hub as data: the river port (Luohuang) with its berths, the road
between it and the rail station, and the barge and ship calls at its berths.

A vessel call has a berth window (its planned arrival and departure at one berth), a bay
plan (the boxes aboard for the hub and their cells, from a BAPLIE where one arrives) and a
load list (the boxes it takes away). Between the river port and the rail station a box
rides a shuttle truck: it stays a tracked place (``truck:VISIT:SPOT``) on the road, so a
box going from river to rail is never nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from hubport.domain.errors import SiteError, VisitError
from hubport.domain.names import read_names

VesselKind = Literal["barge", "ship"]
VESSEL_KINDS: tuple[VesselKind, ...] = ("barge", "ship")

#: Where a truck of the hub is: at the rail station, at the river port, or on the road
#: between them (a shuttle).
Location = Literal["station", "river_port", "road"]
ENDS: tuple[Location, ...] = ("station", "river_port")


@dataclass(frozen=True)
class Berth:
    """One berth of the river port, and the longest vessel it takes."""

    id: str
    length_m: float


@dataclass(frozen=True)
class RiverPort:
    """The river port beside the rail station, and the shuttle road between them."""

    name: str
    code: str
    locode: str
    berths: Mapping[str, Berth]
    #: The road between the river port and the rail station, and a shuttle's drive time.
    road_km: float = 10.0
    shuttle_minutes: float = 25.0
    #: The port's name in other languages (language code → name).
    names: Mapping[str, str] = field(default_factory=dict)

    def berth(self, berth_id: str) -> Berth:
        try:
            return self.berths[berth_id]
        except KeyError:
            known = ", ".join(self.berths) or "none"
            raise VisitError(
                f"berth {berth_id!r} is not at {self.name} (berths: {known})"
            ) from None


@dataclass(frozen=True)
class VesselCall:
    """A barge's or ship's call at a berth of the river port, in its berth window."""

    id: str
    vessel: str
    kind: VesselKind
    voyage: str
    berth: str
    eta: datetime
    etd: datetime
    length_m: float = 90.0
    #: The ship's registration or IMO number, and who runs the service.
    vessel_id: str = ""
    operator: str = ""
    #: The previous and next ports (UN/LOCODE).
    origin: str | None = None
    destination: str | None = None

    def __post_init__(self) -> None:
        if not self.id or ":" in self.id:
            raise VisitError(f"vessel call id {self.id!r} must be non-empty and contain no ':'")
        if self.kind not in VESSEL_KINDS:
            raise VisitError(f"vessel call {self.id}: kind {self.kind!r} is not barge or ship")
        if self.etd <= self.eta:
            raise VisitError(f"vessel call {self.id}: departs {self.etd} before it arrives")
        if self.length_m <= 0:
            raise VisitError(f"vessel call {self.id}: length {self.length_m} m is not positive")

    def overlaps(self, other: VesselCall) -> bool:
        """True when the two calls want the same berth at the same time."""
        return self.berth == other.berth and self.eta < other.etd and other.eta < self.etd


def check_call(call: VesselCall, port: RiverPort | None, others: Iterable[VesselCall]) -> None:
    """Refuse a call the river port cannot take: an unknown berth, a vessel longer than
    the berth, or a berth window that overlaps another call's at the same berth."""
    if port is None:
        raise VisitError(f"vessel call {call.id}: this site has no river port")
    berth = port.berth(call.berth)
    if call.length_m > berth.length_m:
        raise VisitError(
            f"vessel call {call.id}: {call.vessel} is {call.length_m:g} m, berth {berth.id} "
            f"takes {berth.length_m:g} m"
        )
    for other in others:
        if other.id != call.id and call.overlaps(other):
            raise VisitError(
                f"vessel call {call.id}: berth {call.berth} is taken by {other.id} "
                f"from {other.eta:%Y-%m-%d %H:%M} to {other.etd:%Y-%m-%d %H:%M}"
            )


def vessel_call_from_data(data: Mapping[str, Any]) -> VesselCall:
    """Rebuild a vessel call from its JSON-ready data (validating it again)."""
    return VesselCall(
        **{
            **data,
            "eta": datetime.fromisoformat(data["eta"]),
            "etd": datetime.fromisoformat(data["etd"]),
        }
    )


def read_river_port(table: Any, source: str) -> RiverPort | None:
    """A site file's ``[river_port]`` table with its ``[[river_port.berths]]``."""
    if table is None:
        return None
    where = f"{source}: [river_port]"
    if not isinstance(table, Mapping):
        raise SiteError(f"{where}: expected a table")
    for key in ("name", "code", "locode"):
        if not isinstance(table.get(key), str) or not table[key]:
            raise SiteError(f"{where}: {key} is missing or not text")
    berths: dict[str, Berth] = {}
    for index, berth in enumerate(table.get("berths", [])):
        berth_id, length = berth.get("id"), berth.get("length_m")
        if not isinstance(berth_id, str) or not isinstance(length, int | float) or length <= 0:
            raise SiteError(f"{where} berth #{index + 1}: needs an id and a positive length_m")
        if berth_id in berths:
            raise SiteError(f"{where}: berth {berth_id!r} defined twice")
        berths[berth_id] = Berth(berth_id, float(length))
    if not berths:
        raise SiteError(f"{where}: a river port has at least one berth")
    port = RiverPort(
        name=table["name"],
        code=table["code"],
        locode=table["locode"],
        berths=berths,
        road_km=float(table.get("road_km", 10.0)),
        shuttle_minutes=float(table.get("shuttle_minutes", 25.0)),
        names=read_names(table.get("names"), where),
    )
    if port.road_km <= 0 or port.shuttle_minutes <= 0:
        raise SiteError(f"{where}: road_km and shuttle_minutes must be positive")
    return port


__all__ = [
    "ENDS",
    "VESSEL_KINDS",
    "Berth",
    "Location",
    "RiverPort",
    "VesselCall",
    "VesselKind",
    "check_call",
    "read_river_port",
    "vessel_call_from_data",
]
