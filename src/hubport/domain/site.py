"""The site layout: yard blocks, loading tracks, truck lanes and the gantry cranes' rail.

A site is data (a TOML file, see ``docs/site.md``); this module checks it and answers
geometry questions: does a slot exist, has it a reefer plug, where along the rail is it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hubport.domain.crane_motion import Axis, CraneType
from hubport.domain.errors import InvalidPlace, SiteError
from hubport.domain.gate import WindowRule
from hubport.domain.names import read_names
from hubport.domain.places import YardSlot
from hubport.domain.rail import TrainService, WagonType, read_train_services, read_wagon_types
from hubport.domain.river import RiverPort, read_river_port

#: Height of one container tier (9'6" high cube, 2.90 m, is the tallest; 8'6" is 2.59 m).
TIER_HEIGHT_M = 2.9
#: Top of a container flat wagon's deck above the rail head (NX70-type wagons: 1.17 m).
WAGON_DECK_M = 1.2
#: Top of a container chassis above the lane (typical skeletal trailer: 1.35 m).
TRUCK_BED_M = 1.35

#: The crane type of a site file that names none: a rail-mounted gantry like Liebherr's at
#: Felixstowe's North Rail Terminal (see src/hubport/sites/xiaonanya.toml for the source).
DEFAULT_CRANE_TYPE = CraneType(
    id="rmg-default",
    source="Liebherr RMG, Felixstowe North Rail Terminal (gantry 115, trolley 100, hoist 30/60)",
    gantry=Axis(115 / 60, 115 / 60, 0.3),
    trolley=Axis(100 / 60, 100 / 60, 0.5),
    hoist=Axis(30 / 60, 60 / 60, 0.4),
    lock_seconds=4.0,
    unlock_seconds=4.0,
)


@dataclass(frozen=True)
class Area:
    """A rectangle of ground positions in one block: 20' bays and rows, both inclusive."""

    block: str
    first_bay: int
    last_bay: int
    first_row: int
    last_row: int

    def contains(self, block: str, bay: int, row: int) -> bool:
        return (
            block == self.block
            and self.first_bay <= bay <= self.last_bay
            and self.first_row <= row <= self.last_row
        )


@dataclass(frozen=True)
class Block:
    """A yard block under the gantry cranes: 20' bays along the rail, rows across, tiers up."""

    id: str
    bays: int
    rows: int
    max_tiers: int
    rail_start_m: float
    bay_pitch_m: float = 6.5
    #: Across the crane span: the centre of row 01, and the distance between rows.
    first_row_across_m: float = 17.0
    row_pitch_m: float = 2.8

    def across_of(self, row: int) -> float:
        return self.first_row_across_m + (row - 1) * self.row_pitch_m

    @property
    def ground_bays(self) -> range:
        """The odd 20' bay numbers: 01, 03, …"""
        return range(1, 2 * self.bays, 2)

    @property
    def forty_bays(self) -> range:
        """The even 40' bay numbers: 02, 04, …"""
        return range(2, 2 * self.bays - 1, 2)

    def x_of(self, bay: int) -> float:
        """Distance along the crane rail of a bay's centre, in metres."""
        return self.rail_start_m + (bay - 1) / 2 * self.bay_pitch_m

    @property
    def capacity_teu(self) -> int:
        return self.bays * self.rows * self.max_tiers


@dataclass(frozen=True)
class Track:
    """A loading track beside the blocks, under the crane span."""

    id: str
    wagon_positions: int
    rail_start_m: float
    wagon_length_m: float = 15.4
    across_m: float = 3.0  # the track's centre line across the crane span

    def x_of(self, wagon: int) -> float:
        return self.rail_start_m + (wagon - 0.5) * self.wagon_length_m


@dataclass(frozen=True)
class TruckLane:
    """A truck lane under the crane span where trucks are served."""

    id: str
    rail_start_m: float
    rail_end_m: float
    across_m: float = 12.0


