"""What a simulated day did, move by move, for the KPIs and the picture of the day."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class MoveRecord:
    """One crane move (pick to set-down) as the twin saw it."""

    number: str
    crane: str
    reason: str
    start_s: float
    seconds: float
    #: The train it discharged or loaded, if any.
    train: str | None = None


@dataclass
class DayLog:
    """What happened in the simulated day, for the KPIs."""

    moves: list[MoveRecord] = field(default_factory=list)
    truck_turns_s: list[float] = field(default_factory=list)
    #: Trucks the gate sent away without their box, and why (a hold placed from outside
    #: the simulation, such as an officer's at the console).
    turned_away: dict[str, str] = field(default_factory=dict)
    #: Boxes held by customs that stayed in the yard when their train left.
    held_back: dict[str, str] = field(default_factory=dict)
    #: Each shuttle trip between the station and the river port, first move to last.
    shuttle_trips_s: list[float] = field(default_factory=list)
    train_dwell_s: dict[str, float] = field(default_factory=dict)
    #: Each outbound train's load plan, as the planning command answered it.
    load_plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    commands: int = 0
    repeats: int = 0
    end_s: float = 0.0


__all__ = ["DayLog", "MoveRecord"]
