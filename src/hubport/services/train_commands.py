"""Commands of a train's visit beyond arrival and departure: its load plan, and its
discharge list and load plan turned into crane work."""

from __future__ import annotations

from dataclasses import dataclass

from hubport.domain.container import Container, ContainerNumber
from hubport.domain.places import WagonSlot
from hubport.domain.visits import TrainVisit
from hubport.services.commands import Command

#: The load planner's budget for one train (CP-SAT's deterministic seconds, over its
#: stages): the live runtime's, and a twin scenario's unless it names another.
LOAD_PLAN_S = 3.0


@dataclass(frozen=True)
class PlanTrainLoad(Command):
    """Plan which booked box goes on which wagon slot of a departing train (CP-SAT).

    ``numbers`` is the train's loading list; boxes of it not in the yard are left out of
    the plan. The plan is the command's result: repeated under its key, it answers the
    same plan, so the crane jobs that follow it replay.
    """

    train_id: str
    numbers: tuple[ContainerNumber, ...]
    time_limit: float = LOAD_PLAN_S


@dataclass(frozen=True)
class DischargeTrain(Command):
    """Turn a train's discharge list into crane jobs (see ``planning/train_work``).

    ``lines`` is the list as its COPRAR or an API call gives it (box, wagon spot); empty:
    every box on the train. A box goes to the yard on the stacking policy, or straight
    onto a truck in the hub that is booked to collect it (a direct transfer). A box with a
    crane job already is left as it is, so the list may come again. Jobs are named
    ``JOB_PREFIX:NUMBER`` (default prefix: ``TRAIN:discharge``).
    """

    train_id: str
    lines: tuple[tuple[ContainerNumber, WagonSlot], ...] = ()
    job_prefix: str | None = None


@dataclass(frozen=True)
class LoadTrain(Command):
    """Plan a departing train's load (as ``PlanTrainLoad``) and create a crane job for
    every planned box that may leave the hub, to its planned slot, in working order.

    Planned boxes that customs has not cleared yet keep their slot in the result's
    ``waiting`` list; their jobs follow when they are released.
    """

    train_id: str
    numbers: tuple[ContainerNumber, ...]
    time_limit: float = LOAD_PLAN_S
    job_prefix: str | None = None


@dataclass(frozen=True)
class AnnounceTrain(Command):
    """The railway registers a train visit with its consist: the visit, and the boxes on
    its wagons announced (an outbound train comes empty: ``containers`` is empty). All or
    nothing: a box that does not fit its wagon refuses the whole train."""

    train: TrainVisit
    containers: tuple[Container, ...] = ()


@dataclass(frozen=True)
class OrderDischarge(Command):
    """The railway orders a train's boxes off (``lines`` empty: every box on it). The
    order is recorded; the runtime works it once the train stands on its track."""

    train_id: str
    lines: tuple[tuple[ContainerNumber, WagonSlot], ...] = ()
    source: str = "api"
