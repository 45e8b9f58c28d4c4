"""Evidence files, stored once by their SHA-256 in the service's own database.

Revision ID: scoring_0005
Revises: scoring_0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0005"
down_revision = "scoring_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("uploaded_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_files")
