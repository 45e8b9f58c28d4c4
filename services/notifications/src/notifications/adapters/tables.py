"""Notifications read-model table (schema owned by ``notifications.migrations``)."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, Text

metadata = MetaData()

notifications = Table(
    "notifications", metadata,
    Column("province", String(8), primary_key=True),
    Column("notification_id", String(100), primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("recipient", String(300), nullable=False),
    Column("template", String(100), nullable=False),
    Column("about_event_id", String(36), nullable=False),
    Column("text_vi", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("sent_at", String(32), nullable=False),
)
