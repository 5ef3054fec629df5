"""The park unit of work: the requests a command touches, kept until ``commit``."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from datetime import date, datetime
from typing import Self

from hubport.park.domain.errors import ParkError, RequestNotFound, RequestRefused
from hubport.park.domain.life import StateTable
from hubport.park.domain.meetings import Meeting, Task
from hubport.park.domain.projects import Project
from hubport.park.domain.requests import Request
from hubport.services.unit_of_work import Cause, StoredResult


class ParkUnitOfWork(abc.ABC):
    exclusive: bool = False

    def __init__(self, table: StateTable):
        self.table = table
        self.touched: dict[str, Request] = {}
        self.new: dict[str, str] = {}
        #: Projects, tasks and meetings touched, by kind and id, and which of them are new.
        self.records: dict[tuple[str, str], Project | Task | Meeting] = {}
        self.new_records: set[tuple[str, str]] = set()

    def __enter__(self) -> Self:
        self.touched, self.new = {}, {}
        self.records, self.new_records = {}, set()
        return self

    def record(self, kind: str, record_id: str) -> Project | Task | Meeting:
        """A project, task or meeting (``kind``), loaded once per unit of work."""
        key = (kind, record_id)
        if key not in self.records:
            found = self._load_record(kind, record_id)
            if found is None:
                raise RequestNotFound(f"no {kind} {record_id!r}")
            self.records[key] = found
        return self.records[key]

    def project(self, project_id: str) -> Project:
        found = self.record("project", project_id)
        if not isinstance(found, Project):
            raise RequestNotFound(f"no project {project_id!r}")
        return found

    def task(self, task_id: str) -> Task:
        found = self.record("task", task_id)
        if not isinstance(found, Task):
            raise RequestNotFound(f"no task {task_id!r}")
        return found

    def meeting(self, meeting_id: str) -> Meeting:
        found = self.record("meeting", meeting_id)
        if not isinstance(found, Meeting):
            raise RequestNotFound(f"no meeting {meeting_id!r}")
        return found

    def add_record(self, kind: str, record: Project | Task | Meeting) -> None:
        key = (kind, record.id)
        if key in self.records or self._load_record(kind, record.id) is not None:
            raise ParkError(f"{kind} {record.id} exists already")
        self.records[key] = record
        self.new_records.add(key)

    @abc.abstractmethod
    def _load_record(self, kind: str, record_id: str) -> Project | Task | Meeting | None: ...

    @abc.abstractmethod
    def open_tasks(self) -> list[Task]:
        """Tasks not verified yet (loaded into this unit of work)."""

    @abc.abstractmethod
    def last_joint_meeting(self, before: date) -> Meeting | None: ...

    @abc.abstractmethod
    def requests_in(self, state: str) -> list[str]:
        """Ids of the requests whose present state is ``state``."""

    @abc.abstractmethod
    def escalated_open(self) -> list[str]:
        """Ids of open requests under supervision."""

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()

    def get(self, request_id: str) -> Request:
        if request_id not in self.touched:
            self.touched[request_id] = self._load(request_id)
        return self.touched[request_id]

    def add(self, request: Request, source: str) -> None:
        if request.id in self.touched or self._exists(request.id):
            raise RequestRefused(f"request {request.id} exists already")
        self.touched[request.id] = request
        self.new[request.id] = source

    def chained_events(self) -> list[object]:
        return []

    @abc.abstractmethod
    def _load(self, request_id: str) -> Request: ...

    @abc.abstractmethod
    def _exists(self, request_id: str) -> bool: ...

    @abc.abstractmethod
    def open_since(self, before: datetime) -> Iterable[str]:
        """Ids of requests not closed whose state began before ``before``."""

    @abc.abstractmethod
    def find_result(self, idempotency_key: str) -> StoredResult | None: ...

    @abc.abstractmethod
    def commit(self, cause: Cause) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


__all__ = ["ParkUnitOfWork"]
