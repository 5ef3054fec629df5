"""The console's forms: logging in and out, the language, and the customs desk's holds
and releases. Each write is one bus command, keyed by the form's nonce so that a form sent
twice (a double click, a reload) changes nothing the second time."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hubport.bootstrap import Hub
from hubport.domain.access import LANGUAGES, OUTSIDE_HUB_ROLES, User
from hubport.domain.container import ContainerNumber
from hubport.domain.errors import HubportError
from hubport.entrypoints.api.security import authored
from hubport.entrypoints.api.throttle import WINDOW_S, FailedAuthentications, source_of
from hubport.entrypoints.console.i18n import render
from hubport.entrypoints.console.pages import EVERYONE, customs_page, error_of, queries_of
from hubport.entrypoints.console.session import (
    COOKIE,
    ForeignForm,
    allow_page,
    check_origin,
    cookie_options,
    current,
    end_session,
    open_session,
)
from hubport.services import access_commands as access
from hubport.services import customs_commands as customs
from hubport.services.commands import Command

router = APIRouter(prefix="/console", include_in_schema=False)
Nonce = Annotated[str, Form(max_length=64)]


def send(request: Request, command: Command) -> None:
    hub: Hub = request.app.state.hub
    hub.bus.handle(authored(request, command))


def _key(user: User, nonce: str) -> str | None:
    return f"console:{user.name}:{nonce}" if nonce else None


def back(request: Request, fallback: str) -> str:
    """Where a form returns: the page it came from, when that is the console's."""
    target = request.headers.get("referer", "")
    prefix = f"{request.url.scheme}://{request.url.netloc}/console/"
    return target if target.startswith(prefix) else fallback


@router.get("/login")
def login_page(request: Request, lang: str = "en") -> HTMLResponse:
    language = lang if lang in LANGUAGES else "en"
    return HTMLResponse(render(language, "login.html", error=None, path=request.url.path))


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    lang: Annotated[str, Form(max_length=5)] = "en",
) -> Response:
    check_origin(request)
    language = lang if lang in LANGUAGES else "en"
    failures: FailedAuthentications = request.app.state.failed_authentications
    source = source_of(request)
    if failures.wait(source):
        html = render(language, "login.html", error="too_many_failures", path=request.url.path)
        return HTMLResponse(html, status_code=429, headers={"Retry-After": str(int(WINDOW_S))})
    user = queries_of(request).user_of_token(token.strip()) if token.strip() else None
    if user is None:
        failures.failed(source, request.url.path, "the token opens nothing")
        html = render(language, "login.html", error="unauthorised", path=request.url.path)
        return HTMLResponse(html, status_code=401)
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(COOKIE, open_session(request, user), **cookie_options(request))  # type: ignore[arg-type]
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session: its cookie opens nothing any more, even if it was copied."""
    check_origin(request)
    looker = current(request)
    form = await request.form()
    if looker is not None and form.get("csrf") != looker.session.nonce:
        raise ForeignForm("a form without this session's nonce")
    end_session(request)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.post("/language")
def language(
    request: Request,
    user: Annotated[User, Depends(allow_page(*EVERYONE, *OUTSIDE_HUB_ROLES))],
    choice: Annotated[str, Form(alias="language", pattern="^(en|zh)$")],
) -> Response:
    """The language the console speaks to this user from now on (kept with the user)."""
    send(request, access.ChooseLanguage(user.name, choice))
    return RedirectResponse(back(request, "/console/"), status_code=303)


@router.post("/customs/holds")
def place_hold(
    request: Request,
    user: Annotated[User, Depends(allow_page("customs"))],
    box: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=500)] = "",
    nonce: Nonce = "",
) -> Response:
    """Hold a box from the desk: it is loaded on nothing until the hold is lifted."""
    try:
        number = ContainerNumber(box.strip().upper())
        hold_id = f"desk-{number.value}-{nonce or secrets.token_hex(4)}"
        command = customs.PlaceHold(
            number,
            hold_id,
            reason or "customs hold",
            role=user.role,
            idempotency_key=_key(user, nonce),
        )
        send(request, command)
    except HubportError as error:
        return _refused(request, user, error)
    return RedirectResponse(f"/console/customs?box={number.value}", status_code=303)


@router.post("/customs/holds/{hold_id}/lift")
def lift_hold(
    request: Request,
    hold_id: str,
    user: Annotated[User, Depends(allow_page("customs"))],
    nonce: Nonce = "",
) -> Response:
    lift = customs.LiftHold(
        hold_id, "lifted at the desk", role=user.role, idempotency_key=_key(user, nonce)
    )
    return _at_desk(request, user, lift)


@router.post("/customs/declarations/{declaration_id}/release")
def release(
    request: Request,
    declaration_id: str,
    user: Annotated[User, Depends(allow_page("customs"))],
    nonce: Nonce = "",
) -> Response:
    command = customs.ReleaseDeclaration(
        declaration_id, "released at the desk", role=user.role, idempotency_key=_key(user, nonce)
    )
    return _at_desk(request, user, command)


def _at_desk(request: Request, user: User, command: Command) -> Response:
    """Send a desk's command: back to the page it came from, or the desk with the refusal."""
    try:
        send(request, command)
    except HubportError as error:
        return _refused(request, user, error)
    return RedirectResponse(back(request, "/console/customs"), status_code=303)


def _refused(request: Request, user: User, error: HubportError) -> HTMLResponse:
    found = error_of(error)
    response = customs_page(request, user, error=found)
    response.status_code = found["status"]
    return response


__all__ = ["router"]
