"""The award workflow: unit status and lineage, the proposal's dossier, council, decision and freezes,
the province's own rulebooks, and the quota's lock rows.

Revision ID: awards_0005
Revises: awards_0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "awards_0005"
down_revision = "awards_0004"
branch_labels = None
depends_on = None

PROPOSAL_COLUMNS = ("documents", "missing", "council", "decision", "rejection", "forwarding", "revocation",
                    "frozen")


def upgrade() -> None:
    op.add_column("units", sa.Column("status", sa.String(12), nullable=False, server_default="active"))
    op.add_column("units", sa.Column("merged_into", sa.String(100)))
    op.add_column("proposals", sa.Column("filed_on", sa.Date))
    op.add_column("proposals", sa.Column("vote_id", sa.String(100)))
    for name in PROPOSAL_COLUMNS:
        op.add_column("proposals", sa.Column(name, sa.JSON))
    op.create_table(
        "freezes",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("subject", sa.String(10), primary_key=True),
        sa.Column("subject_id", sa.String(100), primary_key=True),
        sa.Column("ref", sa.String(200), primary_key=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("frozen_on", sa.Date),
        sa.Column("unfrozen_on", sa.Date),
        sa.Column("lift_reason", sa.String(1000)),
    )
    op.create_table(
        "rulebooks",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("version", sa.String(60), primary_key=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
    )


    op.create_table(
        "quota_claims",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("award_code", sa.String(40), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("claims", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quota_claims")
    op.drop_table("rulebooks")
    op.drop_table("freezes")
    with op.batch_alter_table("proposals") as batch:
        for name in ("filed_on", "vote_id", *PROPOSAL_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("units") as batch:
        batch.drop_column("merged_into")
        batch.drop_column("status")
