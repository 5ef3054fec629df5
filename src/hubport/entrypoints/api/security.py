"""Bearer tokens and roles: every endpoint says which roles it allows.

No token, or one that opens nothing: 401. A role the endpoint does not allow: 403. A
shipper asking for another party's box gets 404, as if it did not exist.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

from fastapi import Header, Request

from hubport.domain.access import OUTSIDE_HUB_ROLES, ROLES, User
from hubport.entrypoints.api.errors import ApiError
from hubport.entrypoints.api.throttle import FailedAuthentications, source_of
from hubport.services.commands import Author, Command
from hubport.services.queries import Queries

C = TypeVar("C", bound=Command)

#: Common sets of roles: every account, and those of the hub's own business (the
#: futures site's parties see its deliveries, not the hub's boxes).
EVERYONE = ROLES
HUB_USERS = tuple(role for role in ROLES if role not in OUTSIDE_HUB_ROLES)
STAFF = ("operator", "customs", "viewer", "admin")
CUSTOMS = ("customs",)
OPERATORS = ("operator", "admin")


def bearer(authorization: str) -> str:
    """The token of an ``Authorization: Bearer TOKEN`` header ("" when there is none)."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authored(request: Request, command: C) -> C:
    """``command`` in the name of the request's authenticated caller."""
    author = getattr(request.state, "author", None)
    if author is None or command.author is not None:
        return command
    return dataclasses.replace(command, author=author)


def allow(*roles: str) -> Callable[..., User]:
    """A dependency that answers the calling user when its role is one of ``roles``."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def caller(request: Request, authorization: str | None = Header(default=None)) -> User:
        token = bearer(authorization or "")
        if not token:
            raise ApiError(401, "unauthorised", "send a bearer token: Authorization: Bearer TOKEN")
        failures: FailedAuthentications = request.app.state.failed_authentications
        source = source_of(request)
        wait = failures.wait(source)
        if wait:
            raise ApiError(
                429,
                "too_many_failures",
                f"too many failed authentications from {source}; try again in {wait:.0f} s",
            )
        queries: Queries = request.app.state.queries
        user = queries.user_of_token(token)
        if user is None:
            failures.failed(source, request.url.path, "the token opens nothing")
            raise ApiError(401, "unauthorised", "the token opens nothing")
        if user.role not in roles:
            raise ApiError(
                403, "forbidden", f"role {user.role} may not do this (allowed: {', '.join(roles)})"
            )
        request.state.author = Author(user.name, user.role, "api")
        return user

    caller.roles = roles  # type: ignore[attr-defined]
    return caller


__all__ = [
    "CUSTOMS",
    "EVERYONE",
    "HUB_USERS",
    "OPERATORS",
    "STAFF",
    "allow",
    "authored",
    "bearer",
]
