"""A province's rules of bloc elections, and the province's confirmation of an election.

``provinces.chair_may_serve_consecutive_years`` becomes ``chair_rest_years`` (true: 0, false: 1), beside the
majority and the preference for the outgoing vice-chair; ``leadership`` gains why the outgoing vice-chair was
passed over and the province's confirmation.

Revision ID: registry_0008
Revises: registry_0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0008"
down_revision = "registry_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provinces") as provinces:
        provinces.add_column(sa.Column("chair_rest_years", sa.Integer, nullable=False, server_default="1"))
        provinces.add_column(sa.Column("election_majority_percent", sa.Integer, nullable=False,
                                       server_default="50"))
        provinces.add_column(sa.Column("outgoing_vice_chair_preferred", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    op.execute("UPDATE provinces SET chair_rest_years = 0 WHERE chair_may_serve_consecutive_years")
    with op.batch_alter_table("provinces") as provinces:
        provinces.drop_column("chair_may_serve_consecutive_years")
    with op.batch_alter_table("leadership") as leadership:
        leadership.add_column(sa.Column("passed_over_reason", sa.Text))
        leadership.add_column(sa.Column("confirmed_on", sa.Date))
        leadership.add_column(sa.Column("confirmation_ref", sa.String(300)))


def downgrade() -> None:
    with op.batch_alter_table("leadership") as leadership:
        leadership.drop_column("confirmation_ref")
        leadership.drop_column("confirmed_on")
        leadership.drop_column("passed_over_reason")
    with op.batch_alter_table("provinces") as provinces:
        provinces.add_column(sa.Column("chair_may_serve_consecutive_years", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    op.execute("UPDATE provinces SET chair_may_serve_consecutive_years = (chair_rest_years = 0)")
    with op.batch_alter_table("provinces") as provinces:
        provinces.drop_column("outgoing_vice_chair_preferred")
        provinces.drop_column("election_majority_percent")
        provinces.drop_column("chair_rest_years")
