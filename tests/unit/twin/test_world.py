"""The world plays a day through a client only: trains take free tracks and leave when
empty, trucks pass the gate at their time and leave when their box is on or off."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from hubport.domain.container import Container
from hubport.domain.gate import GateWindow, WindowRule
from hubport.domain.places import TruckSlot, WagonSlot, YardSlot
from hubport.domain.visits import TrainVisit, TruckVisit
from hubport.twin.client import (
    BoxWhere,
    DeclarationView,
    GateAnswer,
    PlatformRefused,
    RuntimeHealth,
)
from hubport.twin.client_events import BoxEvents, box_events_of
from hubport.twin.traffic import DayTraffic, InboundTrain, TruckCall
from hubport.twin.world import World
from hubport.twin.world_customs import Declaration
from tests.conftest import T0, box, train

RULE = WindowRule(minutes=30, trucks=2)


class FakePlatform:
    """The platform as the world sees it, kept in memory: a crane empties a train an
    hour after its discharge order and serves a truck ten minutes after it came in."""

    def __init__(self) -> None:
        self.now = T0
        self.calls: list[tuple[str, str]] = []
        self.tracks: dict[str, str] = {}
        self.ordered: dict[str, datetime] = {}
        self.gate_at: dict[str, datetime] = {}
        self.collects: dict[str, str] = {}
        self.events = 0
        self.served: set[str] = set()
        self.looks: list[str] = []
        #: Trucks booked by window start, and each appointment's window.
        self.booked: dict[datetime, int] = {}
        self.booked_at: dict[str, datetime] = {}
        #: What the booking screen shows, when it is behind the bookings (None: up to date).
        self.shown: dict[datetime, int] | None = None
        #: Boxes that come into the yard only at a time (an event names each then).
        self.comes_at: dict[str, datetime] = {}
        self.came: set[str] = set()
        self.cancelled: set[str] = set()

    def register_train(self, train: TrainVisit, containers: tuple[Container, ...]) -> None:
        self.calls.append(("register", train.id))

    def train_arrives(self, train_id: str, track: str) -> None:
        if track in self.tracks.values():
            raise PlatformRefused(409, "visit_conflict", f"track {track} is taken")
        self.tracks[train_id] = track
        self.calls.append(("arrive", f"{train_id}@{track}"))

    def order_discharge(self, train_id: str, lines: tuple[tuple[str, WagonSlot], ...]) -> None:
        self.ordered[train_id] = self.now

    def boxes_on_train(self, train_id: str) -> list[str]:
        emptied = self.ordered[train_id] + timedelta(hours=1)
        return [] if self.now >= emptied else ["some box"]

    def train_departs(self, train_id: str) -> None:
        self.calls.append(("depart", train_id))
        del self.tracks[train_id]

    def advise_box(self, container: Container) -> None:
        self.calls.append(("advise", container.number.value))

    def book(self, appointment: str, plate: str, kind: str, number: str, at: datetime) -> None:
        start = RULE.window_of(at)[0]
        if self.booked.get(start, 0) >= RULE.trucks:
            raise PlatformRefused(409, "gate_refused", f"window {start:%H:%M} is full")
        self.booked[start] = self.booked.get(start, 0) + 1
        self.calls.append(("book", appointment))
        self.booked_at[appointment] = start

    def gate_windows(self, start: datetime, end: datetime) -> list[GateWindow]:
        return RULE.windows(start, end, self.shown or self.booked)

    def move_appointment(self, appointment: str, at: datetime) -> None:
        if appointment in self.cancelled:
            raise PlatformRefused(409, "gate_refused", f"appointment {appointment}: is cancelled")
        old, start = self.booked_at[appointment], RULE.window_of(at)[0]
        if self.booked.get(start, 0) >= RULE.trucks:
            raise PlatformRefused(409, "gate_refused", f"window {start:%H:%M} is full")
        self.booked[old] -= 1
        self.booked[start] = self.booked.get(start, 0) + 1
        self.booked_at[appointment] = start
        self.calls.append(("move", appointment))

    def gate_in(
        self,
        visit: str,
        plate: str,
        appointment: str,
        read: str,
        confidence: float,
        seal: str | None = None,
    ) -> GateAnswer:
        self.gate_at[visit] = self.now
        self.collects[read] = visit
        return GateAnswer("in")

    def gate_out(self, visit: str) -> GateAnswer:
        self.calls.append(("out", visit))
        return GateAnswer("out")

    def send_edi(self, text: str) -> str:
        return "applied"

    def box_events(self, after: int) -> BoxEvents:
        """A crane's set-down on a truck is the only event: the boxes served since."""
        now_served = {
            number
            for number, visit in self.collects.items()
            if self.now >= self.gate_at[visit] + timedelta(minutes=10)
        }
        new, self.served = now_served - self.served, now_served
        came = {number for number, at in self.comes_at.items() if self.now >= at} - self.came
        self.came |= came
        self.events += len(new | came)
        return BoxEvents(self.events, frozenset(new | came))

    def box(self, number: str) -> BoxWhere:
        self.looks.append(number)
        if self.now < self.comes_at.get(number, self.now):
            return BoxWhere(number, "in_hub", WagonSlot("IN9", 1, "A"))
        visit = self.collects.get(number)
        if visit is None:
            return BoxWhere(number, "in_hub", YardSlot("A", 1, 1, 1))
        served = self.now >= self.gate_at[visit] + timedelta(minutes=10)
        return BoxWhere(
            number, "in_hub", TruckSlot(visit, "A") if served else YardSlot("A", 1, 1, 1)
        )

    def lodge_declaration(self, declaration: Declaration) -> None:
        self.calls.append(("declare", declaration.id))

    def arrived_declarations(self) -> list[DeclarationView]:
        return [
            DeclarationView(train + "-IMP", "import", "arrived", (), at)
            for train, at in self.ordered.items()
        ]

    def release_declaration(self, declaration: str, reason: str) -> None:
        self.calls.append(("release", declaration))

    def place_hold(self, number: str, hold: str, reason: str) -> None:
        self.calls.append(("hold", number))

    def lift_hold(self, hold: str, reason: str) -> None:
        self.calls.append(("lift", hold))

    def runtime(self) -> RuntimeHealth:
        return RuntimeHealth(1, "vm", self.now, 0, 4, 0)


