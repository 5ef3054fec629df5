"""Crane jobs run end to end in process: dispatch, orders, reports, the inventory following."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.site_file import read_site_file
from hubport.cranes.floor import CraneFloor
from hubport.domain.crane_jobs import JobState
from hubport.domain.errors import HubportError
from hubport.domain.places import WagonSlot, YardSlot, parse_place
from hubport.planning import cranes
from hubport.services import commands
from hubport.services import crane_commands as jobs
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from tests.conftest import T0, box, train
from tests.integration.test_store import audit_store, unload_train
from tests.integration.test_store import store as store  # the fixture


def _floor(engine: Engine) -> tuple[MessageBus, CraneFloor]:
    site = load_site(engine)
    clock = ManualClock(T0)
    bus = MessageBus(lambda: SqlUnitOfWork(engine, site), clock, COMMAND_HANDLERS, EVENT_HANDLERS)
    return bus, CraneFloor(bus, site, clock)


def _open_jobs(bus: MessageBus) -> list:
    with bus.uow_factory() as uow:
        return uow.crane_jobs.open_jobs()


def test_a_discharged_train_ends_in_the_yard_by_crane_jobs(store: Engine) -> None:
    bus, floor = _floor(store)
    unload_train(bus, 12)
    for index in range(12):
        bus.handle(jobs.PlanCraneJob(f"discharge:{index}", box(index).number, "discharge"))
    took = floor.run(3 * 3600, until=lambda: not _open_jobs(bus))
    assert not _open_jobs(bus)
    with bus.uow_factory() as uow:
        places = [uow.inventory.get(box(i).number).place for i in range(12)]
        done = [uow.crane_jobs.get(f"discharge:{i}").state for i in range(12)]
    assert all(isinstance(place, YardSlot) for place in places)
    assert done == [JobState.DONE] * 12
    used = {c.crane for c in floor.controllers.values() if c.moves_done}
    assert len(used) >= 2, "the dispatcher shares a train's work over cranes"
    assert took < 3 * 3600
    assert audit_store(store) == []


def test_a_crane_that_breaks_down_has_its_unstarted_jobs_done_by_others(store: Engine) -> None:
    bus, floor = _floor(store)
    unload_train(bus, 6)
    for index in range(6):
        bus.handle(jobs.PlanCraneJob(f"discharge:{index}", box(index).number, "discharge"))
    floor.control.load()
    floor.control.replan(floor.clock.now())
    victim = floor.controllers["ARMG2"]
    assert victim.queue, "the dispatcher gave ARMG2 some of the train"
    victim.receive("instantActions", {"messageId": "x1", "action": "breakdown"}, T0)
    floor.run(
        3 * 3600,
        until=lambda: all(j.state is JobState.FAILED and j.box_aboard for j in _open_jobs(bus)),
    )
    remaining = _open_jobs(bus)
    assert all(j.crane == victim.crane and j.box_aboard for j in remaining)
    victim.receive("instantActions", {"messageId": "x2", "action": "clear"}, floor.clock.now())
    floor.equipment.step(floor.clock.now())
    floor.run(3600, until=lambda: not _open_jobs(bus))
    assert not _open_jobs(bus)
    assert audit_store(store) == []


def test_a_repeated_report_changes_nothing_and_a_false_one_raises_an_alarm(store: Engine) -> None:
    bus, _ = _floor(store)
    unload_train(bus, 2)
    bus.handle(jobs.PlanCraneJob("j1", box(0).number, "discharge"))
    bus.handle(jobs.AssignCraneJob("j1", "ARMG1"))
    bus.handle(jobs.SendCraneJob("j1", "ARMG1"))
    at = datetime.fromisoformat("2026-12-01T08:05:00+00:00")
    lifted = jobs.ReportCraneJob("j1", "ARMG1", "lifted", at, idempotency_key="m1")
    first = bus.handle(lifted)
    again = bus.handle(jobs.ReportCraneJob("j1", "ARMG1", "lifted", at, idempotency_key="m2"))
    assert first.result["state"] == "lifted" and again.result.get("unchanged")
    wrong = bus.handle(jobs.ReportCraneJob("j1", "ARMG2", "done", at, idempotency_key="m3"))
    assert wrong.result["alarm"]
    with bus.uow_factory() as uow:
        assert str(uow.inventory.get(box(0).number).place) == "crane:ARMG1"
        assert uow.crane_jobs.get("j1").state is JobState.LIFTED
    assert audit_store(store) == []


def test_a_box_no_one_crane_can_carry_to_its_wagon_goes_there_by_a_relay(store: Engine) -> None:
    bus, floor = _floor(store)
    unload_train(bus, 1)
    number = box(0).number
    bus.handle(jobs.PlanCraneJob("in", number, "discharge", parse_place("yard:A-01-08-1")))
    floor.run(3600, until=lambda: not _open_jobs(bus))
    bus.handle(commands.RegisterTrain(train("T200", wagons=25, direction="outbound")))
    bus.handle(commands.ArriveTrain("T200", "T2", ()))
    far = WagonSlot("T200", 25, "A")
    with bus.uow_factory() as uow:
        ends = (cranes.x_in(uow.inventory, parse_place("yard:A-01-08-1")), uow.site.tracks["T2"])
        assert ends[0] is not None
        assert not cranes.one_crane_reaches(uow.site, ends[0], ends[1].x_of(25))
    planned = bus.handle(jobs.PlanCraneJob("out", number, "load", far, train_id="T200")).result
    assert [(j["job"], j["reason"]) for j in planned["jobs"]] == [
        ("out:relay", "relay"),
        ("out", "load"),
    ]
    floor.run(3600, until=lambda: not _open_jobs(bus))
    with bus.uow_factory() as uow:
        assert uow.inventory.get(number).place == far
        relay, load = uow.crane_jobs.get("out:relay"), uow.crane_jobs.get("out")
    assert relay.state is JobState.DONE and load.state is JobState.DONE
    assert relay.crane != load.crane, "one crane takes it half way, another on"
    assert load.origin == relay.destination
    assert audit_store(store) == []


def _alarms(store: Engine) -> list[str]:
    from hubport.services.queries import Queries

    queries = Queries(store, load_site(store))
    return [row["payload"] for row in queries.alarms(200)]


def test_a_crane_lost_for_good_strands_only_what_it_alone_could_reach(store: Engine) -> None:
    from hubport.domain.places import Spreader
    from hubport.services.queries import Queries

    bus, floor = _floor(store)
    count = 24
    unload_train(bus, count)
    for index in range(count):
        bus.handle(jobs.PlanCraneJob(f"discharge:{index}", box(index).number, "discharge"))
    victim = floor.controllers["ARMG2"]

    def victim_holds_a_box() -> bool:
        return any(j.crane == "ARMG2" and j.box_aboard for j in _open_jobs(bus))

    floor.run(3600, until=victim_holds_a_box)
    assert victim_holds_a_box(), "the dispatcher gave ARMG2 part of the train"
    (stranded,) = [j for j in _open_jobs(bus) if j.crane == "ARMG2" and j.box_aboard]
    victim.receive("instantActions", {"messageId": "x1", "action": "loseConnection"}, T0)
    # the day goes on: everything the cranes left in service can reach is done
    floor.run(4 * 3600, until=lambda: False)
    left = _open_jobs(bus)
    alarms = " | ".join(_alarms(store))
    assert f"{stranded.number} hangs on ARMG2's spreader" in alarms
    for job in left:
        if job.id == stranded.id:
            assert job.state is JobState.FAILED and job.box_aboard
        else:  # only what no crane in service can reach waits, each with its alarm
            assert f"no crane in service can reach {job.number}" in alarms, job
    done = count - len(left)
    assert done >= count // 2, f"only {done} of {count} boxes were discharged"
    # `hubport check` is not sound while the box hangs on the lost crane
    queries = Queries(store, load_site(store))
    stuck = queries.audit().stuck
    assert any(f"box {stranded.number} hangs on ARMG2's spreader" in item for item in stuck)
    # a box on a wagon right under the stopped crane: no other can reach it, an alarm
    site = load_site(store)
    at = floor.control.status["ARMG2"].position_m
    track = site.tracks["T2"]
    wagon = min(range(1, 21), key=lambda n: abs(track.x_of(n) - at))
    assert abs(track.x_of(wagon) - at) < site.safety_gap_m
    bus.handle(commands.RegisterTrain(train("T200", wagons=20)))
    bus.handle(commands.AnnounceContainer(box(90)))
    bus.handle(
        commands.ArriveTrain("T200", "T2", ((box(90).number, WagonSlot("T200", wagon, "A")),))
    )
    bus.handle(jobs.PlanCraneJob("discharge:90", box(90).number, "discharge"))
    floor.run(600, until=lambda: False)
    assert f"no crane in service can reach {box(90).number}" in " | ".join(_alarms(store))
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get("discharge:90").open
    # the railway takes that train away with the box still aboard, the reason recorded
    gone = bus.handle(commands.DepartTrain("T200")).result
    assert gone["boxes"] == [box(90).number.value]
    with bus.uow_factory() as uow:
        assert "left without it" in uow.crane_jobs.get("discharge:90").note
    # the train leaves with what could not be discharged; the box on the spreader stays
    departed = bus.handle(commands.DepartTrain("T100")).result
    assert departed["stranded"] == [stranded.number]
    # a person sets the box down by hand: the job is done, the check sound again
    with bus.uow_factory() as uow:
        assert uow.inventory.get(stranded.number).place == Spreader("ARMG2")
        taken = uow.inventory.get(box(0).number).place if stranded.number != box(0).number else None
    if isinstance(taken, YardSlot):  # onto another box's slot: refused, nothing changes
        with pytest.raises(HubportError):
            bus.handle(jobs.SetDownByHand(stranded.id, taken, "the shift lead"))
    bus.handle(jobs.SetDownByHand(stranded.id, None, "the shift lead"))  # where it was going
    with bus.uow_factory() as uow:
        done_job = uow.crane_jobs.get(stranded.id)
        assert done_job.state is JobState.DONE and "by hand" in done_job.note
        assert str(uow.inventory.get(stranded.number).place) == done_job.destination
    report = queries.audit()
    assert report.sound, (report.violations, report.stuck)


def test_a_message_replayed_with_other_content_is_reconciled_not_refused(store: Engine) -> None:
    """After a kill -9 a run sends again under the keys it used before, and a crane whose
    message ids started over sends new reports under old ids: the hub's state wins."""
    bus, floor = _floor(store)
    unload_train(bus, 2)
    control = floor.control
    # a decision taken before with other content: the view takes the hub's state
    bus.handle(jobs.PlanCraneJob("J0", box(0).number, "discharge", idempotency_key="plan:J0"))
    answer = control.plan(
        jobs.PlanCraneJob("J0", box(1).number, "discharge", idempotency_key="plan:J0"), T0
    )
    assert answer == {} and control.reconciled == 1
    assert control.jobs["J0"].box == box(0).number
    # a crane's message id used again for another report: a new message, applied
    control.replan(T0)
    crane = control.jobs["J0"].crane
    assert crane is not None and control.jobs["J0"].state is JobState.SENT
    header = {"messageId": "m1", "timestamp": T0.isoformat(), "crane": crane, "version": "1"}
    event = {**header, "type": "picking", "orderId": "J0"}
    control.receive(crane, "events", event, T0)
    control.receive(crane, "events", {**event, "type": "picked"}, T0)  # the same id
    with bus.uow_factory() as uow:
        job = uow.crane_jobs.get("J0")
        assert job.state is JobState.LIFTED and job.box_aboard
    assert control.reconciled == 2
    repeats = bus.repeats
    control.receive(crane, "events", {**event, "type": "picked"}, T0)  # that one again
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get("J0").version == job.version  # nothing changed
    assert bus.repeats == repeats + 1


