"""The unit of work: one command, one transaction, all or nothing."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from hubport.domain.access import UserBook
from hubport.domain.crane_jobs import CraneJobBook
from hubport.domain.customs import CustomsBook
from hubport.domain.events import Event
from hubport.domain.gate import AppointmentBook
from hubport.domain.inventory import Inventory
from hubport.domain.site import Site
from hubport.domain.track_reservations import TrackReservation


@dataclass(frozen=True)
class Cause:
    """Why the pending events happened: the command, its run id and its idempotency key."""

    command: str
    command_id: str
    idempotency_key: str | None
    digest: str
    result: dict[str, Any]
    #: Who asked: (account, role, channel).
    author: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class StoredResult:
    """What the first handling of an idempotency key answered."""

    command: str
    digest: str
    result: dict[str, Any]


class UnitOfWork(abc.ABC):
    """Gives a handler the inventory and keeps its changes until ``commit``."""

    site: Site
    #: Take the store's write lock up front rather than read without one and be refused at
    #: commit when another writer came between (the bus's last try of a command).
    exclusive: bool = False

    def __init__(self) -> None:
        self._inventory: Inventory | None = None
        self._crane_jobs: CraneJobBook | None = None
        self._customs: CustomsBook | None = None
        self._appointments: AppointmentBook | None = None
        self._users: UserBook | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()

    @property
    def inventory(self) -> Inventory:
        """The hub's inventory, loaded on first use within this unit of work."""
        if self._inventory is None:
            self._inventory = self._load_inventory()
        return self._inventory

    @property
    def loaded(self) -> bool:
        return self._inventory is not None

    def chained_events(self) -> list[Event]:
        """The inventory's pending events (a live list: event handlers add to it)."""
        return self._inventory.pending if self._inventory is not None else []

    @property
    def crane_jobs(self) -> CraneJobBook:
        """The crane jobs, fetched as the handler asks for them."""
        if self._crane_jobs is None:
            self._crane_jobs = self._load_crane_jobs()
        return self._crane_jobs

    @property
    def customs(self) -> CustomsBook:
        """The customs declarations and holds, fetched as the handler asks for them."""
        if self._customs is None:
            self._customs = self._load_customs()
        return self._customs

    @abc.abstractmethod
    def _load_inventory(self) -> Inventory: ...

    @abc.abstractmethod
    def _load_customs(self) -> CustomsBook: ...

    @property
    def appointments(self) -> AppointmentBook:
        """The gate's truck appointments, fetched as the handler asks for them."""
        if self._appointments is None:
            self._appointments = self._load_appointments()
        return self._appointments

    @abc.abstractmethod
    def _load_appointments(self) -> AppointmentBook: ...

    @property
    def users(self) -> UserBook:
        """The platform's users (names, roles, token digests)."""
        if self._users is None:
            self._users = self._load_users()
        return self._users

    @abc.abstractmethod
    def _load_users(self) -> UserBook: ...

    @abc.abstractmethod
    def _load_crane_jobs(self) -> CraneJobBook: ...

    @abc.abstractmethod
    def track_reservations(
        self, track: str, start: datetime, end: datetime
    ) -> list[TrackReservation]:
        """The active reservations of ``track`` that meet the window."""

    def payment_refusal(self, box: str, at: datetime) -> str | None:
        """Why ``box`` may not leave through the out-gate at ``at`` for its charges (the
        billing ledger's answer where the hub bills), or None."""
        return None

    @abc.abstractmethod
    def find_result(self, idempotency_key: str) -> StoredResult | None:
        """The stored result of a key already applied, or None."""

    @abc.abstractmethod
    def commit(self, cause: Cause) -> None:
        """Store the inventory's pending events, their effects and the cause, atomically."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Forget everything not committed."""