@dataclass(frozen=True)
class Crane:
    """An automated rail-mounted gantry crane (ARMG) on the shared rail.

    Its zone is its home stretch: the fixed-zone baseline keeps it there, the dispatcher
    lets it work anywhere its neighbours and the safety gap leave it room.
    """

    id: str
    rail: str
    zone_start_m: float
    zone_end_m: float
    gantry_speed_mps: float = 4.0
    cycle_seconds: float = 90.0
    kind: CraneType = DEFAULT_CRANE_TYPE

    @property
    def home_m(self) -> float:
        """Where it parks: the middle of its home stretch."""
        return (self.zone_start_m + self.zone_end_m) / 2

    def covers(self, x: float) -> bool:
        return self.zone_start_m <= x <= self.zone_end_m


@dataclass(frozen=True)
class Site:
    """One hub's layout; another site is another file, not other code."""

    name: str
    code: str
    locode: str
    blocks: Mapping[str, Block]
    tracks: Mapping[str, Track]
    lanes: Mapping[str, TruckLane]
    cranes: Mapping[str, Crane]
    reefer_areas: tuple[Area, ...]
    dangerous_goods_areas: tuple[Area, ...]
    safety_gap_m: float = 10.0
    #: The gate's appointment windows and the trucks each takes.
    gate: WindowRule = dataclasses.field(default_factory=WindowRule)
    crane_types: Mapping[str, CraneType] = dataclasses.field(default_factory=dict)
    wagon_types: Mapping[str, WagonType] = dataclasses.field(default_factory=dict)
    train_services: Mapping[str, TrainService] = dataclasses.field(default_factory=dict)
    #: Where customs inspects boxes, one high (doors reachable): one within each crane's
    #: stretch, so every crane can take a box there and back.
    inspection_areas: tuple[Area, ...] = ()
    #: The river port beside the station (Luohuang), if the site has one.
    river_port: RiverPort | None = None
    #: The site's name in other languages (language code → name).
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def travel_height_m(self) -> float:
        """Spreader height for travel: a box hanging from it clears the highest stack."""
        tiers = max(block.max_tiers for block in self.blocks.values())
        return (tiers + 1) * TIER_HEIGHT_M + 0.5

    @property
    def cranes_along_rail(self) -> tuple[Crane, ...]:
        """The cranes in their order on the rail, from the low end."""
        return tuple(sorted(self.cranes.values(), key=lambda crane: crane.zone_start_m))

    def block(self, block_id: str) -> Block:
        try:
            return self.blocks[block_id]
        except KeyError:
            raise InvalidPlace(
                f"block {block_id!r} is not at {self.name}; blocks: {', '.join(self.blocks)}"
            ) from None

    def check_slot(self, slot: YardSlot) -> Block:
        """The slot's block, or InvalidPlace naming what lies outside the block."""
        block = self.block(slot.block)
        last_bay = 2 * block.bays - 1
        if not 1 <= slot.bay <= last_bay or (slot.bay % 2 == 0 and slot.bay > last_bay - 1):
            raise InvalidPlace(f"{slot}: block {block.id} has bays 01..{last_bay:02d}")
        if not 1 <= slot.row <= block.rows:
            raise InvalidPlace(f"{slot}: block {block.id} has rows 01..{block.rows:02d}")
        if slot.tier < 1:
            raise InvalidPlace(f"{slot}: tiers count from 1")
        return block

    def has_plug(self, block: str, bay: int, row: int) -> bool:
        return any(area.contains(block, bay, row) for area in self.reefer_areas)

    def in_dangerous_goods_zone(self, block: str, bay: int, row: int) -> bool:
        return any(area.contains(block, bay, row) for area in self.dangerous_goods_areas)

    def in_inspection_area(self, block: str, bay: int, row: int) -> bool:
        return any(area.contains(block, bay, row) for area in self.inspection_areas)

    def crane(self, crane_id: str) -> Crane:
        try:
            return self.cranes[crane_id]
        except KeyError:
            raise InvalidPlace(
                f"crane {crane_id!r} is not at {self.name}; cranes: {', '.join(self.cranes)}"
            ) from None

    def slot_x(self, slot: YardSlot) -> float:
        return self.block(slot.block).x_of(slot.bay)

    @property
    def capacity_teu(self) -> int:
        return sum(block.capacity_teu for block in self.blocks.values())

    @classmethod
    def from_data(cls, data: Mapping[str, Any], source: str = "<site>") -> Site:
        """Build a site from parsed TOML data; errors name ``source`` and the key at fault."""
        return _SiteReader(source).read(data)