class _Recorder:
    """The equipment link, as a list of what crane control sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, object]]] = []

    def send(self, crane: str, name: str, payload: dict[str, object]) -> None:
        self.sent.append((crane, name, payload))


def _state(crane: str, message: str, load: str | None = None) -> dict[str, object]:
    return {
        "messageId": message,
        "timestamp": T0.isoformat(),
        "crane": crane,
        "version": "1",
        "mode": "automatic",
        "position": {"gantry_m": 50.0, "trolley_m": 0.0, "hoist_m": 10.0},
        "load": load,
        "orderId": None,
        "queue": [],
        "completed": [],
    }


def test_a_crane_that_started_again_empty_gets_its_orders_or_raises_an_alarm(
    store: Engine,
) -> None:
    bus, floor = _floor(store)
    unload_train(bus, 2)
    control = floor.control
    bus.handle(jobs.PlanCraneJob("J0", box(0).number, "discharge"))
    bus.handle(jobs.PlanCraneJob("J1", box(1).number, "discharge"))
    control.load()
    control.replan(T0)
    link = _Recorder()
    control.link = link
    sent = {j.id: j.crane for j in control.jobs.values() if j.state is JobState.SENT}
    assert sent, "the dispatcher sent some job"
    job_id, crane = next(iter(sent.items()))
    assert crane is not None
    # the crane's controller started again and knows nothing: once its states have left
    # the job out for five minutes (one sent before the order arrived would too), the
    # order goes again, once
    for seconds in (0, 60, 299, 300, 400, 500):
        at = T0 + timedelta(seconds=seconds)
        control.receive(crane, "state", _state(crane, f"s{seconds}"), at)
        orders = [p for c, name, p in link.sent if name == "order" and p["orderId"] == job_id]
        assert len(orders) == (0 if seconds < 300 else 1), seconds
    # a box the hub has on its spreader while the crane says it holds nothing: an alarm
    header = {"timestamp": T0.isoformat(), "crane": crane, "version": "1", "orderId": job_id}
    control.receive(crane, "events", {**header, "messageId": "e1", "type": "picked"}, T0)
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get(job_id).box_aboard
    for seconds in (600, 900):
        control.receive(
            crane, "state", _state(crane, f"t{seconds}"), T0 + timedelta(seconds=seconds)
        )
    with bus.uow_factory() as uow:
        failed = uow.crane_jobs.get(job_id)
    assert failed.state is JobState.FAILED and failed.box_aboard
    assert "reports an empty spreader" in " | ".join(_alarms(store))


def test_a_job_cancelled_behind_crane_controls_back_is_not_sent_and_stops_nothing(
    store: Engine,
) -> None:
    """Found by the twin at four times the 2024 volume: a job cancelled in the store (its
    train gone) while crane control still planned it first on a crane; sending it is
    refused, the view forgets it, and the plan goes on (it used to fail on a KeyError)."""
    bus, floor = _floor(store)
    unload_train(bus, 2)
    control = floor.control
    bus.handle(jobs.PlanCraneJob("J0", box(0).number, "discharge"))
    control.refresh()
    bus.handle(jobs.CancelCraneJob("J0", "the train left"))  # not through crane control
    assert "J0" in control.jobs  # its view is stale
    control.replan(T0)
    assert "J0" not in control.jobs
    control.plan(jobs.PlanCraneJob("J1", box(1).number, "discharge"), T0)
    control.replan(T0)
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get("J0").state is JobState.CANCELLED
        assert uow.crane_jobs.get("J1").state is JobState.SENT


def test_jobs_closed_behind_crane_controls_back_leave_its_plan_without_a_key_error(
    store: Engine,
) -> None:
    """Found by the twin at twice the design volume: when one refused decision makes crane
    control take the hub's state again, the jobs planned after it in the same round may be
    gone from its view; they are passed over (it used to fail on a KeyError)."""
    bus, floor = _floor(store)
    unload_train(bus, 3)
    control = floor.control
    for index in range(3):
        bus.handle(jobs.PlanCraneJob(f"J{index}", box(index).number, "discharge"))
    control.refresh()
    for index in range(2):
        bus.handle(jobs.CancelCraneJob(f"J{index}", "the train left"))
    control.replan(T0)
    assert set(control.jobs) == {"J2"}
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get("J2").state in (JobState.ASSIGNED, JobState.SENT)


def test_a_box_its_job_left_on_top_moves_aside_before_the_box_below_is_sent(
    store: Engine,
) -> None:
    """Found by the twin's first month of 2024: a train left without the box on top (its
    load job cancelled) while the box below kept its own load job. That job was planned
    with no relocation (the box on top was to leave first); sent, its lift was refused,
    the crane stood with it for good and the hub came to a halt. Now the send plans the
    relocation, the job waits for it, and both boxes get where they go."""
    bus, floor = _floor(store)
    unload_train(bus, 2)
    below, top = box(0).number, box(1).number
    bus.handle(commands.MoveContainer(below, parse_place("yard:A-29-01-1")))
    bus.handle(commands.MoveContainer(top, parse_place("yard:A-29-01-2")))
    bus.handle(jobs.PlanCraneJob("top", top, "load"))
    planned = bus.handle(jobs.PlanCraneJob("below", below, "load")).result
    assert [j["job"] for j in planned["jobs"]] == ["below"]  # the top box was to go first
    bus.handle(jobs.CancelCraneJob("top", "its train left without it"))
    bus.handle(jobs.AssignCraneJob("below", "ARMG1"))
    held = bus.handle(jobs.SendCraneJob("below", "ARMG1")).result
    assert held["state"] == "assigned" and held["waits_for"] == ["below:v1:r1"]
    assert [(j["job"], j["box"], j["reason"]) for j in held["jobs"][:-1]] == [
        ("below:v1:r1", top.value, "relocation")
    ]
    floor.run(3600, until=lambda: not _open_jobs(bus))
    assert not _open_jobs(bus)
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get("below").state is JobState.DONE
        assert uow.crane_jobs.get("below:v1:r1").state is JobState.DONE
        assert uow.inventory.boxes_above(below) == []
    assert _alarms(store) == []
    assert audit_store(store) == []


TINY_SITE = Path(__file__).parents[1] / "data" / "sites" / "tiny.toml"


def _full_tiny_yard(tmp_path: Path) -> tuple[MessageBus, CraneFloor, Engine]:
    """The tiny yard's 24 slots full, and train F4 on T1 with boxes 24..29 still aboard."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tiny.db'}")
    migrate(engine)
    install_site(engine, *read_site_file(TINY_SITE))
    bus, floor = _floor(engine)
    for round_ in range(5):
        ids = range(6 * round_, 6 * round_ + 6)
        bus.handle(commands.RegisterTrain(train(f"F{round_}", wagons=6)))
        for index in ids:
            bus.handle(commands.AnnounceContainer(box(index)))
        consist = tuple(
            (box(i).number, WagonSlot(f"F{round_}", k + 1, "A")) for k, i in enumerate(ids)
        )
        bus.handle(commands.ArriveTrain(f"F{round_}", "T1", consist))
        if round_ < 4:
            for index in ids:
                bus.handle(commands.MoveContainer(box(index).number, None))
            bus.handle(commands.DepartTrain(f"F{round_}"))
    with pytest.raises(HubportError, match="no free legal slot"):
        bus.handle(commands.MoveContainer(box(24).number, None))
    return bus, floor, engine


