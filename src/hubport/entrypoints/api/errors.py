"""Errors as JSON with a stable code: ``{"error": {"code": ..., "message": ...}}``.

Bad input is a 4xx, never a 5xx: the hub's own errors map to the status that says why
(not found, conflict with the hub's state, forbidden, bad request).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from hubport.domain.errors import HubportError
from hubport.entrypoints.api.horizon import OUT_OF_HORIZON
from hubport.entrypoints.api.throttle import WINDOW_S
from hubport.services.refusals import STATUS, classify


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error the API answers: a stable code and a message that names the problem."""

    error: ErrorDetail


#: The error answers every route may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": ErrorBody,
        "description": description,
        # errors are JSON even where the answer itself is not (a download, a stream)
        "content": {"application/json": {}},
    }
    for status, description in (
        (400, "bad input, or a day or time outside the hub's horizon: the message names it"),
        (401, "no token, or one that opens nothing"),
        (403, "the caller's role may not do this"),
        (404, "not found (or not the caller's to see)"),
        (409, "refused by the hub's state or rules"),
        (422, "the request does not match its schema"),
        (429, "too many failed authentications from this source: wait and try again"),
    )
}


class ApiError(Exception):
    """An answer other than 2xx, with its code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


#: The longest message an error answers: input echoed in it is cut to a short prefix.
MESSAGE_CHARS = 300


def error_response(status: int, code: str, message: str) -> JSONResponse:
    if len(message) > MESSAGE_CHARS:
        message = message[: MESSAGE_CHARS - 1] + "…"
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def validation_answer(error: RequestValidationError) -> tuple[int, str, str]:
    """A request the schema refuses: 422 naming each field and its problem, or 400 when
    the only problem is a day or time outside the hub's horizon."""
    items = list(error.errors())
    problems = "; ".join(
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', '')}"
        for item in items
    )
    if items and all(item.get("type") == OUT_OF_HORIZON for item in items):
        return 400, OUT_OF_HORIZON, problems
    return 422, "invalid_request", problems or "the request is not valid"


def install(app: FastAPI) -> None:
    """Answer every error as JSON."""

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        response = error_response(error.status, error.code, error.message)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if error.status == 429:
            response.headers["Retry-After"] = str(int(WINDOW_S))
        return response

    @app.exception_handler(HubportError)
    async def hub_error(_request: Request, error: HubportError) -> JSONResponse:
        return error_response(*classify(error), str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(*validation_answer(error))

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        # the trace goes to the log (the server re-raises it); the caller gets JSON
        return error_response(500, "internal_error", f"the hub failed: {type(error).__name__}")

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail))


__all__ = [
    "ERROR_RESPONSES",
    "STATUS",
    "ApiError",
    "ErrorBody",
    "classify",
    "error_response",
    "install",
    "validation_answer",
]
