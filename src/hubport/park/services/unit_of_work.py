"""The park unit of work: the requests a command touches, kept until ``commit``."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from datetime import datetime
from typing import Self

from hubport.park.domain.errors import RequestRefused
from hubport.park.domain.life import StateTable
from hubport.park.domain.requests import Request
from hubport.services.unit_of_work import Cause, StoredResult


class ParkUnitOfWork(abc.ABC):
    exclusive: bool = False

    def __init__(self, table: StateTable):
        self.table = table
        self.touched: dict[str, Request] = {}
        self.new: dict[str, str] = {}

    def __enter__(self) -> Self:
        self.touched, self.new = {}, {}
        return self

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
