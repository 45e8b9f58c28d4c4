"""The day a ranking was published, as the bloc dated it (the recording instant was all the read model kept).

Rankings recorded before this revision keep no day (null, shown as the day they were recorded) until the
read model is rebuilt from the log (``thidua replay scoring``), which fills it from each event.

Revision ID: scoring_0008
Revises: scoring_0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "scoring_0008"
down_revision = "scoring_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rankings", sa.Column("published_on", sa.Date))


def downgrade() -> None:
    op.drop_column("rankings", "published_on")
