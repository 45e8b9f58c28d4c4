"""Each member unit's registered targets per bloc-year.

Revision ID: scoring_0004
Revises: scoring_0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0004"
down_revision = "scoring_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("targets", sa.JSON, nullable=False),
        sa.Column("registered_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("targets")
