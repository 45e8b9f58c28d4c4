"""Province lineage: which provinces merged into which, when, on what legal basis.

Revision ID: registry_0006
Revises: registry_0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0006"
down_revision = "registry_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "province_lineage",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("predecessor_code", sa.String(8), primary_key=True),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("legal_basis", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("province_lineage")
