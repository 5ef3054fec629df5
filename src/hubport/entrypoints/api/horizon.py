"""Days and times a request may name: within the hub's horizon, or a 400 naming the field.

The types below validate as the request is read; the horizon is the app's (from
``HUBPORT_HORIZON``), set for each request by :func:`install`.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from typing import Annotated

from fastapi import FastAPI, Request
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from starlette.types import ASGIApp, Receive, Scope, Send

from hubport.domain.hub_time import HUB_TIME, Horizon, OutOfHorizon
from hubport.services.clock import Clock

#: The error type a value out of the horizon raises (answered 400, not 422).
OUT_OF_HORIZON = "out_of_horizon"

_DEFAULT = Horizon()
_horizon: ContextVar[Horizon] = ContextVar("hubport_horizon")


def _day(value: date) -> date:
    try:
        return _horizon.get(_DEFAULT).day(value, "the day")
    except OutOfHorizon as error:
        raise PydanticCustomError(OUT_OF_HORIZON, str(error)) from None


def _moment(value: datetime) -> datetime:
    try:
        return _horizon.get(_DEFAULT).moment(value, "the time")
    except OutOfHorizon as error:
        raise PydanticCustomError(OUT_OF_HORIZON, str(error)) from None


#: A hub day within the horizon.
HubDay = Annotated[date, AfterValidator(_day)]
#: A moment within the horizon, in hub time (a time without offset is read as hub time).
HubMoment = Annotated[datetime, AfterValidator(_moment)]


class _WithHorizon:
    """Every request validates against its app's horizon."""

    def __init__(self, app: ASGIApp, horizon: Horizon):
        self.app, self.horizon = app, horizon

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _horizon.set(self.horizon)
        try:
            await self.app(scope, receive, send)
        finally:
            _horizon.reset(token)


def hub_now(request: Request) -> datetime:
    """The hub clock's time (the active runtime's; the wall clock where none runs): what
    "today" and "now" mean for a request, never the server's wall clock."""
    clock: Clock = request.app.state.hub.bus.clock
    return clock.now().astimezone(HUB_TIME)


def install(app: FastAPI, horizon: Horizon) -> None:
    app.add_middleware(_WithHorizon, horizon=horizon)


__all__ = ["OUT_OF_HORIZON", "HubDay", "HubMoment", "hub_now", "install"]
