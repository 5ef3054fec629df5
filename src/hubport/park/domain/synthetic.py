"""Synthetic example data at the park's own scale, so that the dashboard opens on
something real-sized: 114 projects (63 in production) over the three lead industries,
about 64 billion CNY signed, and a year of enterprise requests at the reported rates
(96 % resolved, satisfaction above 98 %). Generated from a stored seed and marked as
synthetic; every figure below is the park's published one or an assumption."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hubport.domain.hub_time import HUB_TIME
from hubport.park.domain.history import KeptEvent, KeptRequest
from hubport.park.domain.projects import SECTORS, STAGES, Project, StageDates

PROJECTS = 114  # published: 114 projects signed
PRODUCING = 63  # published: 63 in production
SIGNED_CNY = Decimal(64_000_000_000)  # published: over 64 billion CNY
REQUESTS_A_YEAR = 1_200  # assumption: about one per enterprise (1,000+) a year
RESOLVED = 0.96  # published: 96 % of requests resolved
SATISFIED = 0.985  # published: satisfaction above 98 %
RATED = 0.8  # assumption: four in five requesters answer the callback
REOPENED = 0.03  # assumption
ON_TIME = 0.9  # assumption
DEPARTMENTS = ("planning", "land", "power", "tax", "customs", "transport", "permits")
CATEGORIES = ("approval", "land", "power", "logistics", "finance", "labour", "permit")


def projects(seed: int, today: date) -> list[Project]:
    rng = random.Random(f"{seed}:park:projects")
    shares = [rng.uniform(0.5, 1.5) for _ in range(PROJECTS)]
    scale = SIGNED_CNY / Decimal(str(sum(shares)))
    made: list[Project] = []
    for index in range(PROJECTS):
        signed = today - timedelta(days=rng.randint(60, 2_400))
        producing = index < PRODUCING
        planned, stages = signed, {}
        reached = len(STAGES) - (1 if rng.random() < 0.5 else 0) if producing else rng.randint(1, 6)
        for position, stage in enumerate(STAGES):
            planned = planned + timedelta(days=0 if position == 0 else rng.randint(45, 200))
            slip = timedelta(days=rng.randint(-10, 40))
            actual = planned + slip if position < reached and planned + slip <= today else None
            if producing and position < reached:
                actual = min(planned + slip, today)
            stages[stage] = StageDates(planned, actual)
        stages["signed"] = StageDates(signed, signed)
        investment = (scale * Decimal(str(shares[index]))).quantize(Decimal(1))
        if index == PROJECTS - 1:  # the rounding's remainder: the total is the published one
            investment = SIGNED_CNY - sum((p.investment_cny for p in made), Decimal(0))
        made.append(
            Project(
                f"P{index + 1:03d}",
                f"Project {index + 1:03d}",
                f"Investor {index + 1:03d}",
                SECTORS[index % len(SECTORS)],
                investment,
                rng.randint(5_000, 200_000),
                (investment * Decimal(str(rng.uniform(0.8, 2.0)))).quantize(Decimal(1)),
                f"ENT{index + 1:03d}",
                stages,
                synthetic=True,
            )
        )
    return made


def requests(seed: int, year: int) -> list[KeptRequest]:
    """A year of requests with their histories, drawn at the published rates."""
    rng = random.Random(f"{seed}:park:requests:{year}")
    made = []
    start = datetime.combine(date(year, 1, 1), time(9, 0), HUB_TIME)
    for index in range(REQUESTS_A_YEAR):
        received = start + timedelta(minutes=rng.randint(0, 365 * 24 * 60 - 1))
        deadline = received + timedelta(days=15)
        department = rng.choice(DEPARTMENTS)
        events: list[KeptEvent] = []

        def step(
            state: str,
            by: str,
            hours: tuple[float, float],
            events: list[KeptEvent] = events,
            received: datetime = received,
        ) -> None:
            last = events[-1].at if events else received
            events.append(KeptEvent(last + timedelta(hours=rng.uniform(*hours)), state, by))

        step("assigned", "desk", (0.5, 20))
        draw = rng.random()
        if draw < 0.02:
            step("returned", department, (1, 20))
        elif draw < 0.02 + 0.98 * (1 - RESOLVED):
            step("claimed", department, (1, 20))  # still open
        else:
            step("claimed", department, (1, 20))
            step("in_progress", department, (2, 48))
            late = rng.random() > ON_TIME
            step("answered", department, (24, 24 * (14 if late else 6)))
            if rng.random() < REOPENED:
                step("reopened", f"ENT{rng.randint(1, 999):03d}", (12, 72))
                step("answered", department, (24, 96))
            step("closed", "joint meeting", (12, 24 * (6 if late else 3)))
        closed = events[-1].state == "closed"
        rating = None
        if closed and rng.random() < RATED:
            rating = rng.choice((4, 5)) if rng.random() < SATISFIED else rng.choice((1, 2, 3))
        made.append(
            KeptRequest(
                f"S{year}-{index + 1:05d}",
                f"ENT{rng.randint(1, 1000):04d}",
                received,
                deadline,
                tuple(events),
                rating,
            )
        )
    return made


__all__ = ["PRODUCING", "PROJECTS", "REQUESTS_A_YEAR", "projects", "requests"]
