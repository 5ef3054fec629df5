"""A twin scenario: the site, the volume and its monthly profile, the box mix and flows,
the customs process, the named seeds and the targets, read from ``scenarios/NAME.toml``
(docs/twin.md). Every figure a file gives has its source or is marked an assumption in
the file's ``[sources]`` table; a figure without one is refused.
"""

from __future__ import annotations

import calendar
import dataclasses
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.twin.scenario_parts import CustomsProcess, LogFutures, Planning, Targets, Volume
from hubport.twin.traffic_plan import TrafficPlan, apportion

#: Where the shipped scenarios are (``scenarios/`` at the repository's root links here).
SHIPPED = Path(__file__).resolve().parent.parent / "scenarios"
#: A hub day starts at 06:00 (traffic.py).
DAY_STARTS = time(6, 0)


class ScenarioError(HubportError):
    """A scenario file that cannot be read, or a figure in it that is wrong."""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    start: date
    days: int
    #: The first days, run but not measured: the yard fills from empty before the KPIs
    #: count (``RunLog.after``).
    warmup_days: int = 0
    site: str = "xiaonanya"
    cranes: int | None = None
    trucks_per_window: int | None = None
    volume: Volume = field(default_factory=lambda: Volume(1_804, 90_000.0))
    traffic: TrafficPlan = field(default_factory=TrafficPlan)
    customs: CustomsProcess = field(default_factory=CustomsProcess)
    futures: LogFutures = field(default_factory=LogFutures)
    targets: Targets = field(default_factory=Targets)
    planning: Planning = field(default_factory=Planning)
    #: Named seeds; ``traffic`` seeds the generated traffic.
    seeds: tuple[tuple[str, int], ...] = (("traffic", 2024),)
    sources: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    #: A shard of a longer run (``shard``) skips its first days and plays from day
    #: ``skip_days + 1``; its traffic plan covers ``plan_days`` (the whole run's), so each
    #: day it plays has the traffic the whole run gives that day.
    skip_days: int = 0
    plan_days: int | None = None

    @property
    def seed(self) -> int:
        return dict(self.seeds)["traffic"]

    @property
    def first_day(self) -> datetime:
        """When day 1 starts (06:00 hub time on the start date)."""
        return datetime.combine(self.start, DAY_STARTS, tzinfo=HUB_TIME)

    @property
    def played_from(self) -> datetime:
        """When the run's first day starts (day 1's start, but for a shard)."""
        return self.first_day + timedelta(days=self.skip_days)

    def shard(self, first: int, days: int, warmup: int) -> Scenario:
        """Days ``first`` to ``first + days - 1`` of this run, after ``warmup`` days
        before them that run but are not measured (fewer where the run has fewer): a part
        that runs on its own, from an empty yard, beside the others."""
        if not 1 <= first <= first + days - 1 <= self.days:
            raise ScenarioError(
                f"days {first}..{first + days - 1} are not in the run's {self.days}"
            )
        warm = min(warmup, first - 1)
        return dataclasses.replace(
            self,
            skip_days=self.skip_days + first - 1 - warm,
            days=days + warm,
            warmup_days=warm,
            plan_days=self.skip_days + self.days,
        )

    def with_seed(self, seed: int) -> Scenario:
        seeds = tuple((name, seed if name == "traffic" else value) for name, value in self.seeds)
        return dataclasses.replace(self, seeds=seeds)

    def cut(self, days: int | None, warmup: int | None = None) -> Scenario:
        """The scenario run for ``days`` from its start, its first ``warmup`` days not
        measured (None: the file's); a warm-up that leaves nothing to measure is refused."""
        if days is not None and days < 1:
            raise ScenarioError(f"--days must be 1 or more, not {days}")
        if warmup is not None and warmup < 0:
            raise ScenarioError(f"--warmup must be 0 or more, not {warmup}")
        days = self.days if days is None else days
        warmup = self.warmup_days if warmup is None else warmup
        if warmup >= days:
            raise ScenarioError(
                f"a warm-up of {warmup} day(s) leaves none of the run's {days} to measure: "
                "give --warmup fewer days than --days"
            )
        return dataclasses.replace(self, days=days, warmup_days=warmup)

    def with_param(self, name: str, value: float) -> Scenario:
        """The scenario with one sweep parameter changed (``PARAMETERS``)."""
        if name == "cranes":
            return dataclasses.replace(self, cranes=_whole(name, value, 1))
        if name == "volume":
            if value <= 0:
                raise ScenarioError(f"volume must be above 0, not {value}")
            return dataclasses.replace(
                self, volume=dataclasses.replace(self.volume, multiplier=float(value))
            )
        if name == "gate":
            return dataclasses.replace(self, trucks_per_window=_whole(name, value, 1))
        if name == "customs_release_min":
            if value < 0:
                raise ScenarioError(f"customs_release_min must be 0 or more, not {value}")
            customs = dataclasses.replace(self.customs, release_after_min=float(value))
            return dataclasses.replace(self, customs=customs)
        if name == "load_plan_s":
            if value <= 0:
                raise ScenarioError(f"load_plan_s must be above 0, not {value}")
            planning = dataclasses.replace(self.planning, load_plan_s=float(value))
            return dataclasses.replace(self, planning=planning)
        known = ", ".join(PARAMETERS)
        raise ScenarioError(f"unknown scenario parameter {name!r}: one of {known}")

    def plan(self) -> TrafficPlan:
        """The traffic plan with each day's trains: the year's trains (scaled) spread over
        its days by the monthly weights, then the scenario's days taken from its start."""
        year = self.start.year
        days_of_year = 366 if calendar.isleap(year) else 365
        weights = [
            self.volume.monthly[(date(year, 1, 1) + timedelta(days=d)).month - 1]
            for d in range(days_of_year)
        ]
        outbound_year = round(self.volume.corridor_trains * self.volume.multiplier)
        inbound_year = round(outbound_year * self.volume.inbound_per_outbound)
        offset = (self.start - date(year, 1, 1)).days
        out = apportion(outbound_year, weights)
        inn = apportion(inbound_year, weights)
        # a period that runs past the year's end takes the next year's days alike
        wanted = range(offset, offset + (self.plan_days or self.skip_days + self.days))
        return dataclasses.replace(
            self.traffic,
            outbound_daily=tuple(out[d % days_of_year] for d in wanted),
            inbound_daily=tuple(inn[d % days_of_year] for d in wanted),
        )

    def source_of(self, figure: str) -> str | None:
        return dict(self.sources).get(figure)


