"""The fixed-zone baseline of a simulated day: each crane works its own stretch of the
rail, a move at a time as it is ordered (a pick, then a set-down, each a command at its
own moment), the boxes above a box first, each to another stack of the crane's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import simpy

from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.domain.places import Place, YardSlot, parse_place
from hubport.domain.site import Crane
from hubport.planning import cranes
from hubport.services import commands
from hubport.twin.day_log import MoveRecord

if TYPE_CHECKING:
    from hubport.twin.day import HubDay


class ZoneCranes:
    def __init__(self, day: HubDay, yard_at_start: Mapping[str, Place | None]):
        self.day = day
        site = day.site
        self.cranes = {crane_id: simpy.Resource(day.env, 1) for crane_id in site.cranes}
        self.crane_x = {
            crane.id: (crane.zone_start_m + crane.zone_end_m) / 2 for crane in site.cranes.values()
        }
        #: The crane whose zone holds each box in the yard.
        self.box_crane: dict[str, str] = {}
        for number, place in yard_at_start.items():
            if isinstance(place, YardSlot):
                self.box_crane[number] = cranes.crane_at(site, site.slot_x(place)).id

    def job(
        self,
        crane: Crane,
        number: ContainerNumber,
        reason: str,
        destination: Place | None = None,
        train_id: str | None = None,
    ) -> Any:
        """Wait for the crane, then pick and set down box by box until ``number`` is where
        it should be (the boxes above it first, each to another stack of the crane's)."""
        with self.cranes[crane.id].request() as turn:
            yield turn
            step = 0
            while True:
                step += 1
                job = (reason, number.value, str(step))
                started = self.day.env.now
                picked = self.day.send(
                    commands.PickContainer(
                        number,
                        crane.id,
                        self.crane_x[crane.id],
                        reason,
                        destination=destination,
                        train_id=train_id,
                        idempotency_key=self.day.key(*job, "pick"),
                    )
                )
                lifted = datetime.fromisoformat(picked["lifted_at"])
                yield self.day.env.timeout(max(0.0, (lifted - self.day.now()).total_seconds()))
                relocation = bool(picked["relocation"])
                yield self.day.env.timeout(
                    cranes.set_down_seconds(crane, picked["from_x"], picked["planned_x"])
                )
                landed = self.day.send(
                    commands.MoveContainer(
                        ContainerNumber(picked["picked"]),
                        None if relocation or destination is None else destination,
                        crane=crane.id,
                        reason="relocation" if relocation else reason,
                        train_id=None if relocation else train_id,
                        keep_clear_of=number if relocation else None,
                        near_x=picked["from_x"],
                        idempotency_key=self.day.key(*job, "set"),
                    )
                )
                (move,) = landed["moves"]
                to_x = self.day.x_of(parse_place(move["to"]))
                if to_x is not None:
                    self.crane_x[crane.id] = to_x
                if move["to"].startswith("yard:"):
                    self.box_crane[move["number"]] = crane.id
                self.day.log.moves.append(
                    MoveRecord(
                        move["number"],
                        crane.id,
                        move["reason"],
                        started,
                        self.day.env.now - started,
                    )
                )
                if not relocation:
                    return

    def crane_of(self, number: str) -> str:
        try:
            return self.box_crane[number]
        except KeyError:
            raise HubportError(
                f"day {self.day.traffic.day}: {number} should leave today but is not in the yard"
            ) from None

    def queued(self) -> dict[str, int]:
        return {
            crane_id: len(resource.queue) + resource.count
            for crane_id, resource in self.cranes.items()
        }


__all__ = ["ZoneCranes"]
