"""The hub's event stream as the world follows it: which boxes the logged events named
after a point of the log (``GET /api/events?after=N&follow=false``, the stream's batch
read). A haulier's system that follows the stream tells its driver when something
happened to the box the driver waits for (a part of ``HttpHubClient``; the in-process
client reads the same log through the query side)."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass

#: Events read per request (the API's stream takes up to 100,000).
PAGE = 5_000


@dataclass(frozen=True)
class BoxEvents:
    """The boxes named by the events after a point of the log, and the log's last id."""

    last_id: int
    boxes: frozenset[str]


def box_events_of(stream: str, after: int) -> tuple[BoxEvents, int]:
    """The boxes and the last id of a batch of server-sent events, and how many there were."""
    last, boxes, count = after, set(), 0
    for frame in stream.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in frame.splitlines() if ": " in line and line[0] != ":"
        )
        if "id" not in fields or "data" not in fields:
            continue
        count += 1
        last = max(last, int(fields["id"]))
        box = json.loads(fields["data"]).get("box")
        if box:
            boxes.add(box)
    return BoxEvents(last, frozenset(boxes)), count


class EventsOverHttp:
    """Mixed into ``HttpHubClient``: it gives ``base``, ``tokens`` and ``timeout_s``."""

    base: str
    tokens: dict[str, str]
    timeout_s: float

    def box_events(self, after: int) -> BoxEvents:
        """The boxes the events after id ``after`` named (every page of them)."""
        last, boxes = after, set[str]()
        while True:
            path = f"/api/events?after={last}&follow=false&limit={PAGE}"
            headers = {"Authorization": f"Bearer {self.tokens['operator']}"}
            request = urllib.request.Request(self.base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                page, count = box_events_of(response.read().decode(), last)
            last, boxes = page.last_id, boxes | page.boxes
            if count < PAGE:
                return BoxEvents(last, frozenset(boxes))


__all__ = ["BoxEvents", "EventsOverHttp", "box_events_of"]
