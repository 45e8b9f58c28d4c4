"""Scoring tables, windows and assessments per bloc-year.

Revision ID: scoring_0002
Revises: scoring_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0002"
down_revision = "scoring_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_tables",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("table_version", sa.Integer, nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("method", sa.String(30), nullable=False),
        sa.Column("opens_on", sa.Date),
        sa.Column("closes_on", sa.Date),
    )
    op.create_table(
        "assessments",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("assessor_unit_id", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("submissions", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assessments")
    op.drop_table("scoring_tables")
