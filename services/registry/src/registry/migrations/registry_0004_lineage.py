"""Unit lineage: which units merged into which, and when.

Revision ID: registry_0004
Revises: registry_0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0004"
down_revision = "registry_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lineage",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("predecessor_id", sa.String(100), primary_key=True),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("decision_ref", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lineage")
