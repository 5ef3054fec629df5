"""Commands of a train's visit beyond arrival and departure: its load plan."""

from __future__ import annotations

from dataclasses import dataclass

from hubport.domain.container import ContainerNumber
from hubport.services.commands import Command


@dataclass(frozen=True)
class PlanTrainLoad(Command):
    """Plan which booked box goes on which wagon slot of a departing train (CP-SAT).

    ``numbers`` is the train's loading list; boxes of it not in the yard are left out of
    the plan. The plan is the command's result: repeated under its key, it answers the
    same plan, so the crane jobs that follow it replay.
    """

    train_id: str
    numbers: tuple[ContainerNumber, ...]
    time_limit: float = 3.0
