"""The runtime's reactions: what the hub does by itself when the world has spoken.

Each duty looks at the carriers on site and the orders about them, and issues the
commands that follow, each under a key made from what caused it (the discharge order's
event, the train, the box). A duty is level-triggered: it asks "what should be done now
that is not done yet", not "what just happened", so a runtime killed at any moment and
started again (or a standby taking over) does what was left, and nothing twice.

- An inbound train on its track with a discharge order: its listed boxes (all of them
  for an empty list) become discharge jobs (``DischargeTrain``).
- An outbound train on its track at its cut-off: its load plan (CP-SAT) over the boxes
  booked on it, and a loading job for each planned box cleared to leave (``LoadTrain``).
- A planned box that was waiting (not in the yard yet, or not released by customs) gets
  its loading job once it is in the yard and may leave.
- A train still loading at its departure time raises an alarm.
- A truck that did not come within its window (and the gate's lateness allowance) is a
  no-show: its appointment is cancelled, and its place in the window freed.

- A barge alongside is worked by the hub's shuttles (``river.py``).
- A log-futures delivery's deadlines: an alarm a day ahead, the seller's default after a
  missed arrival deadline (``futures.py``).
- A park request that outstayed its state goes to supervision (``park.py``).
- A week over, its billing run, the invoices issued (``billing.py``).

Trucks need no duty here: the gate's transaction plans a truck's crane job itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME
from hubport.domain.places import WagonSlot, parse_place
from hubport.domain.records import TrainRecord
from hubport.runtime.billing import BillingDuty
from hubport.runtime.futures import FuturesDuty
from hubport.runtime.park import ParkDuty
from hubport.runtime.river import RiverDuty
from hubport.services.commands import Command
from hubport.services.crane_commands import PlanCraneJob
from hubport.services.gate_commands import CancelAppointment
from hubport.services.gate_handlers import LATE
from hubport.services.messagebus import HubBus
from hubport.services.queries import Queries
from hubport.services.train_commands import LOAD_PLAN_S, DischargeTrain, LoadTrain

if TYPE_CHECKING:
    from hubport.bootstrap import Hub

log = logging.getLogger(__name__)

#: An outbound train's load is planned this long before it leaves (its cut-off), or at
#: its arrival on the track when that is later.
LOAD_CUTOFF = timedelta(hours=3)
#: Discharge orders older than this are not looked at again.
ORDERS_KEPT = timedelta(days=30)
#: How often the runtime looks for trucks that did not come, and how far back.
NO_SHOWS_EVERY = timedelta(minutes=10)
NO_SHOWS_LOOK_BACK = timedelta(days=2)
EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class Reactions:
    """The duties, run by the active runtime every few seconds."""

    bus: HubBus
    queries: Queries
    #: Keys known to be applied (a cache: the store's inbox is the truth).
    done: set[str] = field(default_factory=set)
    commands: int = 0
    alarms: list[str] = field(default_factory=list)
    discharging: list[str] = field(default_factory=list)
    loading: list[str] = field(default_factory=list)
    #: The track of each train on site, as last read (where the cranes find its wagons).
    tracks: dict[str, str] = field(default_factory=dict)
    next_no_shows: datetime = EARLIEST
    river: RiverDuty = field(init=False)
    #: The log-futures delivery site's deadlines, when the hub runs one.
    futures: FuturesDuty | None = None
    #: The industrial park's request deadlines (supervision), when the hub runs them.
    park: ParkDuty | None = None
    #: The weekly billing run, when the hub bills.
    billing: BillingDuty | None = None
    #: The load planner's budget for each outbound train.
    load_plan_s: float = LOAD_PLAN_S

    def __post_init__(self) -> None:
        self.river = RiverDuty(self.queries, self._issue, self._applied)

    @classmethod
    def of(cls, hub: Hub, load_plan_s: float = LOAD_PLAN_S) -> Reactions:
        """Every duty of ``hub``'s runtime: the hub's, and its contexts' (futures, park,
        billing)."""
        return cls(
            hub.bus,
            hub.queries,
            futures=FuturesDuty(hub.futures()),
            park=ParkDuty(hub.park()),
            billing=BillingDuty(hub.billing()),
            load_plan_s=load_plan_s,
        )

    def run(self, now: datetime) -> int:
        """Do every duty that is due; the number of commands issued."""
        before = self.commands
        on_site = self.look()
        inbound = [t for t in on_site if t.train.direction == "inbound"]
        outbound = [t for t in on_site if t.train.direction == "outbound"]
        self.discharging = [t.train.id for t in inbound]
        self.loading = [t.train.id for t in outbound]
        self._discharge(inbound, now)
        self.alarms = []
        for record in outbound:
            self._load(record, now)
        self.river.run(now)
        if self.futures is not None:
            self.futures.run(now)
            self.alarms.extend(self.futures.alarms)
        if self.park is not None:
            self.park.run(now)
            self.alarms.extend(self.park.alarms)
        if self.billing is not None:
            self.billing.run(now)
        if now >= self.next_no_shows:
            self._no_shows(now)
            self.next_no_shows = now + NO_SHOWS_EVERY
        return self.commands - before

    def look(self) -> list[TrainRecord]:
        """The trains on site, their tracks noted."""
        on_site = self.queries.trains("on_site")
        self.tracks.clear()
        self.tracks.update({t.train.id: t.track for t in on_site if t.track is not None})
        return on_site

    # -- helpers ----------------------------------------------------------------------

    def _applied(self, key: str) -> bool:
        if key in self.done:
            return True
        if self.queries.stored_result(key) is not None:
            self.done.add(key)
            return True
        return False

    def _issue(self, command: Command) -> bool:
        try:
            self.bus.handle(command)
        except HubportError as error:
            log.warning("runtime: %s refused: %s", type(command).__name__, error)
            return False
        self.commands += 1
        if command.idempotency_key is not None:
            self.done.add(command.idempotency_key)
        return True

    # -- inbound trains -----------------------------------------------------------------

    def _discharge(self, trains: list[TrainRecord], now: datetime) -> None:
        if not trains:
            return
        orders = self.queries.discharge_orders(
            (t.train.id for t in trains), since=now - ORDERS_KEPT
        )
        for order in orders:
            key = f"runtime:discharge:{order.id}"
            if self._applied(key):
                continue
            lines: tuple[tuple[ContainerNumber, WagonSlot], ...] = ()
            if order.lines:
                on_wagons = self.queries.boxes_on_wagons(order.train)
                lines = tuple(
                    (number, slot)
                    for number, slot in order.lines
                    if on_wagons.get(number.value) == slot
                )
                if not lines:
                    self.done.add(key)  # every listed box is off the train already
                    continue
            self._issue(DischargeTrain(order.train, lines, idempotency_key=key))

    # -- outbound trains ----------------------------------------------------------------

    def _load(self, record: TrainRecord, now: datetime) -> None:
        train = record.train
        key = f"runtime:load:{train.id}"
        departs = train.departs
        if departs is not None and now < departs - LOAD_CUTOFF:
            return  # before its cut-off: boxes may still come
        if not self._applied(key):
            booked = tuple(ContainerNumber(n) for n in self.queries.booked_on(train.id))
            load = LoadTrain(train.id, booked, self.load_plan_s, idempotency_key=key)
            self._issue(load)
            return
        plan = self.queries.stored_result(key) or {}
        waiting = plan.get("waiting", [])
        if waiting:
            self._late_boxes(train.id, departs, waiting)
        if departs is not None and now > departs:
            open_boxes = self.queries.open_job_boxes(a["box"] for a in plan.get("assignments", []))
            if open_boxes:
                self.alarms.append(
                    f"train {train.id} is past its departure {departs:%H:%M} with "
                    f"{len(open_boxes)} boxes still to load"
                )

    # -- trucks -------------------------------------------------------------------------

    def _no_shows(self, now: datetime) -> None:
        """Cancel the appointments whose truck did not come in time."""
        for appointment, ended in self.queries.no_shows(now - NO_SHOWS_LOOK_BACK, now - LATE):
            key = f"runtime:no-show:{appointment}"
            if self._applied(key):
                continue
            late = (ended + LATE).astimezone(HUB_TIME)
            reason = f"no-show: the truck did not come by {late:%H:%M}"
            self._issue(CancelAppointment(appointment, reason, idempotency_key=key))

    def _late_boxes(
        self, train_id: str, departs: datetime | None, waiting: list[dict[str, str]]
    ) -> None:
        """A planned box that waited for the yard or for customs gets its loading job
        once it stands in the yard and may leave."""
        for item in waiting:
            number = item["box"]
            key = f"{train_id}:load:{number}"
            if self._applied(key):
                continue
            if self.queries.ready_to_leave(number) is None:
                continue
            slot = parse_place(item["to"])
            self._issue(
                PlanCraneJob(
                    key,
                    ContainerNumber(number),
                    "load",
                    slot,
                    departs,
                    train_id=train_id,
                    idempotency_key=key,
                )
            )


__all__ = ["LOAD_CUTOFF", "Reactions"]
