"""the chronology's counts and lists are read from an index, not from every entry

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

Issue 14: opening the chronology reads, over all the review's entries, the entries of each
source and how many are significant (the agency filter, the status line), the issues used (the
issue filter), the kinds of date (the date column's width) and the dates to check. Each of
those four queries reached every entry's row through ix_chronology_entry_review_id, reading
past its event and other texts: 54 ms of 10,000 entries on this machine. ix_chronology_entry_summary
holds the columns they read, so each is answered from the index alone (29 ms for the four); a
text typed into an entry (the event, the outcome) changes nothing in it. Declared on the model
too (models.ChronologyEntry), as a plain index is reflected.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = 'review_id, source, significant, "when", date_precision, issues'


def upgrade() -> None:
    op.get_bind().exec_driver_sql(
        f"CREATE INDEX ix_chronology_entry_summary ON chronology_entry ({COLUMNS})"
    )


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP INDEX IF EXISTS ix_chronology_entry_summary")