def _inbound(train_id: str, at_h: float) -> InboundTrain:
    return InboundTrain(dataclasses.replace(train(train_id, 2)), at_h * 3600, ())


def test_trains_wait_for_a_free_track_and_trucks_leave_with_their_box() -> None:
    collected = box(5)
    truck = TruckCall(TruckVisit("TC1", "渝A00001", "TC1"), 1800.0, collects=collected.number.value)
    traffic = DayTraffic(
        1,
        T0,
        (_inbound("IN1", 0.5), _inbound("IN2", 0.5), _inbound("IN3", 0.5)),
        (),
        (truck,),
    )
    platform = FakePlatform()

    def now() -> datetime:
        platform.now += timedelta(minutes=1)
        return platform.now

    world = World(platform, lambda _day: traffic, 1, 1, look_every_s=0.0)
    log = world.run(now, pause_s=0.0)
    arrivals = [what for kind, what in platform.calls if kind == "arrive"]
    assert arrivals[:2] == ["IN1@T1", "IN2@T2"]
    assert arrivals[2].startswith("IN3@")  # it waited for one of them to leave
    assert [what for kind, what in platform.calls if kind == "depart"][:2] == ["IN1", "IN2"]
    assert ("book", "TC1") in platform.calls and ("out", "TC1") in platform.calls
    assert log.trains_in == 3 and log.trucks_out == 1 and log.turned_away == {}
    assert world.day_logs[1].trucks_out == 1
    # the declarants lodged each train's declarations; customs released each once its
    # boxes arrived, and the office's rounds ended with the day
    assert [w for kind, w in platform.calls if kind == "release"] == [
        "IN1-IMP",
        "IN2-IMP",
        "IN3-IMP",
    ]
    assert 9 * 60 <= log.truck_turns_s[0] <= 20 * 60
    assert world.waiting == 0


