"""The console's sessions (table ``console_sessions``): a random id given to the browser
in a cookie, kept here only as its SHA-256 digest, with the user, the nonce its forms
carry, and when it ends."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update

from hubport.adapters import tables_access
from hubport.adapters.times import utc, utc_or_none
from hubport.domain.access import ConsoleSession, User, token_digest


class SessionStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def open(self, user: User, now: datetime, lasts: timedelta) -> tuple[str, ConsoleSession]:
        """A new session for ``user``: its id (for the cookie, shown once) and the record."""
        session_id = secrets.token_urlsafe(32)
        session = ConsoleSession(
            user.name, user.token_digest, secrets.token_urlsafe(24), now + lasts
        )
        with self.engine.begin() as connection:
            connection.execute(
                insert(tables_access.console_sessions).values(
                    id_digest=token_digest(session_id),
                    user_name=session.user_name,
                    token_digest=session.token_digest,
                    nonce=session.nonce,
                    created_at=utc(now),
                    expires_at=utc(session.expires_at),
                )
            )
        return session_id, session

    def find(self, session_id: str) -> ConsoleSession | None:
        table = tables_access.console_sessions
        with self.engine.connect() as connection:
            row = connection.execute(
                select(table).where(table.c.id_digest == token_digest(session_id))
            ).first()
        if row is None:
            return None
        return ConsoleSession(
            row.user_name,
            row.token_digest,
            row.nonce,
            utc(row.expires_at),
            utc_or_none(row.ended_at),
        )

    def end(self, session_id: str, now: datetime) -> None:
        """End the session (logging out): its id opens nothing from now on."""
        table = tables_access.console_sessions
        with self.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.id_digest == token_digest(session_id), table.c.ended_at.is_(None))
                .values(ended_at=utc(now))
            )


__all__ = ["SessionStore"]
