"""Published rankings per bloc-year, with their version and whether the bloc-year is locked.

Revision ID: scoring_0003
Revises: scoring_0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0003"
down_revision = "scoring_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rankings",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ranking", sa.JSON, nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("locked", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rankings")
