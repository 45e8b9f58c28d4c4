"""Awards learns the registry's units, so a proposal names a unit that exists.

Revision ID: awards_0002
Revises: awards_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0002"
down_revision = "awards_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("units")
