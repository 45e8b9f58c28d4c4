"""Scoring read models: bloc members (from the registry) and unit scores.

Revision ID: scoring_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0001"
down_revision = None
branch_labels = ("scoring",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
    )
    op.create_table(
        "blocs",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("joined_on", sa.Date, primary_key=True),
        sa.Column("left_on", sa.Date),
    )
    op.create_table(
        "scores",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("breakdown", sa.JSON, nullable=False),
        sa.Column("method", sa.String(50), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("scores", "members", "blocs", "units"):
        op.drop_table(table)