def test_a_box_with_no_room_to_set_down_waits_while_the_other_cranes_work_on(
    tmp_path: Path,
) -> None:
    """Found by the twin at 6.7 times the 2024 volume: a set-down refused for a full
    stretch of the yard broke off the whole plan (the other cranes got no orders) and was
    tried again at every step. Now the job waits for room, out of the plan, with one
    alarm; a load that empties a slot lets it go."""
    bus, floor, engine = _full_tiny_yard(tmp_path)
    with bus.uow_factory() as uow:
        on_top = next(
            box(i).number for i in range(24) if not uow.inventory.boxes_above(box(i).number)
        )
    bus.handle(jobs.PlanCraneJob("stuck", box(24).number, "discharge"))
    bus.handle(jobs.PlanCraneJob("out", on_top, "load", WagonSlot("F4", 1, "B"), train_id="F4"))
    sends = []
    handle = bus.handle

    def counted(command: commands.Command) -> object:
        if isinstance(command, jobs.SendCraneJob):
            sends.append(command.job)
        return handle(command)

    bus.handle = counted  # type: ignore[method-assign]
    floor.run(3600, until=lambda: not _open_jobs(bus))
    assert not _open_jobs(bus)
    with bus.uow_factory() as uow:
        assert uow.crane_jobs.get("out").state is JobState.DONE
        assert uow.crane_jobs.get("stuck").state is JobState.DONE
        assert isinstance(uow.inventory.get(box(24).number).place, YardSlot)
    assert sends.count("stuck") <= 3, sends  # not at every step of the cranes
    assert [a for a in _alarms(engine) if "waits for room" in a] != []
    assert audit_store(engine) == []
