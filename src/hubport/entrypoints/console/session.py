"""Who is looking at the console: the token a user logs in with, kept in a cookie.

The cookie is HttpOnly and SameSite=Strict, so another site's page can neither read it nor
send a form with it; a form post must also come from the console's own origin.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import Request

from hubport.domain.access import ROLES, User
from hubport.services.queries import Queries

COOKIE = "hubport_token"


class LoginNeeded(Exception):
    """No cookie, or one that opens nothing: the login page answers."""


class NotAllowed(Exception):
    """The user's role may not see this page."""

    def __init__(self, user: User, roles: tuple[str, ...]):
        super().__init__(f"role {user.role} may not see this page")
        self.user, self.roles = user, roles


class ForeignForm(Exception):
    """A form posted from another origin than the console's."""


def current_user(request: Request) -> User | None:
    token = request.cookies.get(COOKIE, "").strip()
    if not token:
        return None
    queries: Queries = request.app.state.queries
    return queries.user_of_token(token)


def allow_page(*roles: str) -> Callable[[Request], User]:
    """A dependency that answers the user looking at the page, when its role is allowed."""
    if set(roles) - set(ROLES):
        raise ValueError(f"unknown roles {sorted(set(roles) - set(ROLES))}")

    def looker(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise LoginNeeded
        if user.role not in roles:
            raise NotAllowed(user, roles)
        if request.method == "POST":
            check_origin(request)
        return user

    looker.roles = roles  # type: ignore[attr-defined]
    return looker


def check_origin(request: Request) -> None:
    """A form post comes from the console's own origin (when the browser says where)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise ForeignForm(origin)


__all__ = ["COOKIE", "ForeignForm", "LoginNeeded", "NotAllowed", "allow_page", "current_user"]
