"""Scoring learns unit mergers from the registry, to follow a unit's scores across them.

Revision ID: scoring_0006
Revises: scoring_0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0006"
down_revision = "scoring_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lineage",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("predecessor_id", sa.String(100), primary_key=True),
        sa.Column("effective_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lineage")
