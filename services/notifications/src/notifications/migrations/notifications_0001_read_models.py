"""Notifications read model: what was sent, to whom, about which event.

Revision ID: notifications_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0001"
down_revision = None
branch_labels = ("notifications",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("notification_id", sa.String(100), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("template", sa.String(100), nullable=False),
        sa.Column("about_event_id", sa.String(36), nullable=False),
        sa.Column("text_vi", sa.Text, nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("sent_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notifications")
