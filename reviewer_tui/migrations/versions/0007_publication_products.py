"""the executive summary's four parts as the reviewer rewrote them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

report_details gains summary_reason, summary_scope, summary_findings and
summary_recommendations: the executive summary's parts as the reviewer edited them before it is
written (issue 16 item 2). Empty means "drawn from the record", so existing rows need no value.
SQLite adds a column in place: no table rebuild, so no trigger needs making again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("summary_reason", "summary_scope", "summary_findings", "summary_recommendations")


def upgrade() -> None:
    with op.batch_alter_table("report_details") as batch:
        for name in COLUMNS:
            batch.add_column(
                sa.Column(
                    name, sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("report_details") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
