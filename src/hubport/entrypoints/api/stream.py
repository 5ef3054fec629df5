"""The live event stream (server-sent events) of the platform's events, filtered by what
the caller may see: a shipper gets only the events of its own boxes.

Each event is ``id: N`` (its place in the log), ``event: TYPE`` and ``data: JSON``; a client
that reconnects with ``Last-Event-ID`` (or ``?after=N``) misses nothing. With
``follow=false`` the stream ends after the backlog (a batch read).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from hubport.domain.access import User
from hubport.entrypoints.api.errors import ERROR_RESPONSES
from hubport.entrypoints.api.reads import MAX_ID
from hubport.entrypoints.api.security import HUB_USERS, allow, bearer
from hubport.services.queries import Queries
from hubport.services.shipper_view import ShipperView

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
#: How often the stream looks for new events, and sends a keep-alive when there are none.
POLL_S, KEEP_ALIVE_S = 0.5, 15.0
#: How often an open stream checks that its token still opens (revoked, rotated, expired:
#: the stream ends with a last ``closed`` event within this time).
TOKEN_CHECK_S = 2.0
BATCH = 500


def _frame(row: dict[str, Any], view: ShipperView | None) -> str:
    data = {
        "id": row["id"],
        "at": row["occurred_at"].isoformat(),
        "type": row["event_type"],
        "box": row["container_number"],
        "event": json.loads(row["payload"]),
    }
    if view is not None:
        data = view.shows(data)
    return f"id: {row['id']}\nevent: {row['event_type']}\ndata: {json.dumps(data)}\n\n"


def _frames(rows: list[dict[str, Any]], view: ShipperView | None) -> list[str | None]:
    """Each row's frame, or None for an event a shipper may not see (another's box, or
    none: the hub's own events)."""
    if view is None:
        return [_frame(row, None) for row in rows]
    return [
        _frame(row, view)
        if row["container_number"] and view.mine(row["container_number"])
        else None
        for row in rows
    ]


async def _events(
    request: Request,
    queries: Queries,
    user: User,
    token: str,
    after: int,
    follow: bool,
    limit: int | None,
) -> AsyncIterator[str]:
    sent, quiet, unchecked = 0, 0.0, 0.0
    view = ShipperView(user.party, queries.operators_of) if user.party else None
    yield "retry: 2000\n\n"
    while True:
        rows = await run_in_threadpool(queries.events_after, after, BATCH)
        frames = await run_in_threadpool(_frames, rows, view)
        for row, frame in zip(rows, frames, strict=True):
            after = row["id"]
            if frame is None:
                continue
            yield frame
            sent += 1
            if limit is not None and sent >= limit:
                return
        if len(rows) == BATCH:
            continue
        if not follow or await request.is_disconnected():
            return
        await asyncio.sleep(POLL_S)
        unchecked += POLL_S
        if unchecked >= TOKEN_CHECK_S:
            unchecked = 0.0
            if await run_in_threadpool(queries.user_of_token, token) != user:
                yield 'event: closed\ndata: {"reason": "the token no longer opens"}\n\n'
                return
        quiet = 0.0 if rows else quiet + POLL_S
        if quiet >= KEEP_ALIVE_S:
            quiet = 0.0
            yield ": keep-alive\n\n"


@router.get(
    "/events",
    tags=["events"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "the event stream"}},
)
def events(
    request: Request,
    user: Annotated[User, Depends(allow(*HUB_USERS))],
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    follow: bool = True,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> StreamingResponse:
    """The platform's events as they happen (server-sent events), the caller's only."""
    if last_event_id is not None and last_event_id.isdigit():
        after = max(after, min(int(last_event_id), MAX_ID))
    queries: Queries = request.app.state.queries
    return StreamingResponse(
        _events(
            request,
            queries,
            user,
            bearer(request.headers.get("authorization", "")),
            after,
            follow,
            limit,
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


__all__ = ["router"]
