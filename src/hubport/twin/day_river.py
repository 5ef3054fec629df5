"""The river side of a simulated day: the day's barge at Luohuang and the shuttle trucks
between it and the station.

The barge is planned at the start of the day with its bay plan (the export boxes it
brings) and its load list (the river boxes due that day), and berths at the start of its
window. Each box it brings is discharged onto a shuttle at the time a truck would have
delivered it, driven to the station and stacked by crane work planned as the shuttle
arrives. Each river box, at its due time (and once customs has released it), is put on a
shuttle by the station's cranes, driven to the river port and loaded into the next free
deck cell. The barge leaves at the end of its window, or when its last box is aboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import simpy

from hubport.domain.container import ContainerNumber
from hubport.domain.places import Spot, TruckSlot, VesselCell
from hubport.planning import cranes
from hubport.services import commands
from hubport.services import river_commands as river
from hubport.twin.boxes import plate
from hubport.twin.traffic_river import BargeCall, RiverBox

if TYPE_CHECKING:
    from hubport.twin.day import HubDay

#: The port's crane, a box between a shuttle and its cell (assumed).
PORT_CRANE_S = 180.0
#: A shuttle's drive when the site does not say (its ``[river_port]`` does).
SHUTTLE_S = 25 * 60.0


def deck_cells(call_id: str, forty: bool) -> Iterator[VesselCell]:
    """Deck cells (tiers 82, 84) for the boxes the barge takes, in loading order: 20'
    boxes in odd bays 01-15, 40' in even bays 18-38, four rows."""
    for tier in (82, 84):
        for bay in range(18, 39, 4) if forty else range(1, 16, 2):
            for row in (1, 2, 3, 4):
                yield VesselCell(call_id, bay, row, tier)


class RiverShuttles:
    """The day's barge and the shuttles that work it."""

    def __init__(self, day: HubDay):
        self.day = day
        self.aboard: dict[str, simpy.Event] = {}
        self.berthed: simpy.Event = day.env.event()
        self._cells: dict[bool, Iterator[VesselCell]] = {}

    @property
    def drive_s(self) -> float:
        port = self.day.site.river_port
        return 60.0 * port.shuttle_minutes if port is not None else SHUTTLE_S

    def pre_advice(self, barge: BargeCall) -> None:
        """Announce the boxes the barge brings, and plan its call with its bay plan and
        its load list."""
        day, call = self.day, barge.call
        for box, _cell in barge.brings:
            if box.container is None:
                continue
            day.containers[box.number] = box.container
            day.send(
                commands.AnnounceContainer(
                    box.container, idempotency_key=day.key("bay-plan-box", box.number)
                )
            )
        takes = tuple(ContainerNumber(box.number) for box in barge.takes)
        day.send(
            river.RegisterVesselCall(call, takes, idempotency_key=day.key("vessel-call", call.id))
        )
        cells = tuple((ContainerNumber(box.number), cell) for box, cell in barge.brings)
        day.send(
            river.RecordBayPlan(
                call.id, cells, "BAPLIE", idempotency_key=day.key("bay-plan", call.id)
            )
        )
        self._cells = {forty: deck_cells(call.id, forty) for forty in (False, True)}
        for box in barge.takes:
            self.aboard[box.number] = day.env.event()

    def steps(self, barge: BargeCall) -> list[Any]:
        """The processes of the barge's day: its call, and a shuttle trip per box."""
        return [
            self._call(barge),
            *(self._bring(box) for box, _cell in barge.brings),
            *(self._take(barge, box) for box in barge.takes),
        ]

    def _call(self, barge: BargeCall) -> Any:
        day, call = self.day, barge.call
        opens = (call.eta - day.traffic.start).total_seconds()
        yield day.env.timeout(max(opens, 0.0))
        day.send(river.BerthVessel(call.id, idempotency_key=day.key("berth", call.id)))
        self.berthed.succeed()
        yield simpy.AllOf(day.env, list(self.aboard.values()))
        closes = (call.etd - day.traffic.start).total_seconds()
        if closes > day.env.now:
            yield day.env.timeout(closes - day.env.now)
        day.send(river.DepartVessel(call.id, idempotency_key=day.key("sail", call.id)))

    def _bring(self, box: RiverBox) -> Any:
        """A box off the barge: onto a shuttle, to the station, into the yard."""
        day, number = self.day, ContainerNumber(box.number)
        yield day.env.timeout(box.due_s)
        if not self.berthed.triggered:
            yield self.berthed
        visit = self._start(f"SB{box.number}", "river_port")
        started = day.env.now
        yield day.env.timeout(PORT_CRANE_S)
        discharge = river.DischargeVessel(
            number, visit, _spot(box.forty), idempotency_key=day.key("off-barge", box.number)
        )
        day.send(discharge)
        yield from self._drive(visit)
        arrives = river.ShuttleArrives(
            visit, plan_work=day.driver is not None, idempotency_key=day.key("at-station", visit)
        )
        if day.driver is not None:
            _result, done = day.floor_driver().work(arrives)
            yield done[box.number]
        else:
            day.send(arrives)
            container = day.containers[box.number]
            crane = cranes.crane_for_receipt(day.site, container, None, day.zones.queued())
            yield from day.zones.job(crane, number, "receipt")
        day.send(river.EndShuttle(visit, idempotency_key=day.key("shuttle-done", visit)))
        day.log.shuttle_trips_s.append(day.env.now - started)
        day.ready[box.number].succeed()

    def _take(self, barge: BargeCall, box: RiverBox) -> Any:
        """A river box from the yard: onto a shuttle, to the river port, into the barge."""
        day, number = self.day, ContainerNumber(box.number)
        yield day.env.timeout(box.due_s)
        if box.number in day.ready:
            yield day.ready[box.number]
        if day.held(box.number):  # the barge may not take it: it stays in the yard
            day.log.held_back[box.number] = barge.call.id
            self.aboard[box.number].succeed()
            return
        visit = self._start(f"SR{box.number}", "station")
        started = day.env.now
        spot = _spot(box.forty)
        if day.driver is not None:
            send = river.SendToRiverPort(
                number, visit, spot, idempotency_key=day.key("to-river", box.number)
            )
            _result, done = day.floor_driver().work(send)
            yield done[box.number]
        else:
            crane = day.site.crane(day.zones.crane_of(box.number))
            yield from day.zones.job(crane, number, "delivery", destination=TruckSlot(visit, spot))
        yield from self._drive(visit)
        day.send(river.ShuttleArrives(visit, idempotency_key=day.key("at-port", visit)))
        if not self.berthed.triggered:
            yield self.berthed
        yield day.env.timeout(PORT_CRANE_S)
        cell = next(self._cells[box.forty])
        day.send(river.LoadVessel(number, cell, idempotency_key=day.key("onto-barge", box.number)))
        day.send(river.EndShuttle(visit, idempotency_key=day.key("shuttle-done", visit)))
        day.log.shuttle_trips_s.append(day.env.now - started)
        self.aboard[box.number].succeed()

    def _start(self, visit: str, at: str) -> str:
        start = river.StartShuttle(
            visit,
            plate(visit),
            at,  # type: ignore[arg-type]
            idempotency_key=self.day.key("shuttle", visit),
        )
        self.day.send(start)
        return visit

    def _drive(self, visit: str) -> Any:
        day = self.day
        day.send(river.DriveShuttle(visit, idempotency_key=day.key("drive", visit)))
        yield day.env.timeout(self.drive_s)


def _spot(forty: bool) -> Spot:
    return "AB" if forty else "A"


__all__ = ["PORT_CRANE_S", "RiverShuttles", "deck_cells"]
