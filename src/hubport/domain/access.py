"""Who may do what: the platform's users, their roles and tokens, and what a shipper sees.

A user has one role. A ``shipper`` is a party (its code): it sees, and acts on, only the
boxes whose operator is that party, and the appointments for those boxes. A token is
given once, when the user is added; only its SHA-256 digest is kept (tokens are 256 random
bits, so a fast digest is as safe to keep as a slow password hash).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar

from hubport.domain.container import Container
from hubport.domain.errors import HubportError
from hubport.domain.events import Event

ROLES = (
    "operator",
    "customs",
    "shipper",
    "viewer",
    "admin",
    "railway",
    "gate",
    "equipment",
    "exchange",
    "member",
    "inspector",
    "park-admin",
    "department",
    "enterprise",
    "billing",
)
#: The machine roles: actors of the world, each allowed only its own writes (the railway
#: its trains, the gate portal its transactions, a crane vendor's bridge its reports).
MACHINE_ROLES = ("railway", "gate", "equipment")
#: The log-futures delivery site's parties: the exchange, its members (buyers and sellers,
#: each under its member code) and the inspection body. They see the deliveries, not the
#: hub's boxes.
FUTURES_ROLES = ("exchange", "member", "inspector")
#: The industrial park's people: its service office, the departments (each under its
#: code) and the enterprises (each under its name). They see the park, not the hub's boxes.
PARK_ROLES = ("park-admin", "department", "enterprise")
#: The roles that act for a party: a shipper for its line, a member for its member code,
#: a department for its code, an enterprise for itself.
PARTY_ROLES = ("shipper", "member", "department", "enterprise")
#: The roles of the contexts beside the hub: they see none of the hub's boxes.
OUTSIDE_HUB_ROLES = FUTURES_ROLES + PARK_ROLES
#: The console's languages: English and Chinese (the site's staff work in Chinese).
LANGUAGES = ("en", "zh")


class AccessError(HubportError):
    """A user that cannot be added, or a token that opens nothing."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    party: str | None
    token_digest: str
    created_at: datetime
    language: str = "en"
    #: The wall-clock time the token stops opening (None: never).
    token_expires_at: datetime | None = None

    def token_open(self, now: datetime) -> bool:
        """Whether the user's token still opens anything at wall-clock ``now``."""
        return self.token_expires_at is None or now < self.token_expires_at

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 60 or not self.name.isprintable():
            raise AccessError(f"user name {self.name!r} must be 1-60 printable characters")
        if self.role not in ROLES:
            raise AccessError(f"role {self.role!r} is not one of {', '.join(ROLES)}")
        if self.role in PARTY_ROLES and not self.party:
            raise AccessError(f"user {self.name}: a {self.role} needs its party code (--party)")
        if self.role not in PARTY_ROLES and self.party:
            raise AccessError(
                f"user {self.name}: only a shipper, member, department or enterprise belongs "
                "to a party"
            )
        if self.language not in LANGUAGES:
            raise AccessError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")

    def sees(self, container: Container) -> bool:
        """Whether the user may see (and act on) this box."""
        if self.role in OUTSIDE_HUB_ROLES:
            return False
        return self.role != "shipper" or container.operator == self.party


@dataclass(frozen=True)
class ConsoleSession:
    """A user's console session: the user, the token digest it logged in with (a new or
    revoked token ends it), the nonce its forms must carry, and its end."""

    user_name: str
    token_digest: str
    nonce: str
    expires_at: datetime
    ended_at: datetime | None = None

    def opens_for(self, user: User | None, now: datetime) -> bool:
        """Whether the session still lets ``user`` in at wall-clock ``now``."""
        return (
            user is not None
            and user.name == self.user_name
            and self.ended_at is None
            and now < self.expires_at
            and user.token_digest == self.token_digest
            and user.token_open(now)
        )


def new_token() -> str:
    """A fresh bearer token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class UserAdded(Event):
    """A user was added (its token is not in the log)."""

    changes_inventory: ClassVar[bool] = False

    name: str
    role: str
    party: str | None


@dataclass(frozen=True)
class LanguageChosen(Event):
    """A user chose the language the console speaks to it."""

    changes_inventory: ClassVar[bool] = False

    name: str
    language: str


@dataclass(frozen=True)
class TokenIssued(Event):
    """A user was given a new token; the one before opens nothing any more."""

    changes_inventory: ClassVar[bool] = False

    name: str
    expires_at: datetime | None = None


@dataclass(frozen=True)
class TokenRevoked(Event):
    """A user's token was revoked: it opens nothing, its open streams close."""

    changes_inventory: ClassVar[bool] = False

    name: str
    reason: str = ""


class UserBook:
    """The users one unit of work reads and adds."""

    def __init__(self, fetch: Callable[[str], User | None]):
        self._fetch = fetch
        self.added: list[User] = []
        self.changed: dict[str, User] = {}

    def find(self, name: str) -> User | None:
        for user in self.added:
            if user.name == name:
                return user
        return self.changed.get(name) or self._fetch(name)

    def add(self, user: User) -> None:
        if self.find(user.name) is not None:
            raise AccessError(f"user {user.name!r} exists already")
        self.added.append(user)

    def choose_language(self, name: str, language: str) -> User:
        """The user ``name`` with its console in ``language`` (kept in ``changed``)."""
        return self._change(name, language=language)

    def issue_token(self, name: str, digest: str, expires_at: datetime | None) -> User:
        """The user ``name`` with a new token's digest (kept in ``changed``)."""
        return self._change(name, token_digest=digest, token_expires_at=expires_at)

    def revoke_token(self, name: str, at: datetime) -> User:
        """The user ``name`` whose token stopped opening at ``at``."""
        return self._change(name, token_expires_at=at)

    def _change(self, name: str, **values: Any) -> User:
        user = self.find(name)
        if user is None:
            raise AccessError(f"no user {name!r} is known")
        changed = replace(user, **values)
        self.added = [changed if u.name == name else u for u in self.added]
        self.changed[name] = changed
        return changed


__all__ = [
    "FUTURES_ROLES",
    "LANGUAGES",
    "MACHINE_ROLES",
    "OUTSIDE_HUB_ROLES",
    "PARK_ROLES",
    "PARTY_ROLES",
    "ROLES",
    "AccessError",
    "ConsoleSession",
    "LanguageChosen",
    "TokenIssued",
    "TokenRevoked",
    "User",
    "UserAdded",
    "UserBook",
    "new_token",
    "token_digest",
]
