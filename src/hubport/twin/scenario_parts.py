"""The parts of a twin scenario that are plain figures: the volume, the customs process,
the log-futures deliveries, the planners' budgets and the operator's targets
(``scenario.Scenario`` holds them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Volume:
    """The corridor trains the hub sends in a year, scaled by ``multiplier``."""

    corridor_trains: int
    corridor_teu: float
    multiplier: float = 1.0
    #: Weights of the twelve months (per day of the month).
    monthly: tuple[float, ...] = (1.0,) * 12
    #: Inbound corridor trains per outbound one.
    inbound_per_outbound: float = 0.8


@dataclass(frozen=True)
class CustomsProcess:
    """How declarations are lodged and cleared (the world's declarants and office)."""

    #: ``advance``: lodged before the train comes; ``after_arrival``: lodged once it is in.
    lodge: Literal["advance", "after_arrival"] = "advance"
    lodge_after_min: float = 0.0
    release_after_min: float = 30.0
    inspection_share: float = 0.03
    inspection_h: float = 2.0


@dataclass(frozen=True)
class LogFutures:
    """Log-futures deliveries on the vehicle at Luohuang (none before July 2025)."""

    matches_per_month: float = 0.0


@dataclass(frozen=True)
class Planning:
    """How the runtime's planners are given their time in the run."""

    #: The load planner's budget for each outbound train, in CP-SAT's deterministic
    #: seconds (the live runtime's 3): a year of 1,804 trains spends about 1.7 s of
    #: wall time on each at 3.
    load_plan_s: float = 3.0


@dataclass(frozen=True)
class Targets:
    """What the operator holds the hub to: the capacity answer is where these break."""

    train_handling_h: float = 3.0
    truck_turn_min: float = 30.0
    #: A train's mean wait for a track past its time: trains that never get one in time
    #: do not count in the handling time, so a hub short of tracks shows here.
    train_wait_h: float = 1.0


__all__ = ["CustomsProcess", "LogFutures", "Planning", "Targets", "Volume"]
