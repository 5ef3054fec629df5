"""Commands about the platform's users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubport.services.commands import Command


@dataclass(frozen=True)
class AddUser(Command):
    """Add a user with a role (a shipper with its party); ``token_digest`` is the SHA-256
    of the token the caller gave the user once: the token itself is never stored."""

    name: str
    role: str
    token_digest: str
    party: str | None = None
    language: str = "en"
    #: Wall-clock time the token stops opening (None: never).
    token_expires_at: datetime | None = None


@dataclass(frozen=True)
class ChooseLanguage(Command):
    """Speak to user ``name`` in ``language`` (en or zh) from now on."""

    name: str
    language: str


@dataclass(frozen=True)
class IssueToken(Command):
    """Give user ``name`` a new token (its SHA-256 digest); the old one stops opening."""

    name: str
    token_digest: str
    #: Wall-clock time the new token stops opening (None: never).
    expires_at: datetime | None = None


@dataclass(frozen=True)
class RevokeToken(Command):
    """Revoke user ``name``'s token at wall-clock ``at``: it opens nothing from then on,
    and the event streams it opened close."""

    name: str
    at: datetime
    reason: str = ""


__all__ = ["AddUser", "ChooseLanguage", "IssueToken", "RevokeToken"]
