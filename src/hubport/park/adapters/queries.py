"""The park read side: request lists per role, a request's record, a month's requests and
their KPIs, straight from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Engine, select

from hubport.adapters.times import utc
from hubport.domain.hub_time import HUB_TIME
from hubport.park.adapters import records, tables
from hubport.park.adapters.sql_unit_of_work import read_requests
from hubport.park.domain.errors import RequestNotFound
from hubport.park.domain.kpis import RequestKpis, request_kpis
from hubport.park.domain.life import StateTable
from hubport.park.domain.meetings import Meeting, Task, carried_over
from hubport.park.domain.projects import Portfolio, Project, portfolio
from hubport.park.domain.requests import Request


@dataclass(frozen=True)
class RequestRow:
    id: str
    enterprise: str
    channel: str
    category: str
    urgency: str
    state: str
    lead: str | None
    received: datetime
    deadline: datetime
    entered: datetime
    rating: int | None


def month_window(month: str) -> tuple[datetime, datetime]:
    """The hub-time bounds of ``YYYY-MM``; a wrong month is named."""
    from hubport.park.domain.errors import ParkError

    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise ParkError(f"month {month!r} is not a month such as 2026-11") from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (
        datetime.combine(first, time(0), HUB_TIME),
        datetime.combine(following, time(0), HUB_TIME),
    )


class ParkQueries:
    def __init__(self, engine: Engine, table: StateTable):
        self.engine = engine
        self.table = table

    def requests(
        self, role: str, party: str | None, state: str | None = None, limit: int = 200
    ) -> list[RequestRow]:
        """The requests a caller may see: a department its own, an enterprise its own."""
        table = tables.park_requests
        query = select(table).order_by(table.c.received_at.desc(), table.c.id).limit(limit)
        if state is not None:
            query = query.where(table.c.state == state)
        if role == "enterprise":
            query = query.where(table.c.enterprise == party)
        elif role == "department":
            query = query.where((table.c.lead == party) | table.c.supporting.contains(f'"{party}"'))
        with self.engine.connect() as connection:
            return [_row(row) for row in connection.execute(query)]

    def request(self, request_id: str, role: str, party: str | None) -> Request:
        with self.engine.connect() as connection:
            found = read_requests(connection, [request_id])
        if not found:
            raise RequestNotFound(f"no request {request_id!r}")
        request = found[0]
        if role == "enterprise" and request.enterprise != party:
            raise RequestNotFound(f"no request {request_id!r}")
        if role == "department" and party not in (request.lead, *request.supporting):
            raise RequestNotFound(f"no request {request_id!r}")
        return request

    def month(self, month: str) -> list[Request]:
        """The requests received in ``month`` (hub time)."""
        start, end = month_window(month)
        table = tables.park_requests
        where = (table.c.received_at >= utc(start)) & (table.c.received_at < utc(end))
        with self.engine.connect() as connection:
            return read_requests(connection, where=where)

    def split_known(self, requests: list[Request]) -> tuple[list[Request], int]:
        """The requests not stored yet, and how many are stored with the same history;
        one stored otherwise is refused by name (an import is all or nothing)."""
        from hubport.park.domain.errors import ImportRefused

        ids = [request.id for request in requests]
        with self.engine.connect() as connection:
            stored = {r.id: r for r in read_requests(connection, ids)} if ids else {}
        fresh, same, differ = [], 0, []
        for request in requests:
            known = stored.get(request.id)
            if known is None:
                fresh.append(request)
            elif _history(known) == _history(request) and known.rating == request.rating:
                same += 1
            else:
                differ.append(request.id)
        if differ:
            raise ImportRefused(
                f"request(s) {', '.join(differ[:10])} exist with another history; nothing imported"
            )
        return fresh, same

    def kpis(self, month: str) -> RequestKpis:
        return request_kpis(self.month(month))

    def projects(self, enterprise: str | None = None) -> list[Project]:
        table = tables.park_projects
        query = select(table).order_by(table.c.id)
        if enterprise is not None:
            query = query.where(table.c.enterprise == enterprise)
        with self.engine.connect() as connection:
            return [records.project_of(row) for row in connection.execute(query)]

    def project(self, project_id: str, enterprise: str | None = None) -> Project:
        found = [p for p in self.projects(enterprise) if p.id == project_id]
        if not found:
            raise RequestNotFound(f"no project {project_id!r}")
        return found[0]

    def portfolio(self, today: date) -> Portfolio:
        return portfolio(self.projects(), today)

    def tasks(self, owner: str | None = None) -> list[Task]:
        table = tables.park_tasks
        query = select(table).order_by(table.c.due, table.c.id)
        if owner is not None:
            query = query.where(table.c.owner == owner)
        with self.engine.connect() as connection:
            found = [records.from_row("task", row) for row in connection.execute(query)]
        return [t for t in found if isinstance(t, Task)]

    def meetings(self, start: date | None = None, end: date | None = None) -> list[Meeting]:
        table = tables.park_meetings
        query = select(table).order_by(table.c.held_on, table.c.id)
        if start is not None:
            query = query.where(table.c.held_on >= start)
        if end is not None:
            query = query.where(table.c.held_on < end)
        with self.engine.connect() as connection:
            found = [records.from_row("meeting", row) for row in connection.execute(query)]
        return [m for m in found if isinstance(m, Meeting)]

    def meeting(self, meeting_id: str) -> Meeting:
        with self.engine.connect() as connection:
            found = records.load(connection, "meeting", meeting_id)
        if not isinstance(found, Meeting):
            raise RequestNotFound(f"no meeting {meeting_id!r}")
        return found

    def carried_over(self, month: str) -> int:
        """Agenda items of the month's joint meetings already on the joint meeting before."""
        start, end = month_window(month)
        joint = [m for m in self.meetings(end=end.date()) if m.kind == "joint"]
        count = 0
        for previous, current in zip([None, *joint], joint, strict=False):
            if current.held_on >= start.date():
                count += len(carried_over(previous, current))
        return count

    def steps_of(self, request_id: str) -> list[dict[str, Any]]:
        step = tables.park_request_steps
        query = select(step).where(step.c.request == request_id).order_by(step.c.seq)
        with self.engine.connect() as connection:
            return [
                {
                    "seq": row.seq,
                    "at": utc(row.at).astimezone(HUB_TIME).isoformat(),
                    "state": row.state,
                    "by": row.by,
                    "note": row.note,
                    "author": row.author,
                    "role": row.author_role,
                    "channel": row.channel,
                }
                for row in connection.execute(query)
            ]


def _history(request: Request) -> list[tuple[datetime, str, str]]:
    return [(step.at, step.state.value, step.by) for step in request.history]


def _row(row: Any) -> RequestRow:
    return RequestRow(
        row.id,
        row.enterprise,
        row.channel,
        row.category,
        row.urgency,
        row.state,
        row.lead,
        utc(row.received_at),
        utc(row.deadline_at),
        utc(row.entered_at),
        row.rating,
    )


__all__ = ["ParkQueries", "RequestRow", "month_window"]
