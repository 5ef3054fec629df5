"""The users' use cases: adding a user (the token is made and shown by the caller) and the
language its console speaks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubport.domain.access import (
    LANGUAGES,
    AccessError,
    LanguageChosen,
    TokenIssued,
    TokenRevoked,
    User,
    UserAdded,
)
from hubport.services import access_commands as access
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork


def add_user(command: access.AddUser, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    user = User(
        command.name,
        command.role,
        command.party,
        command.token_digest,
        clock.now(),
        command.language,
        command.token_expires_at,
    )
    uow.users.add(user)
    uow.inventory.note(UserAdded(user.created_at, user.name, user.role, user.party))
    return _shown(user)


def choose_language(
    command: access.ChooseLanguage, uow: UnitOfWork, clock: Clock
) -> dict[str, Any]:
    if command.language not in LANGUAGES:
        raise AccessError(f"language {command.language!r} is not one of {', '.join(LANGUAGES)}")
    user = uow.users.choose_language(command.name, command.language)
    uow.inventory.note(LanguageChosen(clock.now(), user.name, user.language))
    return {"user": user.name, "language": user.language}


def issue_token(command: access.IssueToken, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    user = uow.users.issue_token(command.name, command.token_digest, command.expires_at)
    uow.inventory.note(TokenIssued(clock.now(), user.name, user.token_expires_at))
    return _shown(user)


def revoke_token(command: access.RevokeToken, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    user = uow.users.revoke_token(command.name, command.at)
    uow.inventory.note(TokenRevoked(clock.now(), user.name, command.reason))
    return _shown(user)


def _shown(user: User) -> dict[str, Any]:
    expires = user.token_expires_at
    return {
        "user": user.name,
        "role": user.role,
        "party": user.party,
        "language": user.language,
        "token_expires_at": None if expires is None else expires.isoformat(),
    }


ACCESS_HANDLERS: Mapping[type[Command], CommandHandler] = {
    access.AddUser: add_user,
    access.ChooseLanguage: choose_language,
    access.IssueToken: issue_token,
    access.RevokeToken: revoke_token,
}

__all__ = ["ACCESS_HANDLERS"]
