"""Honouring votes for a number of places: the places, what the threshold is a share of, the round a vote
decides, and at the close the invalid ballots and a tie at the last place.

Revision ID: awards_0007
Revises: awards_0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0007"
down_revision = "awards_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("votes") as votes:
        votes.add_column(sa.Column("places", sa.Integer))
        votes.add_column(sa.Column("threshold_of", sa.String(10), nullable=False, server_default="members"))
        votes.add_column(sa.Column("runoff_of", sa.String(100)))
        votes.add_column(sa.Column("invalid_ballots", sa.Integer))
        votes.add_column(sa.Column("tied", sa.JSON))
        votes.add_column(sa.Column("places_left", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("votes") as votes:
        for column in ("places_left", "tied", "invalid_ballots", "runoff_of", "threshold_of", "places"):
            votes.drop_column(column)
