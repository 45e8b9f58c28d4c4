"""The delivery queue, the webhook subscriptions and every delivery attempt.

Revision ID: notifications_0004
Revises: notifications_0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0004"
down_revision = "notifications_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("notification_id", sa.String(36), nullable=False, unique=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("lane", sa.String(400), nullable=False),
        sa.Column("subscription_id", sa.String(100)),
        sa.Column("recipient", sa.String(2000), nullable=False),
        sa.Column("template", sa.String(100), nullable=False),
        sa.Column("about_event_id", sa.String(36), nullable=False),
        sa.Column("stream_id", sa.String(300), nullable=False),
        sa.Column("correlation_id", sa.String(100), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("queued_at", sa.String(32), nullable=False),
        sa.Column("delivered_at", sa.String(32)),
    )
    op.create_index("ix_deliveries_lane", "deliveries", ["status", "lane", "position"])
    op.create_table(
        "webhook_subscriptions",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("subscription_id", sa.String(100), primary_key=True),
        sa.Column("subscriber", sa.String(100), nullable=False),
        sa.Column("subscriber_name", sa.String(300), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.Text, nullable=False),
        sa.Column("provinces", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("changed_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("notification_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.String(2000), nullable=False),
        sa.Column("subscription_id", sa.String(100)),
        sa.Column("about_event_id", sa.String(36), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("latency_ms", sa.Integer),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    for column in ("notification_id", "subscription_id", "about_event_id"):
        op.create_index(f"ix_delivery_attempts_{column}", "delivery_attempts", [column])


def downgrade() -> None:
    for column in ("notification_id", "subscription_id", "about_event_id"):
        op.drop_index(f"ix_delivery_attempts_{column}", table_name="delivery_attempts")
    op.drop_table("delivery_attempts")
    op.drop_table("webhook_subscriptions")
    op.drop_index("ix_deliveries_lane", table_name="deliveries")
    op.drop_table("deliveries")