#: What ``hubport twin sweep --param NAME=...`` may change.
PARAMETERS = ("cranes", "volume", "gate", "customs_release_min", "load_plan_s")


def _whole(name: str, value: float, least: int) -> int:
    if value != int(value) or value < least:
        raise ScenarioError(f"{name} must be a whole number of at least {least}, not {value}")
    return int(value)


def find(name: str) -> Path:
    """The file of scenario ``name``: a path to a TOML file, or a shipped scenario."""
    given = Path(name)
    if given.suffix == ".toml":
        if not given.is_file():
            raise ScenarioError(f"no scenario file {given}")
        return given
    path = SHIPPED / f"{name}.toml"
    if not path.is_file():
        names = ", ".join(sorted(shipped()))
        raise ScenarioError(f"no scenario {name!r}: the shipped ones are {names}")
    return path


def shipped() -> list[str]:
    return sorted(path.stem for path in SHIPPED.glob("*.toml"))


def load(name: str) -> Scenario:
    """Read scenario ``name`` (see ``find``)."""
    path = find(name)
    return from_data(_raw(path, ()), str(path))


def _raw(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """The file's tables over those of the scenario it ``extends`` (key by key)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML: {error}") from None
    base_name = data.get("scenario", {}).pop("extends", None)
    if base_name is None:
        return data
    base_path = find(str(base_name)) if str(base_name).endswith(".toml") else find(base_name)
    if base_path.resolve() in seen:
        raise ScenarioError(f"{path}: scenarios extend each other in a circle")
    base = _raw(base_path, (*seen, path.resolve()))
    merged = {key: dict(table) for key, table in base.items()}
    for section, table in data.items():
        merged.setdefault(section, {}).update(table)
    return merged


_SECTIONS = {
    "scenario": {"name", "title", "start", "days", "warmup_days"},
    "site": {"file", "cranes", "trucks_per_window"},
    "volume": {f.name for f in dataclasses.fields(Volume)},
    "traffic": {
        f.name
        for f in dataclasses.fields(TrafficPlan)
        if f.name not in ("outbound_daily", "inbound_daily")
    },
    "customs": {f.name for f in dataclasses.fields(CustomsProcess)},
    "futures": {f.name for f in dataclasses.fields(LogFutures)},
    "targets": {f.name for f in dataclasses.fields(Targets)},
    "planning": {f.name for f in dataclasses.fields(Planning)},
}
#: Figures that need no source: names, dates, the site file, the seeds.
_UNSOURCED = {
    "scenario.name",
    "scenario.title",
    "scenario.start",
    "scenario.days",
    "scenario.warmup_days",
    "site.file",
}


def from_data(data: dict[str, Any], source: str) -> Scenario:
    """A scenario from parsed TOML; every wrong or unsourced figure is named."""
    unknown = set(data) - set(_SECTIONS) - {"seeds", "sources"}
    if unknown:
        raise ScenarioError(f"{source}: unknown section(s) {', '.join(sorted(unknown))}")
    sources = data.get("sources", {})
    if not isinstance(sources, dict) or not all(
        isinstance(v, str) and v.strip() for v in sources.values()
    ):
        raise ScenarioError(f"{source}: [sources] maps a figure to its source text")
    for section, allowed in _SECTIONS.items():
        table = data.get(section, {})
        extra = set(table) - allowed
        if extra:
            raise ScenarioError(
                f"{source}: [{section}] has unknown key(s) {', '.join(sorted(extra))}"
            )
        for key in table:
            figure = f"{section}.{key}"
            if figure not in _UNSOURCED and figure not in sources:
                raise ScenarioError(
                    f"{source}: {figure} has no entry in [sources] (cite it, or write "
                    "'assumption: ...')"
                )
    head = data.get("scenario", {})
    for key in ("name", "start", "days"):
        if key not in head:
            raise ScenarioError(f"{source}: [scenario] needs {key}")
    seeds = data.get("seeds", {"traffic": 2024})
    if "traffic" not in seeds or not all(isinstance(v, int) for v in seeds.values()):
        raise ScenarioError(f"{source}: [seeds] names whole-number seeds, traffic among them")
    site = data.get("site", {})
    try:
        volume = Volume(
            **{
                **data.get("volume", {}),
                "monthly": tuple(data.get("volume", {}).get("monthly", (1.0,) * 12)),
            }
        )
        traffic = TrafficPlan(**_tuples(data.get("traffic", {})))
        customs = CustomsProcess(**data.get("customs", {}))
        futures = LogFutures(**data.get("futures", {}))
        targets = Targets(**data.get("targets", {}))
        planning = Planning(**data.get("planning", {}))
    except TypeError as error:
        raise ScenarioError(f"{source}: {error}") from None
    start = head["start"]
    if not isinstance(start, date) or isinstance(start, datetime):
        raise ScenarioError(f"{source}: scenario.start is a date such as 2024-01-01")
    scenario = Scenario(
        name=str(head["name"]),
        title=str(head.get("title", head["name"])),
        start=start,
        days=int(head["days"]),
        warmup_days=_whole("scenario.warmup_days", head.get("warmup_days", 0), 0),
        site=str(site.get("file", "xiaonanya")),
        cranes=site.get("cranes"),
        trucks_per_window=site.get("trucks_per_window"),
        volume=volume,
        traffic=traffic,
        customs=customs,
        futures=futures,
        targets=targets,
        planning=planning,
        seeds=tuple(sorted(seeds.items())),
        sources=tuple(sorted(sources.items())),
    )
    _check(scenario, source)
    return scenario


def _tuples(table: dict[str, Any]) -> dict[str, Any]:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in table.items()}


def _check(scenario: Scenario, source: str) -> None:
    problems = []
    volume, plan, customs = scenario.volume, scenario.traffic, scenario.customs
    if not 1 <= scenario.days <= 3660:
        problems.append(f"scenario.days {scenario.days} is not between 1 and 3660")
    if scenario.warmup_days >= scenario.days:
        problems.append(
            f"scenario.warmup_days {scenario.warmup_days} leaves none of its "
            f"{scenario.days} days to measure"
        )
    if len(volume.monthly) != 12 or min(volume.monthly) < 0 or sum(volume.monthly) <= 0:
        problems.append("volume.monthly needs 12 weights, none negative")
    if volume.corridor_trains < 0 or volume.multiplier <= 0:
        problems.append("volume.corridor_trains and volume.multiplier must be positive")
    if not 0 <= plan.import_share + plan.transfer_share <= 1:
        problems.append("traffic.import_share + traffic.transfer_share must be within 0..1")
    if not 1 <= plan.wagons <= 60:
        problems.append(f"traffic.wagons {plan.wagons} is not between 1 and 60")
    if scenario.futures.matches_per_month < 0:
        problems.append("futures.matches_per_month must be 0 or more")
    if customs.lodge not in ("advance", "after_arrival"):
        problems.append(f"customs.lodge {customs.lodge!r} is 'advance' or 'after_arrival'")
    if not scenario.planning.load_plan_s > 0:
        problems.append("planning.load_plan_s must be above 0")
    if scenario.cranes is not None and not 1 <= scenario.cranes <= 12:
        problems.append(f"site.cranes {scenario.cranes} is not between 1 and 12")
    if problems:
        raise ScenarioError(f"{source}: " + "; ".join(problems))


__all__ = [
    "PARAMETERS",
    "CustomsProcess",
    "Planning",
    "Scenario",
    "ScenarioError",
    "Targets",
    "Volume",
    "find",
    "from_data",
    "load",
    "shipped",
]
