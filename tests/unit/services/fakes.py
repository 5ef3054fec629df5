"""An in-memory unit of work: committed events are the store, replayed on each load."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hubport.domain.access import User, UserBook
from hubport.domain.crane_jobs import CraneJob, CraneJobBook
from hubport.domain.customs import CustomsBook, Declaration, Hold
from hubport.domain.errors import ConcurrentUpdate
from hubport.domain.events import Event
from hubport.domain.gate import Appointment, AppointmentBook
from hubport.domain.inventory import Inventory
from hubport.domain.site import Site
from hubport.domain.track_reservations import TrackReservation
from hubport.services.unit_of_work import Cause, StoredResult, UnitOfWork


class FakeStore:
    def __init__(self, site: Site):
        self.site = site
        self.events: list[Event] = []
        self.inbox: dict[str, StoredResult] = {}
        self.commits = 0
        self.crane_jobs: dict[str, CraneJob] = {}
        self.declarations: dict[str, Declaration] = {}
        self.holds: dict[str, Hold] = {}
        self.appointments: dict[str, Appointment] = {}
        self.users: dict[str, User] = {}
        self.track_reservations: list[TrackReservation] = []
        #: What the billing ledger would say of a box at the out-gate.
        self.unpaid: dict[str, str] = {}


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, store: FakeStore):
        super().__init__()
        self.store = store
        self.site = store.site

    def payment_refusal(self, box: str, at: datetime) -> str | None:
        return self.store.unpaid.get(box)

    def _load_inventory(self) -> Inventory:
        inventory = Inventory(self.site)
        for event in self.store.events:
            inventory.apply(event)
        return inventory

    def _load_crane_jobs(self) -> CraneJobBook:
        jobs = self.store.crane_jobs

        def fetch_open(crane: str | None) -> list[CraneJob]:
            return [j for j in jobs.values() if j.open and crane in (None, j.crane)]

        return CraneJobBook(jobs.get, fetch_open)

    def _load_customs(self) -> CustomsBook:
        declarations, holds = self.store.declarations, self.store.holds

        def of_boxes(numbers: Iterable[str]) -> list[Declaration]:
            wanted = set(numbers)
            return [d for d in declarations.values() if wanted & set(d.boxes)]

        def holds_on(numbers: Iterable[str]) -> list[Hold]:
            wanted = set(numbers)
            return [h for h in holds.values() if h.number in wanted]

        return CustomsBook(declarations.get, of_boxes, holds_on, holds.get)

    def _load_appointments(self) -> AppointmentBook:
        stored = self.store.appointments

        def in_window(start: datetime, end: datetime) -> list[Appointment]:
            return [a for a in stored.values() if start <= a.window_start < end]

        def of_plate(plate: str) -> list[Appointment]:
            return [a for a in stored.values() if a.plate == plate]

        def of_box(number: str) -> list[Appointment]:
            return [a for a in stored.values() if a.number == number]

        return AppointmentBook(stored.get, in_window, of_plate, of_box)

    def _load_users(self) -> UserBook:
        return UserBook(self.store.users.get)

    def track_reservations(
        self, track: str, start: datetime, end: datetime
    ) -> list[TrackReservation]:
        return [
            r
            for r in self.store.track_reservations
            if r.track == track and r.start < end and start < r.end
        ]

    def find_result(self, idempotency_key: str) -> StoredResult | None:
        return self.store.inbox.get(idempotency_key)

    def commit(self, cause: Cause) -> None:
        if self._inventory is not None:
            self.store.events.extend(self._inventory.pending)
            self._inventory.pending.clear()
        if self._crane_jobs is not None:
            for job, expected in self._crane_jobs.pending_writes():
                stored = self.store.crane_jobs.get(job.id)
                if (stored.version if stored is not None else None) != expected:
                    raise ConcurrentUpdate(f"crane job {job.id} changed since it was read")
                self.store.crane_jobs[job.id] = job
            self._crane_jobs = None
        if self._customs is not None:
            written, holds = self._customs.pending_writes()
            for declaration, _expected in written:
                self.store.declarations[declaration.id] = declaration
            for hold, _expected in holds:
                self.store.holds[hold.id] = hold
            self._customs = None
        if self._appointments is not None:
            for appointment, _expected in self._appointments.pending_writes():
                self.store.appointments[appointment.id] = appointment
            self._appointments = None
        if self._users is not None:
            self.store.users.update({user.name: user for user in self._users.added})
            self._users = None
        if cause.idempotency_key is not None:
            self.store.inbox[cause.idempotency_key] = StoredResult(
                cause.command, cause.digest, cause.result
            )
        self.store.commits += 1

    def rollback(self) -> None:
        self._inventory = None
        self._customs = None
        self._appointments = None
