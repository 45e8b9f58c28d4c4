"""The audit's own records: the signed checkpoints of the log, and every request an auditor made.

Revision ID: store_0004
Revises: store_0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "store_0004"
down_revision = "store_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(100), nullable=False),
    )
    op.create_table(
        "audit_reads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("token_id", sa.String(36), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("query", sa.String(1000), nullable=False),
        sa.Column("read_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_audit_reads_province", "audit_reads", ["province"])


def downgrade() -> None:
    op.drop_index("ix_audit_reads_province", table_name="audit_reads")
    op.drop_table("audit_reads")
    op.drop_table("checkpoints")
