"""The message bus: runs a command's handler and the event handlers it chains, in one
transaction, and answers a repeated external message with its first result."""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, Self, TypeVar

from hubport.domain.errors import ConcurrentUpdate, HubportError
from hubport.domain.events import Event
from hubport.services.clock import Clock
from hubport.services.commands import Author, Command
from hubport.services.unit_of_work import Cause, StoredResult, UnitOfWork

log = logging.getLogger(__name__)

_ATTEMPTS = 5
#: The first pause between two tries, in seconds; it doubles with each try.
_BACKOFF_S = 0.01

CommandHandler = Callable[[Any, Any, Clock], dict[str, Any]]
EventHandler = Callable[[Any, Any, Clock], None]


class Transaction(Protocol):
    """What the bus needs of a unit of work: the hub's, or a bounded context's own."""

    exclusive: bool

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def find_result(self, idempotency_key: str) -> StoredResult | None: ...

    def chained_events(self) -> Sequence[Any]:
        """The events recorded so far, a list that grows as event handlers record more."""
        ...

    def commit(self, cause: Cause) -> None: ...

    def rollback(self) -> None: ...


class IdempotencyConflict(HubportError):
    """An idempotency key came back with different content."""

    def __init__(self, key: str, command: str):
        self.key = key
        super().__init__(
            f"message {key!r} was already applied as a {command} with other content; "
            "a changed message needs a new key"
        )


@dataclass(frozen=True)
class Outcome:
    """What handling a command did: its result, and whether it was a repeat."""

    result: dict[str, Any]
    repeat: bool = False
    events: Sequence[Event] = field(default_factory=tuple)


UnitOfWorkT = TypeVar("UnitOfWorkT", bound=Transaction)


class MessageBus(Generic[UnitOfWorkT]):
    """Dispatches commands to their handler and chains events within the same transaction."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWorkT],
        clock: Clock,
        command_handlers: Mapping[type[Command], CommandHandler],
        event_handlers: Mapping[type[Event], Sequence[EventHandler]],
        author: Author | None = None,
    ):
        self.uow_factory = uow_factory
        #: Who the commands that name no author come from (this process's own account).
        self.author = author or Author("hubport", "system", "runtime")
        self.clock = clock
        self.command_handlers = command_handlers
        self.event_handlers = event_handlers
        #: Commands run again after losing a race (for the runtime's metrics).
        self.retries = 0
        #: Commands applied, and repeats acknowledged without change (for the figures).
        self.applied = self.repeats = 0

    def handle(self, command: Command) -> Outcome:
        """Apply ``command`` once; a repeat of its idempotency key changes nothing.

        A command that lost a race is run again on the state the other writer left, after
        a short random pause that grows with each try; the last try takes the store's
        write lock up front (``UnitOfWork.exclusive``), so that a command from a person at
        a desk gets through however busy the hub's own writers are."""
        for attempt in range(_ATTEMPTS - 1):
            try:
                return self._handle(command)
            except ConcurrentUpdate as error:
                log.info("retrying %s: %s", type(command).__name__, error)
                self.retries += 1
                time.sleep(random.uniform(0, _BACKOFF_S * 2**attempt))
        return self._handle(command, exclusive=True)

    def preview(self, command: Command) -> Outcome:
        """What ``command`` would do, computed in a transaction that is rolled back."""
        handler = self.command_handlers.get(type(command))
        if handler is None:
            raise HubportError(f"no handler for command {type(command).__name__}")
        with self.uow_factory() as uow:
            key = command.idempotency_key
            stored = uow.find_result(key) if key is not None else None
            if stored is not None:
                if stored.digest != command.digest():
                    raise IdempotencyConflict(key or "", stored.command)
                return Outcome(stored.result, repeat=True)
            result = handler(command, uow, self.clock)
            events = self._chain(uow)
            uow.rollback()
        return Outcome(result, repeat=False, events=tuple(events))

    def _handle(self, command: Command, exclusive: bool = False) -> Outcome:
        handler = self.command_handlers.get(type(command))
        if handler is None:
            raise HubportError(f"no handler for command {type(command).__name__}")
        digest = command.digest()
        uow = self.uow_factory()
        uow.exclusive = exclusive
        with uow:
            key = command.idempotency_key
            if key is not None:
                stored = uow.find_result(key)
                if stored is not None:
                    if stored.digest != digest:
                        raise IdempotencyConflict(key, stored.command)
                    log.info("repeat of %s acknowledged, nothing changed", key)
                    self.repeats += 1
                    return Outcome(stored.result, repeat=True)
            result = handler(command, uow, self.clock)
            events = self._chain(uow)
            author = command.author or self.author
            cause = Cause(
                type(command).__name__,
                str(uuid.uuid4()),
                key,
                digest,
                result,
                (author.account, author.role, author.channel),
            )
            uow.commit(cause)
        self.applied += 1
        return Outcome(result, repeat=False, events=tuple(events))

    def _chain(self, uow: Transaction) -> list[Event]:
        pending = uow.chained_events()
        index = 0
        while index < len(pending):
            event = pending[index]
            for handler in self.event_handlers.get(type(event), ()):
                handler(event, uow, self.clock)
            index += 1
        return list(pending)


#: The hub's own bus: its commands on the hub's unit of work.
HubBus = MessageBus[UnitOfWork]
