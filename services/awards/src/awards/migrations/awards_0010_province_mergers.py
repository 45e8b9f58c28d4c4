"""A province's merger into another, as the registry records it: after it takes effect, the new province's
Chairman is the authority in office for the provincial forms, and the papers bear the new province's name.

An instance that consumed the registry's events before this reads the mergers with
``thidua replay awards --resubscribe``.

Revision ID: awards_0010
Revises: awards_0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0010"
down_revision = "awards_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provinces") as table:
        table.add_column(sa.Column("merged_into", sa.String(8), nullable=True))
        table.add_column(sa.Column("merged_on", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("provinces") as table:
        table.drop_column("merged_on")
        table.drop_column("merged_into")
