"""Provinces with their settings, bloc supervisors per year, chair handovers.

Revision ID: registry_0003
Revises: registry_0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0003"
down_revision = "registry_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provinces",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("chair_may_serve_consecutive_years", sa.Boolean, nullable=False),
    )
    op.create_table(
        "supervisors",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
    )
    op.create_table(
        "handovers",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("from_unit_id", sa.String(100), nullable=False),
        sa.Column("to_unit_id", sa.String(100), nullable=False),
        sa.Column("handed_over_on", sa.Date, nullable=False),
    )
    with op.batch_alter_table("leadership") as leadership:
        leadership.add_column(sa.Column("replaces_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leadership") as leadership:
        leadership.drop_column("replaces_reason")
    for table in ("handovers", "supervisors", "provinces"):
        op.drop_table(table)
