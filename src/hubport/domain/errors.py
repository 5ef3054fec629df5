"""The error tree: one root, one subclass per concept, messages that name the bad value."""

from __future__ import annotations


class HubportError(Exception):
    """Root of every error hubport raises on purpose."""


def shown(text: str, limit: int = 24) -> str:
    """``text`` as an error may quote it: in quotes, cut to a short prefix."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text)} chars)"


class InvalidContainerNumber(HubportError):
    """A container number that is not a valid ISO 6346 number."""

    def __init__(self, number: str, reason: str, expected_check_digit: str | None = None):
        self.number = number
        self.reason = reason
        self.expected_check_digit = expected_check_digit
        super().__init__(f"invalid container number {shown(number)}: {reason}")


class UnknownSizeType(HubportError):
    """An ISO 6346 size-type code hubport does not know."""

    def __init__(self, code: str, known: list[str], reason: str | None = None):
        self.code = code
        self.known = known
        detail = reason or "not an ISO 6346 size-type code"
        super().__init__(
            f"unknown size-type code {code!r} ({detail}); common codes: {', '.join(known)}"
        )


class InvalidContainer(HubportError):
    """A container's attributes contradict each other or are out of range."""


class SiteError(HubportError):
    """A site layout that is inconsistent or refers to things that do not exist."""


class InvalidPlace(HubportError):
    """A place that does not exist at this site or cannot be spelled as given."""


class StackingRuleViolation(HubportError):
    """A move that would break a stacking rule; the yard is left unchanged."""

    def __init__(self, number: str, place: str, rule: str):
        self.number = number
        self.place = place
        self.rule = rule
        super().__init__(f"cannot put {number} at {place}: {rule}")


class PlaceOccupied(HubportError):
    """A position is already taken by another box."""

    def __init__(self, place: str, occupant: str):
        self.place = place
        self.occupant = occupant
        super().__init__(f"{place} is occupied by {occupant}")


class ContainerNotFound(HubportError):
    """A container number the hub has no record of."""

    def __init__(self, number: str):
        self.number = number
        super().__init__(f"no container {number} is known at the hub")


class InvalidOperation(HubportError):
    """An operation not allowed in the box's current state (wrong place, not on top, held)."""

    def __init__(self, number: str, reason: str):
        self.number = number
        self.reason = reason
        super().__init__(f"{number}: {reason}")


class VisitError(HubportError):
    """A train, truck or vessel visit that does not exist or is in the wrong state."""


class ConcurrentUpdate(HubportError):
    """Another writer changed the same boxes or positions first; nothing was applied."""


class ConfigurationError(HubportError):
    """A configuration value that cannot be used."""


class InvalidBay(HubportError):
    """A bay (stacks of priorities) that an optimiser cannot take as given."""


class BayFileError(HubportError):
    """A bay file that cannot be read; the message names the file, line and problem."""

    def __init__(self, path: str, line: int, problem: str):
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path}:{line}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, int, str]]:
        return (type(self), (self.path, self.line, self.problem))


class InvalidPlan(HubportError):
    """A move list that does not replay to a valid solution of its problem."""

    def __init__(self, step: int, problem: str):
        self.step = step
        self.problem = problem
        super().__init__(f"move {step}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[int, str]]:
        return (type(self), (self.step, self.problem))


class InvalidSchedule(HubportError):
    """A crane-scheduling problem or instance file that cannot be scheduled as given."""


class CraneJobRefused(HubportError):
    """A crane job transition or confirmation that contradicts the job or the inventory."""

    def __init__(self, job: str, problem: str):
        self.job = job
        self.problem = problem
        super().__init__(f"crane job {job}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.job, self.problem))


class EquipmentMessageRejected(HubportError):
    """A message on the equipment bus that is malformed, unknown or of another version."""


class InvalidLoadRequest(HubportError):
    """A train load-planning request that breaks its format or contradicts itself; the
    message names the field, wagon, slot or box."""

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.where, self.problem))
