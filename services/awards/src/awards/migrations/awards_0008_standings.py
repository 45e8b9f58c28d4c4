"""A unit's standing in a year: the quality rating and the standards attested as facts, and the results of
its targets as scoring recorded them; on the proposals board, what each proposal rested on and the flags a
revocation raised on it.

Revision ID: awards_0008
Revises: awards_0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0008"
down_revision = "awards_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposals") as proposals:
        proposals.add_column(sa.Column("reliances", sa.JSON))
        proposals.add_column(sa.Column("flags", sa.JSON))
    op.create_table(
        "standings",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("rating", sa.String(20)),
        sa.Column("rating_ref", sa.String(200)),
        sa.Column("rated_on", sa.Date),
        sa.Column("attested", sa.JSON, nullable=False),
        sa.Column("history", sa.JSON, nullable=False),
    )
    op.create_table(
        "target_results",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("bloc_id", sa.String(100), nullable=False),
        sa.Column("results", sa.JSON, nullable=False),
        sa.Column("recorded_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("target_results")
    op.drop_table("standings")
    with op.batch_alter_table("proposals") as proposals:
        proposals.drop_column("flags")
        proposals.drop_column("reliances")
