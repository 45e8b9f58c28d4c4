"""The lock rows of commands whose rules read the read models (see ``thidua_shared.store.locks``); they
replace the quota's own lock rows.

Revision ID: awards_0006
Revises: awards_0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0006"
down_revision = "awards_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "command_locks",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("taken", sa.Integer, nullable=False),
    )
    op.drop_table("quota_claims")


def downgrade() -> None:
    op.create_table(
        "quota_claims",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("award_code", sa.String(40), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("claims", sa.Integer, nullable=False),
    )
    op.drop_table("command_locks")
