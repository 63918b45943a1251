"""the review list reads interviews from an index, not past their notes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

Issue 14: the review list's read (read_model._interviews, on the path to the first frame and
again whenever the list is shown) needs, of each interview, only the columns and tests of its
record's steps, most of which come after the notes in the row. SQLite reaches a column after a
200 KB to 2 MB text by walking that text's overflow pages: a fifth of the whole read for the
large review (9-12 ms CPU of 55). ix_interview_review_list holds them in the list's own order,
each expression exactly as _interviews writes it, so the rows are read from the index and
sorted by nothing. It leaves the notes out: an index on them would be rewritten on every key
typed in the notes; with this one a notes save changes no indexed value and touches it not at
all. SQLAlchemy does not reflect expression indexes (test_storage says so); the plan is checked
by tests/test_startup_path.py. A migration that rebuilds the interview table must create it
again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    'review_id, position, id, "key", person_id, scheduled_for, '
    "coalesce(contentious_points_checked_back, 0), sent_to_interviewee_on IS NOT NULL, "
    "(interviewee_comments != '' OR disagreements != ''), agreed_on IS NOT NULL, "
    "signed_by_interviewee, signed_by_interviewer, interviewee_signed_on, interviewer_signed_on"
)


def upgrade() -> None:
    op.get_bind().exec_driver_sql(f"CREATE INDEX ix_interview_review_list ON interview ({COLUMNS})")


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP INDEX IF EXISTS ix_interview_review_list")
