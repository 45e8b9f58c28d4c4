"""Events waiting for the directory to know the unit they name, before they are told.

Revision ID: notifications_0003
Revises: notifications_0002
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0003"
down_revision = "notifications_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "waiting_events",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_waiting_events_unit_id", "waiting_events", ["unit_id"])


def downgrade() -> None:
    op.drop_index("ix_waiting_events_unit_id", table_name="waiting_events")
    op.drop_table("waiting_events")
