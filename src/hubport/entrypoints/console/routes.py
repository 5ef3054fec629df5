"""The console in the app: its pages, forms and static files, and what a page answers to a
visitor who is not logged in (the login page) or whose role may not see it (403)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from hubport.entrypoints.console import forms, pages
from hubport.entrypoints.console.i18n import HERE, render
from hubport.entrypoints.console.session import ForeignForm, LoginNeeded, NotAllowed

#: The console's routers; each page declares the roles it allows.
ROUTERS = (pages.router, forms.router)


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
        html = render(
            error.user.language,
            "error.html",
            user=error.user,
            menu=[name for name, roles in pages.MENU if error.user.role in roles],
            site=request.app.state.queries.site,
            path=request.url.path,
            error={"status": 403, "code": "forbidden", "detail": str(error)},
        )
        return HTMLResponse(html, status_code=403)

    @app.exception_handler(ForeignForm)
    async def foreign_form(_request: Request, error: ForeignForm) -> Response:
        return HTMLResponse(render("en", "denied.html", origin=str(error)), status_code=403)


__all__ = ["ROUTERS", "install"]
