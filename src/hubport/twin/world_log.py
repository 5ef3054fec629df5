"""What the world saw happen (its log, for the KPIs) and the hub's time as the world reads
it from the platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from hubport.domain.errors import HubportError
from hubport.twin.client import HttpHubClient


@dataclass
class WorldLog:
    """What the world saw happen: for its KPIs."""

    trains_in: int = 0
    trains_out: int = 0
    trucks_in: int = 0
    trucks_out: int = 0
    #: Trucks that left without their box, and why.
    turned_away: dict[str, str] = field(default_factory=dict)
    #: When each truck was turned away (hub time), by its visit.
    turned_away_at: dict[str, datetime] = field(default_factory=dict)
    #: Each truck's visit: when it came through the in-gate and its turn time (seconds).
    truck_visits: list[tuple[datetime, float]] = field(default_factory=list)
    train_dwell_s: dict[str, float] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    unfinished: int = 0

    @property
    def truck_turns_s(self) -> list[float]:
        return [seconds for _came, seconds in self.truck_visits]

    def turn_away(self, visit: str, why: str, at: datetime) -> None:
        self.turned_away[visit] = why
        self.turned_away_at[visit] = at


def hub_clock(client: HttpHubClient) -> Callable[[], datetime]:
    """The hub time as the runtime keeps it (refused while no runtime has run)."""

    def now() -> datetime:
        moment = client.runtime().hub_time
        if moment is None:
            raise HubportError("no runtime has run yet: start `hubport operate` first")
        return moment

    return now


__all__ = ["WorldLog", "hub_clock"]
