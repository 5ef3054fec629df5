"""The park errors: one subclass of the hub's root per concept."""

from __future__ import annotations

from hubport.domain.errors import HubportError


class ParkError(HubportError):
    """Root of the park context's errors."""


class RequestRefused(ParkError):
    """A step of a request that the state table, the caller's role or the data forbid."""


class RequestNotFound(RequestRefused):
    """No request of that id (or none the caller may see)."""


class ImportRefused(ParkError):
    """An import file, or a request's history in it, that breaks the rules."""


class TaskRefused(ParkError):
    """A task step the four-eyes rule or the task's state forbids."""


class StateTableError(ParkError):
    """A state table file that is missing a state or names an unknown one."""
