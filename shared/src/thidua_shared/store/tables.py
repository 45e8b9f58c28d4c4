"""Tables of the event store and of the messaging bookkeeping every service keeps in its own database.

The schema is created and changed only by the Alembic migrations in ``thidua_shared.migrations``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("stream_id", String(200), nullable=False),
    Column("stream_version", Integer, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("province", String(8), nullable=False),
    Column("body", Text, nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
)

log_head = Table(
    "log_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_position", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

relay_state = Table(
    "relay_state",
    metadata,
    Column("relay", String(50), primary_key=True),
    Column("published_position", BigInteger, nullable=False),
    Column("epoch", String(36), nullable=False),
)

inbox = Table(
    "inbox",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", String(36), primary_key=True),
)

consumer_offsets = Table(
    "consumer_offsets",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("topic", String(200), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigInteger, nullable=False),
    Column("last_event_id", String(36), nullable=False),
    Column("epoch", String(36), nullable=False),
)

relay_marks = Table(
    "relay_marks",
    metadata,
    Column("topic", String(200), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("offset", BigInteger, nullable=False),
    Column("event_id", String(36), nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("province", String(8), primary_key=True),
    Column("principal", String(36), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("method", String(10), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("status", Integer, nullable=True),
    Column("answer", Text, nullable=True),
    Column("first_position", BigInteger, nullable=True),
    Column("last_position", BigInteger, nullable=True),
    Column("recorded_at", String(32), nullable=False),
)
"""A command's idempotency key (scoped to the caller's token and province), its request's hash, and the
answer and positions of what it recorded: written in the command's own transaction."""

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("position", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signed_at", String(32), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("signature", String(100), nullable=False),
)
"""The log heads this service signed, oldest first (see :mod:`thidua_shared.checkpoints`)."""

audit_reads = Table(
    "audit_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("province", String(8), nullable=False, index=True),
    Column("token_id", String(36), nullable=False),
    Column("label", String(200), nullable=False),
    Column("method", String(10), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("query", String(1000), nullable=False),
    Column("read_at", String(32), nullable=False),
)
"""Every request an auditor made of this service: who read what, when (the province's admin sees them)."""
