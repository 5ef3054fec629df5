"""The console in the app: its pages, forms and static files, and what a page answers to a
visitor who is not logged in (the login page) or whose role may not see it (403)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from hubport.domain.errors import HubportError
from hubport.entrypoints.api.errors import classify, validation_answer
from hubport.entrypoints.console import billing_desk, forms, futures_desk, pages, park_desk
from hubport.entrypoints.console.i18n import HERE, render
from hubport.entrypoints.console.session import (
    ForeignForm,
    LoginNeeded,
    NotAllowed,
    current_user,
)

#: The console's routers; each page declares the roles it allows.
ROUTERS = (
    pages.router,
    forms.router,
    futures_desk.router,
    park_desk.router,
    billing_desk.router,
)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/console/", status_code=307)

    @app.exception_handler(LoginNeeded)
    async def login_needed(_request: Request, _error: LoginNeeded) -> Response:
        return RedirectResponse("/console/login", status_code=303)

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, error: NotAllowed) -> Response:
        return pages.error_page(request, error.user, 403, "forbidden", str(error))

    @app.exception_handler(ForeignForm)
    async def foreign_form(_request: Request, error: ForeignForm) -> Response:
        return HTMLResponse(render("en", "denied.html", origin=str(error)), status_code=403)

    # a page's bad input or unknown path is answered as a page, the API's as JSON
    for kind in (RequestValidationError, HTTPException, HubportError):
        app.add_exception_handler(kind, _pages_in_html(app.exception_handlers[kind]))


Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def _pages_in_html(api_handler: Handler) -> Handler:
    async def handle(request: Request, error: Any) -> Response:
        path = request.url.path
        if not path.startswith("/console/") or path.startswith("/console/static/"):
            answer = api_handler(request, error)
            return answer if isinstance(answer, Response) else await answer
        user = current_user(request)
        if user is None:
            return RedirectResponse("/console/login", status_code=303)
        if isinstance(error, RequestValidationError):
            return pages.error_page(request, user, *validation_answer(error))
        if isinstance(error, HTTPException):
            code = "not_found" if error.status_code == 404 else "http_error"
            return pages.error_page(request, user, error.status_code, code, str(error.detail))
        status, code = classify(error)
        return pages.error_page(request, user, status, code, str(error))

    return handle


__all__ = ["ROUTERS", "install"]
