"""The lock rows of commands whose rules read the read models (see ``thidua_shared.store.locks``).

Revision ID: registry_0007
Revises: registry_0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0007"
down_revision = "registry_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "command_locks",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("taken", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("command_locks")
