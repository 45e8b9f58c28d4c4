"""Awards read models: final scores (from scoring) and proposals.

Revision ID: awards_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0001"
down_revision = None
branch_labels = ("awards",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scores",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("source_event_id", sa.String(36), nullable=False),
    )
    op.create_table(
        "proposals",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("proposal_id", sa.String(100), primary_key=True),
        sa.Column("bloc_id", sa.String(100)),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("award_code", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("total", sa.Float),
        sa.Column("rule_version", sa.String(60), nullable=False),
        sa.Column("proposed_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("proposals")
    op.drop_table("scores")