def test_a_haulier_books_the_first_window_with_room_and_the_next_when_it_filled_meanwhile() -> None:
    from hubport.twin.world_booking import book_truck

    platform = FakePlatform()
    at = T0.replace(minute=10)
    first = RULE.window_of(at)[0]
    platform.booked = {first: 2, first + timedelta(minutes=30): 1}
    calls = [TruckCall(TruckVisit(f"T{n}", f"渝A0000{n}", f"T{n}"), 0.0) for n in range(3)]
    assert book_truck(platform, calls[0], at)  # the first window is full: the next
    assert platform.booked_at["T0"] == first + timedelta(minutes=30)
    # the screen still shows the second window with room, but it filled meanwhile
    platform.shown = dict(platform.booked)
    platform.shown[first + timedelta(minutes=30)] = 1
    assert book_truck(platform, calls[1], at)
    assert platform.booked_at["T1"] == first + timedelta(minutes=60)
    # no room within the horizon: the haulier is refused
    platform.shown = None
    platform.booked = {first + timedelta(minutes=30 * n): 2 for n in range(49)}
    assert not book_truck(platform, calls[2], at)


def test_a_truck_whose_box_comes_after_its_window_moves_its_appointment_and_comes_then() -> None:
    number = box(6).number.value
    truck = TruckCall(TruckVisit("TC2", "渝A00002", "TC2"), 1800.0, collects=number)
    platform = FakePlatform()
    platform.comes_at[number] = T0 + timedelta(hours=2, minutes=5)

    def now() -> datetime:
        platform.now += timedelta(minutes=1)
        return platform.now

    world = World(platform, lambda _day: DayTraffic(1, T0, (), (), (truck,)), 1, 1, 0.0)
    log = world.run(now, pause_s=0.0)
    assert ("move", "TC2") in platform.calls and log.turned_away == {}
    # booked for 08:30, its box in the yard at 10:05: moved to the 10:00 window, in then
    assert platform.booked_at["TC2"] == RULE.window_of(T0 + timedelta(hours=2, minutes=5))[0]
    assert platform.gate_at["TC2"] >= T0 + timedelta(hours=2, minutes=5)
    assert log.trucks_out == 1


def test_a_truck_whose_appointment_the_hub_cancelled_books_a_new_one() -> None:
    from hubport.twin.world_booking import book_truck, move_truck

    platform = FakePlatform()
    call = TruckCall(TruckVisit("TC3", "渝A00003", "TC3"), 0.0)
    booking = book_truck(platform, call, T0)
    assert booking is not None and booking.appointment == "TC3"
    platform.cancelled.add("TC3")  # a no-show, as the hub saw it
    moved = move_truck(platform, call, T0 + timedelta(hours=3), booking)
    assert moved is not None and moved.appointment == "TC3.2"
    assert platform.booked_at["TC3.2"] == RULE.window_of(T0 + timedelta(hours=3))[0]
    platform.cancelled.add("TC3.2")
    again = move_truck(platform, call, T0 + timedelta(hours=5), moved)
    assert again is not None and again.appointment == "TC3.3"


def test_a_waiting_driver_asks_where_its_box_is_only_after_an_event_named_it() -> None:
    collected = box(5)
    number = collected.number.value
    truck = TruckCall(TruckVisit("TC1", "渝A00001", "TC1"), 1800.0, collects=number)
    traffic = DayTraffic(1, T0, (), (), (truck,))
    platform = FakePlatform()

    def now() -> datetime:
        platform.now += timedelta(minutes=1)
        return platform.now

    world = World(platform, lambda _day: traffic, 1, 1, look_every_s=0.0)
    world.run(now, pause_s=0.0)
    # in the yard before the gate, then under the crane for 10 minutes (a look due every
    # 30 s): one look in, one after the set-down's event, none in between
    assert platform.looks == [number, number]
    assert ("out", "TC1") in platform.calls
    assert world.feed.spared >= 9 and world.feed.looks == world.feed.spared + 2


def test_the_event_streams_batch_read_gives_its_boxes_and_last_id() -> None:
    stream = (
        "retry: 2000\n\n"
        'id: 7\nevent: ContainerMoved\ndata: {"id": 7, "box": "MSCU1234565"}\n\n'
        ": keep-alive\n\n"
        'id: 9\nevent: TrainArrived\ndata: {"id": 9, "box": null}\n\n'
    )
    events, count = box_events_of(stream, 3)
    assert events == BoxEvents(9, frozenset({"MSCU1234565"})) and count == 2
    assert box_events_of("retry: 2000\n\n", 3) == (BoxEvents(3, frozenset()), 0)
