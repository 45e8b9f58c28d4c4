"""Awards learns published rankings: each unit's rank in its bloc-year.

Revision ID: awards_0003
Revises: awards_0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0003"
down_revision = "awards_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scores") as scores:
        scores.add_column(sa.Column("rank", sa.Integer, nullable=True))
        scores.add_column(sa.Column("ranking_version", sa.Integer, nullable=True))
    with op.batch_alter_table("proposals") as proposals:
        proposals.add_column(sa.Column("rank", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("proposals") as proposals:
        proposals.drop_column("rank")
    with op.batch_alter_table("scores") as scores:
        scores.drop_column("ranking_version")
        scores.drop_column("rank")