class _SiteReader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, problem: str) -> SiteError:
        return SiteError(f"{self.source}: {where}: {problem}")

    def need(self, table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
        if key not in table:
            raise self.fail(where, f"missing key {key!r}")
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(where, f"{key} = {value!r} should be a {kind.__name__}")
        if isinstance(value, int | float) and value < 0:
            raise self.fail(where, f"{key} = {value!r} must not be negative")
        return value

    def read(self, data: Mapping[str, Any]) -> Site:
        head = data.get("site")
        if not isinstance(head, Mapping):
            raise self.fail("[site]", "missing table")
        blocks = {}
        for index, table in enumerate(data.get("blocks", [])):
            where = f"[[blocks]] #{index + 1}"
            block = Block(
                id=self.need(table, "id", str, where),
                bays=self.need(table, "bays", int, where),
                rows=self.need(table, "rows", int, where),
                max_tiers=self.need(table, "max_tiers", int, where),
                rail_start_m=self.need(table, "rail_start_m", float, where),
                bay_pitch_m=float(table.get("bay_pitch_m", 6.5)),
                first_row_across_m=float(table.get("first_row_across_m", 17.0)),
                row_pitch_m=float(table.get("row_pitch_m", 2.8)),
            )
            if block.bays < 1 or block.rows < 1 or block.max_tiers < 1:
                raise self.fail(where, "bays, rows and max_tiers must be at least 1")
            if block.id in blocks:
                raise self.fail(where, f"block {block.id!r} defined twice")
            blocks[block.id] = block
        if not blocks:
            raise self.fail("[[blocks]]", "a site needs at least one block")
        tracks = {}
        for index, table in enumerate(data.get("tracks", [])):
            where = f"[[tracks]] #{index + 1}"
            track = Track(
                id=self.need(table, "id", str, where),
                wagon_positions=self.need(table, "wagon_positions", int, where),
                rail_start_m=self.need(table, "rail_start_m", float, where),
                wagon_length_m=float(table.get("wagon_length_m", 15.4)),
                across_m=float(table.get("across_m", 3.0)),
            )
            tracks[track.id] = track
        lanes = {}
        for index, table in enumerate(data.get("truck_lanes", [])):
            where = f"[[truck_lanes]] #{index + 1}"
            lane = TruckLane(
                id=self.need(table, "id", str, where),
                rail_start_m=self.need(table, "rail_start_m", float, where),
                rail_end_m=self.need(table, "rail_end_m", float, where),
                across_m=float(table.get("across_m", 12.0)),
            )
            lanes[lane.id] = lane
        kinds = self.crane_types(data)
        cranes = {}
        for index, table in enumerate(data.get("cranes", [])):
            where = f"[[cranes]] #{index + 1}"
            kind_id = table.get("type")
            if kind_id is not None and kind_id not in kinds:
                raise self.fail(where, f"crane type {kind_id!r} is not among [[crane_types]]")
            kind = kinds[kind_id] if kind_id is not None else DEFAULT_CRANE_TYPE
            crane = Crane(
                kind=kind,
                id=self.need(table, "id", str, where),
                rail=self.need(table, "rail", str, where),
                zone_start_m=self.need(table, "zone_start_m", float, where),
                zone_end_m=self.need(table, "zone_end_m", float, where),
                gantry_speed_mps=float(table.get("gantry_speed_mps", kind.gantry.speed_empty_mps)),
                cycle_seconds=float(table.get("cycle_seconds", 90.0)),
            )
            if crane.zone_end_m <= crane.zone_start_m:
                raise self.fail(where, "zone_end_m must be beyond zone_start_m")
            cranes[crane.id] = crane
        ordered = sorted(cranes.values(), key=lambda crane: crane.zone_start_m)
        for left, right in itertools.pairwise(ordered):
            if left.rail == right.rail and left.zone_end_m > right.zone_start_m:
                raise self.fail(
                    "[[cranes]]", f"zones of {left.id} and {right.id} overlap on rail {left.rail}"
                )
        wagon_types = read_wagon_types(data.get("wagon_types", []), self.source)
        return Site(
            name=self.need(head, "name", str, "[site]"),
            code=self.need(head, "code", str, "[site]"),
            locode=self.need(head, "locode", str, "[site]"),
            blocks=blocks,
            tracks=tracks,
            lanes=lanes,
            cranes=cranes,
            reefer_areas=self.areas(data, "reefer_areas", blocks),
            dangerous_goods_areas=self.areas(data, "dangerous_goods_areas", blocks),
            safety_gap_m=float(head.get("safety_gap_m", 10.0)),
            gate=self.gate(data),
            crane_types=kinds,
            wagon_types=wagon_types,
            train_services=read_train_services(
                data.get("train_services", []), wagon_types, self.source
            ),
            inspection_areas=self.areas(data, "inspection_areas", blocks),
            river_port=read_river_port(data.get("river_port"), self.source),
            names=read_names(head.get("names"), f"{self.source}: [site]"),
        )

    def gate(self, data: Mapping[str, Any]) -> WindowRule:
        table = data.get("gate", {})
        if not isinstance(table, Mapping):
            raise self.fail("[gate]", "expected a table")
        rule = WindowRule(
            minutes=int(table.get("window_minutes", 30)),
            trucks=int(table.get("trucks_per_window", 30)),
        )
        if rule.minutes < 1 or 60 % rule.minutes or rule.trucks < 1:
            raise self.fail("[gate]", "window_minutes must divide 60 and trucks_per_window be >= 1")
        return rule

    def crane_types(self, data: Mapping[str, Any]) -> dict[str, CraneType]:
        kinds = {}
        for index, table in enumerate(data.get("crane_types", [])):
            where = f"[[crane_types]] #{index + 1}"
            axes = {}
            for name in ("gantry", "trolley", "hoist"):
                axis = self.need(table, name, dict, where)
                inner = f"{where} {name}"
                axes[name] = Axis(
                    speed_laden_mps=self.need(axis, "laden_m_per_min", float, inner) / 60,
                    speed_empty_mps=self.need(axis, "empty_m_per_min", float, inner) / 60,
                    acceleration_mps2=self.need(axis, "acceleration_mps2", float, inner),
                )
                if min(axes[name].speed_laden_mps, axes[name].acceleration_mps2) <= 0:
                    raise self.fail(inner, "speeds and acceleration must be positive")
            kind = CraneType(
                id=self.need(table, "id", str, where),
                source=self.need(table, "source", str, where),
                gantry=axes["gantry"],
                trolley=axes["trolley"],
                hoist=axes["hoist"],
                lock_seconds=self.need(table, "lock_seconds", float, where),
                unlock_seconds=self.need(table, "unlock_seconds", float, where),
            )
            kinds[kind.id] = kind
        return kinds

    def areas(
        self, data: Mapping[str, Any], key: str, blocks: Mapping[str, Block]
    ) -> tuple[Area, ...]:
        areas = []
        for index, table in enumerate(data.get(key, [])):
            where = f"[[{key}]] #{index + 1}"
            block_id = self.need(table, "block", str, where)
            if block_id not in blocks:
                raise self.fail(where, f"block {block_id!r} is not defined")
            bays = self.need(table, "bays", list, where)
            rows = self.need(table, "rows", list, where)
            if len(bays) != 2 or len(rows) != 2:
                raise self.fail(where, "bays and rows are [first, last] pairs")
            areas.append(Area(block_id, bays[0], bays[1], rows[0], rows[1]))
        return tuple(areas)
