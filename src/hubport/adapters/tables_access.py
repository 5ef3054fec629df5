"""The store's tables of who may act and which runtime leads: the users and their
tokens' digests, the console's sessions, and the runtime's lease (on the same
``metadata`` as ``tables.py``)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, Integer, String, Table, Text

from hubport.adapters.tables import metadata

users = Table(
    "users",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("role", String(12), nullable=False, comment="operator, customs, shipper, viewer, admin"),
    Column("party", String(35), comment="a shipper's party: the operator code of its boxes"),
    Column("token_digest", String(64), nullable=False, unique=True, comment="SHA-256 of the token"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("language", String(5), nullable=False, server_default="en", comment="the console's"),
    Column(
        "token_expires_at",
        DateTime(timezone=True),
        comment="wall-clock time the token stops opening (null: never)",
    ),
    comment="the platform's users; tokens are kept only as SHA-256 digests",
)

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id_digest", String(64), primary_key=True, comment="SHA-256 of the id"),
    Column("user_name", String(60), nullable=False),
    Column("token_digest", String(64), nullable=False, comment="the user's at login"),
    Column("nonce", String(64), nullable=False, comment="the forms' CSRF nonce"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    comment="the console's sessions: a random id in an HttpOnly cookie, ended at logout",
)
Index("ix_console_sessions_user", console_sessions.c.user_name)

runtime_lease = Table(
    "runtime_lease",
    metadata,
    Column("site", String(16), primary_key=True, comment="one active runtime per site"),
    Column("holder", String(120), nullable=False, comment="host:pid:nonce of the leader"),
    Column("host", String(80), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("epoch", Integer, nullable=False, comment="+1 at every change of leader"),
    Column("acquired_at", DateTime(timezone=True), nullable=False, comment="wall clock"),
    Column("renewed_at", DateTime(timezone=True), nullable=False, comment="wall clock"),
    Column("expires_at", DateTime(timezone=True), nullable=False, comment="wall clock"),
    Column("hub_time", DateTime(timezone=True), nullable=False, comment="at renewed_at"),
    Column("speed", Float, comment="hub seconds per wall second; NULL: the wall clock"),
    Column("status", Text, nullable=False, comment="JSON: jobs in flight, cranes, counters"),
    comment="the lease that keeps one runtime active per site, and its heartbeat",
)
