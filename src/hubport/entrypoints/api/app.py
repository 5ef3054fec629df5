"""The app over one hub: the API and the console; reads through its queries, writes through
its bus."""

from __future__ import annotations

from fastapi import FastAPI

from hubport.bootstrap import Hub
from hubport.entrypoints.api import (
    actors,
    billing,
    dashboards,
    errors,
    futures,
    futures_reads,
    headers,
    horizon,
    park,
    park_office,
    railway,
    reads,
    river,
    runtime,
    stream,
    writes,
)
from hubport.entrypoints.api.throttle import FailedAuthentications

#: The API's routers; each route declares the roles it allows.
ROUTERS = (
    reads.router,
    dashboards.router,
    writes.router,
    railway.router,
    actors.router,
    river.router,
    runtime.router,
    stream.router,
    futures.router,
    futures_reads.router,
    park.router,
    park_office.router,
    billing.router,
)


def create_app(hub: Hub) -> FastAPI:
    """The API of ``hub`` under ``/api``, with its OpenAPI at ``/api/openapi.json``."""
    app = FastAPI(
        title="hubport",
        summary="The operating platform of an inland rail–river container hub",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served from local assets (headers.install)
        redoc_url=None,
    )
    app.state.hub = hub
    app.state.queries = hub.queries
    app.state.futures = hub.futures()
    app.state.park = hub.park()
    app.state.billing = hub.billing()
    app.state.failed_authentications = FailedAuthentications()
    errors.install(app)
    headers.install(app)
    horizon.install(app, hub.settings.hub_horizon)
    for router in ROUTERS:
        app.include_router(router)
    # the console sits beside the API (its pages use the API's error codes: imported here)
    from hubport.entrypoints.console import routes as console

    console.install(app)
    return app


__all__ = ["ROUTERS", "create_app"]
