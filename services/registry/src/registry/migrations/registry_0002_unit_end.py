"""Units record the day they were dissolved.

Revision ID: registry_0002
Revises: registry_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0002"
down_revision = "registry_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as units:
        units.add_column(sa.Column("dissolved_on", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as units:
        units.drop_column("dissolved_on")
