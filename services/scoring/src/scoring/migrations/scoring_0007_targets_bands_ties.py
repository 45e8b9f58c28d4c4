"""Target results, verified self-assessments, classification bands and resolved ties.

Revision ID: scoring_0007
Revises: scoring_0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0007"
down_revision = "scoring_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("scoring_tables", sa.Column("bands", sa.JSON))
    op.add_column("scores", sa.Column("band", sa.String(100)))
    op.add_column("rankings", sa.Column("resolved_ties", sa.JSON))
    op.add_column("assessments", sa.Column("verified_on", sa.Date))
    op.add_column("assessments", sa.Column("verified_by", sa.String(200)))
    op.add_column("assessments", sa.Column("verification_notes", sa.Text))
    op.create_table(
        "target_results",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("results", sa.JSON, nullable=False),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "tie_resolutions",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("stream_version", sa.Integer, primary_key=True),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("unit_ids", sa.JSON, nullable=False),
        sa.Column("ground", sa.String(10), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("resolved_on", sa.Date, nullable=False),
        sa.Column("notes", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("tie_resolutions")
    op.drop_table("target_results")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("verification_notes")
        batch.drop_column("verified_by")
        batch.drop_column("verified_on")
    with op.batch_alter_table("rankings") as batch:
        batch.drop_column("resolved_ties")
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("band")
    with op.batch_alter_table("scoring_tables") as batch:
        batch.drop_column("bands")
