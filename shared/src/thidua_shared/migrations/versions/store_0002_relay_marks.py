"""Relay marks: the last message the broker acknowledged, per partition, to recognise a broker that lost it.

Revision ID: store_0002
Revises: store_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "store_0002"
down_revision = "store_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relay_marks",
        sa.Column("topic", sa.String(200), primary_key=True),
        sa.Column("partition", sa.Integer, primary_key=True),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("relay_marks")
