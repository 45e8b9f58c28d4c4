"""People's accounts: the ``accounts`` read model, and ``account_credentials``, their password hashes (argon2),
which no event carries and a replay leaves as they are.

Revision ID: registry_0009
Revises: registry_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0009"
down_revision = "registry_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("username", sa.String(40), primary_key=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("unit_id", sa.String(100)),
        sa.Column("bloc_id", sa.String(100)),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_signed_in_at", sa.String(32)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "account_credentials",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("username", sa.String(40), primary_key=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("changed_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("account_credentials")
    op.drop_table("accounts")
