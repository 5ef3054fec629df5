"""The hauliers' follow of the hub's event stream: a driver waiting for its box (to come
into the yard, to be lifted onto or off its truck) asks the platform where the box is
only after an event named it, as a haulier's system that follows the stream tells its
driver. Between two such events the answer is the one the driver had: a day's thousands
of waiting drivers' looks become one read of the stream per turn of the world."""

from __future__ import annotations

from hubport.twin.client import HubClient
from hubport.twin.client_answers import BoxWhere


class BoxFeed:
    """What the stream said since each driver's last look."""

    def __init__(self, client: HubClient):
        self.client = client
        self._cursor = 0
        #: Reads of the stream so far; a box's entry is the read that last named it.
        self.reads = 0
        self._named: dict[str, int] = {}
        self._fresh = False
        #: Looks asked for, and looks the stream made needless (for the figures).
        self.looks = self.spared = 0

    def turn(self) -> None:
        """A new turn of the world: the stream is read again when a driver next asks."""
        self._fresh = False

    def _read(self) -> None:
        if self._fresh:
            return
        self._fresh = True
        events = self.client.box_events(self._cursor)
        self.reads += 1
        self._cursor = events.last_id
        for box in events.boxes:
            self._named[box] = self.reads

    def look(self, number: str, seen: list[int]) -> BoxWhere | None:
        """Where ``number`` is now, or None when no event named it since this driver's
        last look (``seen``, kept by the driver: the read its last look followed)."""
        self._read()
        self.looks += 1
        if seen and self._named.get(number, 0) <= seen[0]:
            self.spared += 1
            return None
        seen[:] = [self.reads]
        return self.client.box(number)


__all__ = ["BoxFeed"]
