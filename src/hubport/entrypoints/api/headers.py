"""Security headers on every answer, and the API docs served from local assets.

Every page and answer carries a Content-Security-Policy that allows no inline script and
no framing (``frame-ancestors 'none'``), ``X-Frame-Options: DENY``, ``nosniff`` and a
same-origin referrer policy. The console's own script and style come from
``/console/static``; the API docs' Swagger UI 5 comes from the ``swagger-ui-py`` package
under ``/api/docs/assets``, so the docs work offline and run no inline script.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Scripts only from the hub itself; inline style attributes are allowed (the yard map's
#: grid sizes), inline script is not.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

_DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hubport API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>
"""


class _SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    """The headers on every answer, and ``/api/docs`` from local assets."""
    from importlib.resources import files

    app.add_middleware(_SecurityHeaders)
    # Swagger UI 5 (it reads OpenAPI 3.1), as the swagger-ui-py package ships it
    assets = files("swagger_ui") / "static"
    app.mount("/api/docs/assets", StaticFiles(directory=str(assets)), name="docs-assets")
    init = (files("hubport.entrypoints.api") / "static" / "docs.js").read_text(encoding="utf-8")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS)

    @app.get("/api/docs/init.js", include_in_schema=False)
    def docs_script() -> Response:
        return Response(init, media_type="text/javascript")


__all__ = ["CSP", "HEADERS", "install"]
