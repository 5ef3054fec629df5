"""Investment projects from signing to full output: their stages with planned and
actual dates, each milestone on time, at risk or late, and the portfolio's figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hubport.park.domain.errors import ParkError

#: The park's three lead industries.
SECTORS = ("advanced_equipment", "advanced_materials", "logistics_supply_chain")
#: A project's stages, in order.
STAGES = (
    "signed",
    "land_supply",
    "approvals",
    "construction_start",
    "topped_out",
    "completion",
    "in_production",
    "full_output",
)
#: A milestone still to come is at risk when it is this close and the one before is not done.
AT_RISK_WITHIN = timedelta(days=30)


@dataclass(frozen=True)
class StageDates:
    planned: date
    actual: date | None = None


@dataclass
class Project:
    id: str
    name: str
    investor: str
    sector: str
    investment_cny: Decimal
    floor_area_m2: int
    annual_output_cny: Decimal
    enterprise: str
    stages: dict[str, StageDates] = field(default_factory=dict)
    synthetic: bool = False

    def __post_init__(self) -> None:
        if self.sector not in SECTORS:
            raise ParkError(f"sector {self.sector!r} is not one of {', '.join(SECTORS)}")
        unknown = set(self.stages) - set(STAGES)
        if unknown:
            raise ParkError(f"project {self.id}: unknown stage(s) {', '.join(sorted(unknown))}")
        if self.investment_cny < 0 or self.floor_area_m2 < 0:
            raise ParkError(f"project {self.id}: investment and floor area are not negative")
        if "signed" not in self.stages:
            raise ParkError(f"project {self.id}: a project starts with its signing date")

    @property
    def stage(self) -> str:
        """The last stage reached (with an actual date)."""
        reached = [s for s in STAGES if s in self.stages and self.stages[s].actual is not None]
        return reached[-1] if reached else "signed"

    @property
    def producing(self) -> bool:
        return STAGES.index(self.stage) >= STAGES.index("in_production")

    def record(self, stage: str, actual: date) -> None:
        """``stage`` reached on ``actual``; stages are reached in order."""
        if stage not in STAGES:
            raise ParkError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
        index = STAGES.index(stage)
        for earlier in STAGES[1:index]:
            dates = self.stages.get(earlier)
            if dates is not None and dates.actual is None:
                raise ParkError(
                    f"project {self.id}: {earlier} is not reached yet, {stage} cannot be"
                )
        planned = self.stages[stage].planned if stage in self.stages else actual
        self.stages[stage] = StageDates(planned, actual)

    def status(self, stage: str, today: date) -> str:
        """``done``, ``done_late``, ``on_time``, ``at_risk`` or ``late``."""
        dates = self.stages.get(stage)
        if dates is None:
            return "on_time"
        if dates.actual is not None:
            return "done" if dates.actual <= dates.planned else "done_late"
        if dates.planned < today:
            return "late"
        index = STAGES.index(stage)
        before = self.stages.get(STAGES[index - 1]) if index else None
        if dates.planned - today <= AT_RISK_WITHIN and before is not None and before.actual is None:
            return "at_risk"
        return "on_time"


@dataclass(frozen=True)
class Portfolio:
    projects: int
    producing: int
    by_stage: Mapping[str, int]
    by_sector: Mapping[str, int]
    investment_signed_cny: Decimal
    investment_producing_cny: Decimal
    late_milestones: int
    at_risk_milestones: int


def portfolio(projects: Iterable[Project], today: date) -> Portfolio:
    chosen = list(projects)
    statuses = Counter(p.status(s, today) for p in chosen for s in p.stages)
    return Portfolio(
        projects=len(chosen),
        producing=sum(p.producing for p in chosen),
        by_stage={s: sum(p.stage == s for p in chosen) for s in STAGES},
        by_sector={s: sum(p.sector == s for p in chosen) for s in SECTORS},
        investment_signed_cny=sum((p.investment_cny for p in chosen), Decimal(0)),
        investment_producing_cny=sum((p.investment_cny for p in chosen if p.producing), Decimal(0)),
        late_milestones=statuses["late"],
        at_risk_milestones=statuses["at_risk"],
    )


__all__ = ["SECTORS", "STAGES", "Portfolio", "Project", "StageDates", "portfolio"]
