"""The ``users`` rows: a user by name or by the digest of its token, and new users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hubport.adapters import tables_access
from hubport.adapters.times import utc_or_none
from hubport.domain.access import User


class UserStore:
    def __init__(self, connection: Connection):
        self.connection = connection

    def get(self, name: str) -> User | None:
        table = tables_access.users
        row = self.connection.execute(select(table).where(table.c.name == name)).first()
        return None if row is None else _user(row._mapping)

    def by_token(self, digest: str) -> User | None:
        table = tables_access.users
        row = self.connection.execute(select(table).where(table.c.token_digest == digest)).first()
        return None if row is None else _user(row._mapping)

    def save(self, users: Iterable[User], changed: Iterable[User] = ()) -> None:
        for user in changed:
            self.connection.execute(
                update(tables_access.users)
                .where(tables_access.users.c.name == user.name)
                .values(
                    language=user.language,
                    token_digest=user.token_digest,
                    token_expires_at=utc_or_none(user.token_expires_at),
                )
            )
        for user in users:
            self.connection.execute(
                insert(tables_access.users).values(
                    name=user.name,
                    role=user.role,
                    party=user.party,
                    token_digest=user.token_digest,
                    created_at=user.created_at,
                    language=user.language,
                    token_expires_at=utc_or_none(user.token_expires_at),
                )
            )


def _user(row: Any) -> User:
    return User(
        row["name"],
        row["role"],
        row["party"],
        row["token_digest"],
        row["created_at"],
        row["language"],
        utc_or_none(row["token_expires_at"]),
    )


__all__ = ["UserStore"]
