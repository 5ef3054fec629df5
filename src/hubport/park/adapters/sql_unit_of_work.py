"""The park unit of work on the hub's store: a request's new steps appended under their
next numbers (a concurrent writer of the same request is refused and retried by the
bus), its row, its escalations and the inbox row, in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, Self

from sqlalchemy import Connection, Engine, insert, select, update

from hubport.adapters.times import utc
from hubport.domain.errors import ConcurrentUpdate
from hubport.park.adapters import records, tables
from hubport.park.domain.errors import RequestNotFound
from hubport.park.domain.life import RequestState, StateTable
from hubport.park.domain.meetings import Meeting, Task
from hubport.park.domain.projects import Project
from hubport.park.domain.requests import Request, Step
from hubport.park.services.unit_of_work import ParkUnitOfWork
from hubport.services.sql_unit_of_work import commit_command, stored_result
from hubport.services.unit_of_work import Cause, StoredResult


class SqlParkUnitOfWork(ParkUnitOfWork):
    def __init__(self, engine: Engine, table: StateTable):
        super().__init__(table)
        self.engine = engine
        self._connection: Connection | None = None
        self._stored: dict[str, tuple[int, int]] = {}
        self._snapshot: dict[str, dict[str, Any]] = {}

    def __enter__(self) -> Self:
        super().__enter__()
        connection = self.engine.connect()
        if connection.dialect.name == "sqlite" and not self.exclusive:
            connection = connection.execution_options(optimistic=True)
        self._connection = connection
        self._stored, self._snapshot = {}, {}
        connection.begin()
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._connection

    def _load(self, request_id: str) -> Request:
        found = read_requests(self.connection, [request_id])
        if not found:
            raise RequestNotFound(f"no request {request_id!r}")
        request = found[0]
        self._stored[request_id] = (len(request.history), len(request.escalated))
        self._snapshot[request_id] = _row(request)
        return request

    def _exists(self, request_id: str) -> bool:
        table = tables.park_requests
        return (
            self.connection.execute(select(table.c.id).where(table.c.id == request_id)).first()
            is not None
        )

    def open_since(self, before: datetime) -> Iterable[str]:
        table = tables.park_requests
        query = select(table.c.id).where(
            table.c.state != "closed", table.c.entered_at <= utc(before)
        )
        return [row.id for row in self.connection.execute(query)]

    def _load_record(self, kind: str, record_id: str) -> Project | Task | Meeting | None:
        return records.load(self.connection, kind, record_id)

    def open_tasks(self) -> list[Task]:
        table = tables.park_tasks
        query = select(table.c.id).where(table.c.state != "verified").order_by(table.c.due)
        found = []
        for row in self.connection.execute(query):
            found.append(self.task(row.id))
        return found

    def last_joint_meeting(self, before: date) -> Meeting | None:
        table = tables.park_meetings
        row = self.connection.execute(
            select(table)
            .where(table.c.kind == "joint", table.c.held_on < before)
            .order_by(table.c.held_on.desc())
            .limit(1)
        ).first()
        found = None if row is None else records.from_row("meeting", row)
        return found if isinstance(found, Meeting) else None

    def requests_in(self, state: str) -> list[str]:
        table = tables.park_requests
        query = select(table.c.id).where(table.c.state == state).order_by(table.c.entered_at)
        return [row.id for row in self.connection.execute(query)]

    def escalated_open(self) -> list[str]:
        requests, escalations = tables.park_requests, tables.park_escalations
        query = (
            select(requests.c.id)
            .where(requests.c.state != "closed", requests.c.id.in_(select(escalations.c.request)))
            .order_by(requests.c.id)
        )
        return [row.id for row in self.connection.execute(query)]

    def find_result(self, idempotency_key: str) -> StoredResult | None:
        return stored_result(self.connection, idempotency_key)

    def commit(self, cause: Cause) -> None:
        commit_command(self.connection, cause, self._write, self.rollback)

    def _write(self, connection: Connection, cause: Cause, now: datetime) -> None:
        for request in self.touched.values():
            self._save(connection, request, cause)
        for (kind, record_id), record in self.records.items():
            records.save(connection, kind, record, (kind, record_id) in self.new_records)

    def _save(self, connection: Connection, request: Request, cause: Cause) -> None:
        steps, escalations = self._stored.get(request.id, (0, 0))
        row = _row(request)
        unchanged = row == self._snapshot.get(request.id) and escalations == len(request.escalated)
        if request.id not in self.new and unchanged:
            return
        table = tables.park_requests
        if request.id in self.new:
            connection.execute(
                insert(table).values(id=request.id, source=self.new[request.id], **row)
            )
        else:
            done = connection.execute(
                update(table).where(table.c.id == request.id, table.c.steps == steps).values(**row)
            )
            if done.rowcount != 1:
                raise ConcurrentUpdate(f"request {request.id} changed meanwhile")
        author = cause.author or (None, None, None)
        fresh = request.history[steps:]
        if fresh:
            connection.execute(
                insert(tables.park_request_steps),
                [
                    {
                        "request": request.id,
                        "seq": steps + index,
                        "at": utc(step.at),
                        "state": step.state.value,
                        "by": step.by[:80],
                        "note": step.note,
                        "author": author[0],
                        "author_role": author[1],
                        "channel": author[2],
                    }
                    for index, step in enumerate(fresh, start=1)
                ],
            )
        new_escalations = request.escalated[escalations:]
        if new_escalations:
            now = datetime.now(UTC)
            connection.execute(
                insert(tables.park_escalations),
                [
                    {
                        "request": request.id,
                        "state": state.value,
                        "entered_at": utc(entered),
                        "escalated_at": now,
                    }
                    for state, entered in new_escalations
                ],
            )

    def rollback(self) -> None:
        if self._connection is not None:
            self._connection.rollback()
            self._connection.close()
            self._connection = None


def _row(request: Request) -> dict[str, Any]:
    return {
        "enterprise": request.enterprise,
        "channel": request.channel,
        "category": request.category,
        "urgency": request.urgency,
        "project": request.project,
        "summary": request.summary,
        "lead": request.lead,
        "supporting": json.dumps(list(request.supporting), ensure_ascii=False),
        "received_at": utc(request.received),
        "deadline_at": utc(request.deadline),
        "state": request.state.value,
        "entered_at": utc(request.entered),
        "rating": request.rating,
        "closing_reason": request.closing_reason,
        "evidence": request.evidence,
        "steps": len(request.history),
    }


def read_requests(
    connection: Connection, ids: list[str] | None = None, where: Any = None
) -> list[Request]:
    """Requests with their histories and escalations: those of ``ids``, or matching ``where``."""
    table = tables.park_requests
    query = select(table).order_by(table.c.received_at, table.c.id)
    if ids is not None:
        query = query.where(table.c.id.in_(ids))
    if where is not None:
        query = query.where(where)
    rows = list(connection.execute(query))
    if not rows:
        return []
    wanted = [row.id for row in rows]
    steps: dict[str, list[Step]] = {i: [] for i in wanted}
    escalated: dict[str, list[tuple[RequestState, datetime]]] = {i: [] for i in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        step_table = tables.park_request_steps
        for row in connection.execute(
            select(step_table)
            .where(step_table.c.request.in_(chunk))
            .order_by(step_table.c.request, step_table.c.seq)
        ):
            steps[row.request].append(Step(utc(row.at), RequestState(row.state), row.by, row.note))
        escalation_table = tables.park_escalations
        for row in connection.execute(
            select(escalation_table)
            .where(escalation_table.c.request.in_(chunk))
            .order_by(escalation_table.c.id)
        ):
            escalated[row.request].append((RequestState(row.state), utc(row.entered_at)))
    return [
        Request(
            row.id,
            row.enterprise,
            utc(row.received_at),
            utc(row.deadline_at),
            row.channel,
            row.category,
            row.urgency,
            row.project,
            row.summary,
            row.lead,
            tuple(json.loads(row.supporting)),
            steps[row.id],
            row.rating,
            row.closing_reason,
            row.evidence,
            escalated[row.id],
        )
        for row in rows
    ]


__all__ = ["SqlParkUnitOfWork", "read_requests"]
