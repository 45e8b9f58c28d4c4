"""Honouring votes: bloc members (from the registry), votes, and the sealed ballots.

Sealed ballots carry no voter and no time, under a random key in a table without insertion order
(SQLite WITHOUT ROWID), so that no one can tell which unit chose what.

Revision ID: awards_0004
Revises: awards_0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0004"
down_revision = "awards_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("joined_on", sa.Date, primary_key=True),
        sa.Column("left_on", sa.Date),
    )
    op.create_table(
        "votes",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("vote_id", sa.String(100), primary_key=True),
        sa.Column("bloc_id", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("award_code", sa.String(40), nullable=False),
        sa.Column("candidates", sa.JSON, nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("voters", sa.JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("results", sa.JSON),
        sa.Column("honoured", sa.JSON),
    )
    op.create_table(
        "sealed_ballots",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("vote_id", sa.String(100), primary_key=True),
        sa.Column("ballot_id", sa.String(36), primary_key=True),
        sa.Column("choices", sa.JSON, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("sealed_ballots", "votes", "members"):
        op.drop_table(table)
