"""Projects: stages reached in order, milestones on time, at risk or late, the portfolio."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hubport.park.domain.errors import ParkError
from hubport.park.domain.projects import Project, StageDates, portfolio
from hubport.park.domain.synthetic import PRODUCING, PROJECTS, projects

TODAY = date(2026, 12, 7)


def _project(**stages: StageDates) -> Project:
    return Project(
        "P1",
        "plant",
        "Acme",
        "advanced_equipment",
        Decimal(100),
        1000,
        Decimal(200),
        "E1",
        {"signed": StageDates(date(2026, 1, 5), date(2026, 1, 5)), **stages},
    )


def test_milestones_are_on_time_at_risk_or_late() -> None:
    project = _project(
        land_supply=StageDates(date(2026, 3, 1), date(2026, 3, 10)),
        approvals=StageDates(date(2026, 11, 30)),
        construction_start=StageDates(date(2026, 12, 20)),
        topped_out=StageDates(date(2027, 6, 1)),
    )
    assert project.status("signed", TODAY) == "done"
    assert project.status("land_supply", TODAY) == "done_late"
    assert project.status("approvals", TODAY) == "late"
    assert project.status("construction_start", TODAY) == "at_risk"  # soon, approvals not done
    assert project.status("topped_out", TODAY) == "on_time"
    assert project.stage == "land_supply"


def test_a_stage_is_reached_after_those_before() -> None:
    project = _project(land_supply=StageDates(date(2026, 3, 1)))
    with pytest.raises(ParkError, match="land_supply is not reached yet"):
        project.record("approvals", date(2026, 4, 1))
    project.record("land_supply", date(2026, 3, 2))
    project.record("approvals", date(2026, 4, 1))
    assert project.stage == "approvals"


def test_the_synthetic_portfolio_has_the_park_s_published_figures() -> None:
    made = projects(2024, TODAY)
    figures = portfolio(made, TODAY)
    assert (figures.projects, figures.producing) == (PROJECTS, PRODUCING) == (114, 63)
    assert figures.investment_signed_cny == Decimal(64_000_000_000)
    assert sum(figures.by_sector.values()) == 114 and all(made[i].synthetic for i in range(114))
    assert projects(2024, TODAY) == made  # the same seed, the same projects
