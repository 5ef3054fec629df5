"""Who is looking at the console: a server-side session opened by logging in with a token.

The browser holds only a random session id, in a cookie that is HttpOnly, SameSite=Strict
and ``Secure`` when the console is served over HTTPS. The store keeps the id's digest, the
user, and the nonce every form of the session must carry (CSRF). Logging out ends the
session; so does a new or revoked token, and twelve hours. A form post must also come from
the console's own origin when the browser says where it comes from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from fastapi import Request

from hubport.bootstrap import Hub
from hubport.domain.access import ROLES, ConsoleSession, User
from hubport.services.commands import Author

COOKIE = "hubport_session"
#: How long a session lasts (a shift and a half).
SESSION_LASTS = timedelta(hours=12)


class LoginNeeded(Exception):
    """No cookie, or one that opens nothing: the login page answers."""


class NotAllowed(Exception):
    """The user's role may not see this page."""

    def __init__(self, user: User, roles: tuple[str, ...]):
        super().__init__(f"role {user.role} may not see this page")
        self.user, self.roles = user, roles


class ForeignForm(Exception):
    """A form posted from another origin than the console's, or without its session's
    nonce."""


@dataclass(frozen=True)
class Looker:
    """The user looking at the console, and the session they look through."""

    user: User
    session: ConsoleSession


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def current(request: Request) -> Looker | None:
    session_id = request.cookies.get(COOKIE, "").strip()
    if not session_id or len(session_id) > 100:
        return None
    hub = _hub(request)
    session = hub.console_sessions().find(session_id)
    if session is None:
        return None
    user = hub.queries.user(session.user_name)
    if user is None or not session.opens_for(user, datetime.now(UTC)):
        return None
    request.state.csrf = session.nonce
    return Looker(user, session)


def current_user(request: Request) -> User | None:
    looker = current(request)
    return None if looker is None else looker.user


def open_session(request: Request, user: User) -> str:
    """A new session for ``user``; its id, for the cookie."""
    session_id, _session = (
        _hub(request).console_sessions().open(user, datetime.now(UTC), SESSION_LASTS)
    )
    return session_id


def end_session(request: Request) -> None:
    session_id = request.cookies.get(COOKIE, "").strip()
    if session_id and len(session_id) <= 100:
        _hub(request).console_sessions().end(session_id, datetime.now(UTC))


def cookie_options(request: Request) -> dict[str, object]:
    """The session cookie's flags: HttpOnly, SameSite=Strict, Secure over HTTPS."""
    return {
        "httponly": True,
        "samesite": "strict",
        "secure": request.url.scheme == "https",
        "max_age": int(SESSION_LASTS.total_seconds()),
        "path": "/console",
    }


def allow_page(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency that answers the user looking at the page, when its role is allowed;
    a form post must carry its session's nonce."""
    if set(roles) - set(ROLES):
        raise ValueError(f"unknown roles {sorted(set(roles) - set(ROLES))}")

    async def looker(request: Request) -> User:
        found = current(request)
        if found is None:
            raise LoginNeeded
        if found.user.role not in roles:
            raise NotAllowed(found.user, roles)
        request.state.author = Author(found.user.name, found.user.role, "console")
        if request.method == "POST":
            check_origin(request)
            form = await request.form()
            if form.get("csrf") != found.session.nonce:
                raise ForeignForm("a form without this session's nonce")
        return found.user

    looker.roles = roles  # type: ignore[attr-defined]
    return looker


def check_origin(request: Request) -> None:
    """A form post comes from the console's own origin (when the browser says where)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise ForeignForm(origin)


__all__ = [
    "COOKIE",
    "SESSION_LASTS",
    "ForeignForm",
    "LoginNeeded",
    "Looker",
    "NotAllowed",
    "allow_page",
    "check_origin",
    "cookie_options",
    "current",
    "current_user",
    "end_session",
    "open_session",
]
