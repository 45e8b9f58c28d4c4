"""Registry read models: units, blocs, memberships, leadership.

Revision ID: registry_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0001"
down_revision = None
branch_labels = ("registry",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("short_name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("parent_unit_id", sa.String(100)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "blocs",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("decision_ref", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("joined_on", sa.Date, primary_key=True),
        sa.Column("left_on", sa.Date),
        sa.Column("decision_ref", sa.String(200), nullable=False),
    )
    op.create_table(
        "leadership",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("votes_for", sa.Integer, nullable=False),
        sa.Column("votes_cast", sa.Integer, nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.Column("elected_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    for table in ("leadership", "memberships", "blocs", "units"):
        op.drop_table(table)
