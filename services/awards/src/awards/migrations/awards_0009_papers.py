"""The registry's names the papers need: provinces, blocs, and who chairs each bloc each year.

An instance that consumed the registry's events before these tables existed reads them again with
``thidua replay awards --resubscribe`` (until then its papers name a bloc by its kind and leave the place
blank).

Revision ID: awards_0009
Revises: awards_0008
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0009"
down_revision = "awards_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provinces",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "blocs",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
    )
    op.create_table(
        "bloc_leaders",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(12), primary_key=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    for table in ("bloc_leaders", "blocs", "provinces"):
        op.drop_table(table)
