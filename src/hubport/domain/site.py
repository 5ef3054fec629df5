"""The site layout: yard blocks, loading tracks, truck lanes and the gantry cranes' rail.

A site is data (a TOML file, see ``docs/site.md``); this module checks it and answers
geometry questions: does a slot exist, has it a reefer plug, where along the rail is it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hubport.domain.errors import InvalidPlace, SiteError
from hubport.domain.places import YardSlot


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

    def x_of(self, wagon: int) -> float:
        return self.rail_start_m + (wagon - 0.5) * self.wagon_length_m


@dataclass(frozen=True)
class TruckLane:
    """A truck lane under the crane span where trucks are served."""

    id: str
    rail_start_m: float
    rail_end_m: float


@dataclass(frozen=True)
class Crane:
    """An automated rail-mounted gantry crane (ARMG) and the stretch of rail it works."""

    id: str
    rail: str
    zone_start_m: float
    zone_end_m: float
    gantry_speed_mps: float = 4.0
    cycle_seconds: float = 90.0

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
            )
            tracks[track.id] = track
        lanes = {}
        for index, table in enumerate(data.get("truck_lanes", [])):
            where = f"[[truck_lanes]] #{index + 1}"
            lane = TruckLane(
                id=self.need(table, "id", str, where),
                rail_start_m=self.need(table, "rail_start_m", float, where),
                rail_end_m=self.need(table, "rail_end_m", float, where),
            )
            lanes[lane.id] = lane
        cranes = {}
        for index, table in enumerate(data.get("cranes", [])):
            where = f"[[cranes]] #{index + 1}"
            crane = Crane(
                id=self.need(table, "id", str, where),
                rail=self.need(table, "rail", str, where),
                zone_start_m=self.need(table, "zone_start_m", float, where),
                zone_end_m=self.need(table, "zone_end_m", float, where),
                gantry_speed_mps=float(table.get("gantry_speed_mps", 4.0)),
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
        )

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
