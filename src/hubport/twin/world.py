"""The world around the hub, played on the hub's clock through its public interfaces.

A day's seeded traffic (``traffic.py``) becomes what the railway, the hauliers and the
gate portal send: trains registered with their consist in the morning, each arriving on
a free track at its time with its discharge order, leaving when empty (inbound) or at
its departure time (outbound); export boxes pre-advised and their trucks booked; every
truck through the in-gate at its time and out when its box is on (or off) it. The world
decides nothing for the hub: the runtime reacts (crane work, load plans) and the cranes
move. It only asks where boxes are, as a haulier's driver would see it.

The day's barge, the port's crane and the shuttles' drivers are in ``world_river.py``;
the declarants and the customs office in ``world_customs.py``.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import itertools
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from hubport.twin.box_feed import BoxFeed
from hubport.twin.client import HubClient, PlatformRefused
from hubport.twin.traffic import DayTraffic, InboundTrain, OutboundTrain, TruckCall
from hubport.twin.world_booking import Booking, book_truck, move_truck
from hubport.twin.world_customs import CustomsOffice, CustomsTimes
from hubport.twin.world_futures import LogDeliveries
from hubport.twin.world_log import WorldLog, hub_clock
from hubport.twin.world_payments import LinesPay
from hubport.twin.world_river import RiverPort

log = logging.getLogger(__name__)

TRACKS = ("T1", "T2")  #: the loading tracks under the cranes, as the railway uses them
RETRY = timedelta(minutes=2)  #: how often a waiting actor looks again (hub time)
#: An inbound train waits for its boxes this long past its departure, then the railway
#: takes it away with what the hub could not discharge (a crane lost, say).
OVERSTAY = timedelta(hours=2)
CONFIDENCE = 0.98  #: a truck's camera read is this sure (the day's reads are right)
#: A haulier books its truck (and pre-advises its box) this long before it comes.
BOOKED_AHEAD = timedelta(hours=2)
#: A driver waiting under the crane looks again at most this often (wall seconds).
LOOK_EVERY_S = 1.0
#: The world stops waiting for its actors this long after the day's end.
GIVE_UP_AFTER = timedelta(hours=12)

Step = Callable[[datetime], datetime | None]


class World:
    """Plays the traffic of day after day against the platform behind ``client``: each
    day's actors are scheduled when that day begins, while the day before may still be
    finishing."""

    def __init__(
        self,
        client: HubClient,
        traffic_of: Callable[[int], DayTraffic],
        first_day: int,
        last_day: int | None = None,
        look_every_s: float = LOOK_EVERY_S,
        railway_edi: Callable[[InboundTrain, datetime], None] | None = None,
        customs: CustomsTimes | None = None,
        tracks: tuple[str, ...] = TRACKS,
        futures: LogDeliveries | None = None,
        payers: LinesPay | None = None,
    ):
        """``look_every_s``: the least wall time between two looks of a waiting driver
        (0 where the world's time is not the wall's). ``railway_edi``: how the railway
        sends an inbound train's discharge order (its COPRAR) ahead of the train, where it
        has an EDI channel to the hub; without one it orders the discharge through the
        API as the train arrives."""
        self.railway_edi = railway_edi
        self.client, self.traffic_of = client, traffic_of
        self.look_every_s = look_every_s
        self.first_day, self.last_day = first_day, last_day
        self.log = WorldLog()
        #: What the world saw of each traffic day (its trains and trucks).
        self.day_logs: dict[int, WorldLog] = {}
        self.days: dict[int, DayTraffic] = {}
        self._queue: list[tuple[datetime, int, Step]] = []
        self._order = itertools.count()
        self.free_tracks = list(tracks)
        self.track_of: dict[str, str] = {}
        self.arrived_at: dict[str, datetime] = {}
        self.river = RiverPort(client)
        self.feed = BoxFeed(client)
        self.customs = CustomsOffice(client, customs)
        #: The exchange, its members and the sellers' log wagons at Luohuang, if any.
        self.futures = futures
        #: The shipping lines' accounts departments, paying the hub's invoices.
        self.payers = payers
        self.booked: dict[str, Booking] = {}  #: each truck's appointment, by visit
        self._driving = self._rounding = False
        #: Steps that go round while others act (the shuttles' drivers, customs).
        self._rounds: set[Step] = set()

    def _logs(self, day: int) -> tuple[WorldLog, WorldLog]:
        """The world's log and the day's, to note the same in both."""
        return self.log, self.day_logs.setdefault(day, WorldLog())

    def _rounds_of(self, now: datetime, step: Step) -> None:
        self._rounds.add(step)
        self.at(now, step)

    def _only_rounds_left(self) -> bool:
        """Every actor but those going round is done."""
        return all(step in self._rounds for _at, _order, step in self._queue)

    def at(self, moment: datetime, step: Step) -> None:
        heapq.heappush(self._queue, (moment, next(self._order), step))

    @property
    def waiting(self) -> int:
        """Actors still to act or to finish."""
        return len(self._queue)

    # -- running ------------------------------------------------------------------------

    def _begin(self, day: int) -> Step:
        def step(now: datetime) -> None:
            traffic = self.days[day] = self.traffic_of(day)
            self._morning(traffic, now)
            offset = functools.partial(_moment, traffic.start)
            for inbound in traffic.inbound:
                self.at(offset(inbound.arrival_s), self._inbound(traffic, inbound))
            for outbound in traffic.outbound:
                self.at(offset(outbound.arrival_s), self._outbound(traffic, outbound))
            for call in traffic.trucks:
                if not call.truck.shuttle:
                    self.at(offset(call.arrival_s), self._truck(traffic, call))
            if traffic.barge is not None:
                self.at(traffic.barge.call.eta, self.river.call(traffic.barge))
                if not self._driving:
                    self._driving = True
                    self._rounds_of(now, self.river.drivers(self._only_rounds_left))
            if not self._rounding:
                self._rounding = True
                self._rounds_of(now, self.customs.office(self._only_rounds_left))
            if self.futures is not None:
                days_left = None if self.last_day is None else self.last_day - day + 1
                until = None if days_left is None else traffic.start + timedelta(days=days_left)
                self.futures.day(day, traffic.start, self.at, until)
            if self.payers is not None:
                self.payers.day(traffic.start, self.at)
            if self.last_day is None or day < self.last_day:
                following = self.traffic_of(day + 1).start
                self.at(following, self._begin(day + 1))
            return None

        return step

    def begin(self) -> None:
        """Schedule the first day's morning."""
        self.at(self.traffic_of(self.first_day).start, self._begin(self.first_day))

    def over(self, moment: datetime) -> bool:
        """Every actor is done, or the last day is long over at ``moment``."""
        if not self._queue:
            return True
        if self.last_day is None:
            return False
        end = self.traffic_of(self.last_day).start + timedelta(days=1)
        if moment <= end + GIVE_UP_AFTER:
            return False
        if not self.log.unfinished:
            self.log.unfinished = len(self._queue)
            log.warning("world: %d actors still waiting at %s", self.waiting, moment)
        return True

    def play(self, moment: datetime) -> None:
        """Every actor whose time has come acts at ``moment``."""
        self.feed.turn()
        while self._queue and self._queue[0][0] <= moment:
            _at, _order, step = heapq.heappop(self._queue)
            try:
                again = step(moment)
            except PlatformRefused as error:
                self.log.refused.append(str(error))
                log.warning("world: %s", error)
                again = None
            if again is not None:
                self.at(again, step)

    def run(
        self,
        now: Callable[[], datetime],
        pause_s: float = 0.2,
        stop: Callable[[], bool] = lambda: False,
        progress: Callable[[datetime], None] | None = None,
    ) -> WorldLog:
        """Play until every actor of the last day is done (or ``stop``, or the last day
        is long over), on the hub time ``now`` gives, looking every ``pause_s``."""
        self.begin()
        while not stop():
            moment = now()
            if self.over(moment):
                break
            self.play(moment)
            if progress is not None:
                progress(moment)
            time.sleep(pause_s)
        return self.log

    # -- the railway's morning: visits, pre-advice, bookings -----------------------------

    def _morning(self, traffic: DayTraffic, now: datetime) -> None:
        """The railway registers the day's trains; each haulier books its truck (with the
        pre-advice of the box it brings) a while before it comes."""
        for inbound in traffic.inbound:
            containers = tuple(container for container, _slot in inbound.consist)
            consist = tuple((container.number, slot) for container, slot in inbound.consist)
            visit = dataclasses.replace(inbound.visit, consist=consist)
            self.client.register_train(visit, containers)
        for outbound in traffic.outbound:
            self.client.register_train(outbound.visit, ())
        if traffic.barge is not None:
            self.river.morning(traffic.barge, now)
        for inbound in traffic.inbound:
            self.customs.declare(inbound)
            if self.railway_edi is not None:
                self.railway_edi(inbound, now)
        for call in traffic.trucks:
            if not call.truck.shuttle:
                books = _moment(traffic.start, call.arrival_s) - BOOKED_AHEAD
                self.at(max(now, books), self._booking(traffic, call))

    def _booking(self, traffic: DayTraffic, call: TruckCall) -> Step:
        def step(now: datetime) -> None:
            if call.delivers is not None:
                self.client.advise_box(call.delivers)
            booked = book_truck(self.client, call, max(now, _moment(traffic.start, call.arrival_s)))
            if booked is not None:
                self.booked[call.truck.id] = booked
            else:
                self.log.refused.append(f"no gate window for truck {call.truck.id}")

        return step

    # -- trains -------------------------------------------------------------------------

    def _take_track(self, train_id: str) -> str | None:
        if train_id in self.track_of:
            return self.track_of[train_id]
        if not self.free_tracks:
            return None
        track = self.free_tracks.pop(0)
        self.track_of[train_id] = track
        return track

    def _arrive(self, train_id: str) -> bool:
        """The train onto a free track; False while none is free."""
        track = self._take_track(train_id)
        if track is None:
            return False
        try:
            self.client.train_arrives(train_id, track)
        except PlatformRefused as error:
            if error.code == "train_conflict":
                return True  # it arrived before (a world started again replays its day)
            if error.status == 409 and "is taken" in str(error):
                # a train the world does not know of stands there: try the other later
                self.free_tracks.append(self.track_of.pop(train_id))
                return False
            raise
        return True

    def _leave_track(self, day: int, train_id: str, now: datetime) -> None:
        self.free_tracks.append(self.track_of.pop(train_id))
        for log in self._logs(day):
            log.train_dwell_s[train_id] = (now - self.arrived_at[train_id]).total_seconds()

    def _inbound(self, traffic: DayTraffic, inbound: InboundTrain) -> Step:
        train_id = inbound.visit.id
        state = {"arrived": False}

        def step(now: datetime) -> datetime | None:
            if not state["arrived"]:
                if not self._arrive(train_id):
                    return now + RETRY  # both tracks taken: it waits at the throat
                if self.railway_edi is None:
                    self.client.order_discharge(train_id, ())
                self.arrived_at[train_id] = now
                self.customs.train_arrived(train_id, now)
                for log in self._logs(traffic.day):
                    log.trains_in += 1
                state["arrived"] = True
                return now + RETRY
            departs = inbound.visit.departs
            if self.client.boxes_on_train(train_id) and (
                departs is None or now < departs + OVERSTAY
            ):
                return now + RETRY  # the railway waits for its boxes, up to a point
            try:
                self.client.train_departs(train_id)
            except PlatformRefused as error:
                if error.status == 409:
                    return now + RETRY  # a crane still has a box of it in hand
                raise
            self._leave_track(traffic.day, train_id, now)
            return None

        return step

    def _outbound(self, traffic: DayTraffic, outbound: OutboundTrain) -> Step:
        train_id = outbound.visit.id
        departs = _moment(traffic.start, outbound.departure_s)
        state = {"arrived": False}

        def step(now: datetime) -> datetime | None:
            if not state["arrived"]:
                if not self._arrive(train_id):
                    return now + RETRY
                self.arrived_at[train_id] = now
                state["arrived"] = True
                return departs
            try:
                self.client.train_departs(train_id)
            except PlatformRefused as error:
                if error.status == 409:
                    return now + RETRY
                raise
            for log in self._logs(traffic.day):
                log.trains_out += 1
            self._leave_track(traffic.day, train_id, now)
            return None

        return step

    # -- trucks -------------------------------------------------------------------------

    def _truck(self, traffic: DayTraffic, call: TruckCall) -> Step:
        visit = call.truck.id
        number = call.delivers.number.value if call.delivers else call.collects or ""
        state: dict[str, datetime | None] = {"in": None}
        looked, seen = [0.0], list[int]()  # a look's wall time, and the stream's read
        deadline = _moment(traffic.start, call.arrival_s) + timedelta(hours=12)

        def step(now: datetime) -> datetime | None:
            if state["in"] is None:
                # a box to collect: in the yard yet? (an unchanged box is not)
                where = self.feed.look(number, seen) if call.collects is not None else None
                if call.collects is not None and (where is None or not where.in_yard):
                    if now > deadline:
                        for log in self._logs(traffic.day):
                            log.turn_away(visit, f"{number} never came into the yard", now)
                        return None
                    return now + RETRY * 5  # the box is not here yet: it comes later
                booked = self.booked.get(visit)
                if booked is not None and now >= booked.window.end:
                    # it cannot make its window (its box came late): it moves it
                    booked = move_truck(self.client, call, now, booked)
                    if booked is None:
                        for log in self._logs(traffic.day):
                            log.turn_away(visit, "no window to move its appointment to", now)
                        return None
                    self.booked[visit] = booked
                if booked is not None and now < booked.window.start:
                    return booked.window.start  # booked into a later window: it comes then
                seal = call.delivers.seal if call.delivers else None
                appointment = booked.appointment if booked is not None else visit
                answer = self.client.gate_in(
                    visit, call.truck.plate, appointment, number, CONFIDENCE, seal
                )
                if answer.lane != "in":
                    why = "; ".join(answer.reasons) or "sent to the exception lane"
                    for log in self._logs(traffic.day):
                        log.turn_away(visit, why, now)
                    return None
                state["in"] = now
                for log in self._logs(traffic.day):
                    log.trucks_in += 1
                return now + RETRY / 4
            if looked[0] and time.monotonic() - looked[0] < self.look_every_s:
                return now + RETRY / 4
            looked[0] = time.monotonic()
            where = self.feed.look(number, seen)
            if where is None or where.on_truck(visit) == (call.delivers is not None):
                return now + RETRY / 4  # still waiting for the crane
            if self.client.gate_out(visit).lane != "out":
                return now + RETRY
            arrived = state["in"]
            for log in self._logs(traffic.day):
                log.trucks_out += 1
                if arrived is not None:
                    log.truck_visits.append((arrived, (now - arrived).total_seconds()))
            return None

        return step


def _moment(start: datetime, offset_s: float) -> datetime:
    return start + timedelta(seconds=offset_s)


__all__ = ["World", "WorldLog", "hub_clock"]
