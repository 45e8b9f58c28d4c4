"""Notifications' directory (names, contacts, blocs, forms, proposals, as the registry and awards tell them) and
the provinces' settings of who hears what.

Revision ID: notifications_0002
Revises: notifications_0001
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0002"
down_revision = "notifications_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_provinces",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("merged_into", sa.String(8)),
    )
    op.create_table(
        "directory_units",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("emails", sa.Text, nullable=False),
        sa.Column("merged_into", sa.String(100)),
        sa.Column("dissolved_on", sa.String(10)),
    )
    op.create_table(
        "directory_unit_names",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("effective_on", sa.String(10), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
    )
    op.create_table(
        "directory_blocs",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
    )
    op.create_table(
        "directory_bloc_members",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(100), primary_key=True),
        sa.Column("joined_on", sa.String(10), primary_key=True),
        sa.Column("left_on", sa.String(10)),
    )
    op.create_table(
        "directory_bloc_leaders",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("bloc_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
    )
    op.create_table(
        "directory_forms",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("rule_version", sa.String(100), primary_key=True),
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("effective_from", sa.String(10), nullable=False),
        sa.Column("name_vi", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False),
    )
    op.create_table(
        "directory_votes",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("vote_id", sa.String(100), primary_key=True),
        sa.Column("bloc_id", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("award_code", sa.String(100), nullable=False),
    )
    op.create_table(
        "directory_proposals",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("proposal_id", sa.String(200), primary_key=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("award_code", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("bloc_id", sa.String(100)),
        sa.Column("rule_version", sa.String(100)),
        sa.Column("decision_no", sa.String(100)),
        sa.Column("decided_on", sa.String(10)),
    )
    op.create_table(
        "notification_settings",
        sa.Column("province", sa.String(8), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("changed_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("notification_settings", "directory_proposals", "directory_votes", "directory_forms",
                  "directory_bloc_leaders", "directory_bloc_members", "directory_blocs", "directory_unit_names",
                  "directory_units", "directory_provinces"):
        op.drop_table(table)
