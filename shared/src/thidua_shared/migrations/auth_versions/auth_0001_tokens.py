"""Access tokens, stored hashed.

Revision ID: auth_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "auth_0001"
down_revision = None
branch_labels = ("auth",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("token_id", sa.String(36), nullable=False, unique=True),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("unit_id", sa.String(100), nullable=True),
        sa.Column("bloc_id", sa.String(100), nullable=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("tokens")
