"""The event log, its head, relay state, inbox and consumer offsets.

Revision ID: store_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "store_0001"
down_revision = None
branch_labels = ("store",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("stream_version", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
    )
    head = op.create_table(
        "log_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_position", sa.BigInteger, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    # The one row every append locks: it must exist before the first append.
    op.bulk_insert(head, [{"id": 1, "last_position": 0, "last_hash": "0" * 64}])
    op.create_table(
        "relay_state",
        sa.Column("relay", sa.String(50), primary_key=True),
        sa.Column("published_position", sa.BigInteger, nullable=False),
        sa.Column("epoch", sa.String(36), nullable=False),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
    )
    op.create_table(
        "consumer_offsets",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("topic", sa.String(200), primary_key=True),
        sa.Column("partition", sa.Integer, primary_key=True),
        sa.Column("next_offset", sa.BigInteger, nullable=False),
        sa.Column("last_event_id", sa.String(36), nullable=False),
        sa.Column("epoch", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    for table in ("consumer_offsets", "inbox", "relay_state", "log_head", "events"):
        op.drop_table(table)
