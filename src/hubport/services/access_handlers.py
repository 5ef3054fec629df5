"""The users' use cases: adding a user (the token is made and shown by the caller)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubport.domain.access import User, UserAdded
from hubport.services import access_commands as access
from hubport.services.clock import Clock
from hubport.services.commands import Command
from hubport.services.messagebus import CommandHandler
from hubport.services.unit_of_work import UnitOfWork


def add_user(command: access.AddUser, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    user = User(command.name, command.role, command.party, command.token_digest, clock.now())
    uow.users.add(user)
    uow.inventory.note(UserAdded(user.created_at, user.name, user.role, user.party))
    return {"user": user.name, "role": user.role, "party": user.party}


ACCESS_HANDLERS: Mapping[type[Command], CommandHandler] = {access.AddUser: add_user}

__all__ = ["ACCESS_HANDLERS"]
