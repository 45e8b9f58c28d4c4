"""Units keep contact e-mail addresses for notifications.

Revision ID: registry_0005
Revises: registry_0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0005"
down_revision = "registry_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as units:
        units.add_column(sa.Column("emails", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("units") as units:
        units.drop_column("emails")
