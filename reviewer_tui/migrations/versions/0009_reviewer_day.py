"""the day a publication version was written

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Issue 13 item 5: the workspace said "10 Publication - not started" after a publication version
was written, because nothing recorded it. report_details.publication_written_on keeps the day the
last publication version passed its check and was saved (NULL: none yet).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_details") as batch:
        batch.add_column(sa.Column("publication_written_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_details") as batch:
        batch.drop_column("publication_written_on")
