"""change history; an agency's chronology confirmed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Issue 15 items 2 and 3:
- change_entry: every change to a review's content (row, field, old and new value, when; the
  reason for a change to a signed record). It goes with its review (ON DELETE CASCADE), so a
  deleted review leaves no text behind here either.
- agency_code.chronology_confirmed_on: the day the reviewer recorded that the agency confirmed its
  chronology; from then on its chronology entries are locked like a signed interview record.
Nothing existing is rebuilt: a new table and a nullable column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item_table", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("started_at", sa.String(), nullable=False),
        sa.Column("changed_at", sa.String(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_change_entry_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_entry")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_change_entry_review_id"), "change_entry", ["review_id"])
    op.create_index(op.f("ix_change_entry_item_id"), "change_entry", ["item_id"])
    op.add_column("agency_code", sa.Column("chronology_confirmed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agency_code") as batch:
        batch.drop_column("chronology_confirmed_on")
    op.drop_index(op.f("ix_change_entry_item_id"), table_name="change_entry")
    op.drop_index(op.f("ix_change_entry_review_id"), table_name="change_entry")
    op.drop_table("change_entry")
