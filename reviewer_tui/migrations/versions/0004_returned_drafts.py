"""returned drafts: each generated draft's file id and text as written; the register's items

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Issue 17: a circulated draft comes back as a Word file with comments, tracked changes and edits
made without tracking. Two new tables, nothing existing is changed:
- draft_text: per generated draft, the id written into the Word file's custom properties (so a
  returned copy is matched whatever it is called) and the text of every paragraph as generated,
  section by section, with its run formatting (untracked edits are found against it; the record
  changes after circulation, so the draft cannot be regenerated to compare with).
- draft_item: each comment, reply, tracked insertion or deletion, untracked edit and per-section
  count of formatting-only changes, under its draft's recipient, with how it was resolved.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "draft_text",
        sa.Column("report_draft_id", sa.Integer(), nullable=False),
        sa.Column("file_id", text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_draft_id"],
            ["report_draft.id"],
            name=op.f("fk_draft_text_report_draft_id_report_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_draft_id", name=op.f("pk_draft_text")),
    )
    with op.batch_alter_table("draft_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_text_file_id"), ["file_id"], unique=False)

    op.create_table(
        "draft_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_recipient_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", text(), nullable=False),
        sa.Column("author", text(), nullable=False),
        sa.Column("made_at", sa.String(), nullable=True),
        sa.Column("section", text(), nullable=False),
        sa.Column("anchor", text(), nullable=False),
        sa.Column("before", text(), nullable=False),
        sa.Column("removed", text(), nullable=False),
        sa.Column("added", text(), nullable=False),
        sa.Column("after", text(), nullable=False),
        sa.Column("comment_ref", text(), nullable=False),
        sa.Column("reply_to", text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("fingerprint", text(), nullable=False),
        sa.Column("resolution", text(), nullable=False),
        sa.Column("reason", text(), nullable=False),
        sa.Column("resolved_at", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["draft_recipient_id"],
            ["draft_recipient.id"],
            name=op.f("fk_draft_item_draft_recipient_id_draft_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_item")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("draft_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_item_draft_recipient_id"), ["draft_recipient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_draft_item_fingerprint"), ["fingerprint"], unique=False
        )


def downgrade() -> None:
    op.drop_table("draft_item")
    op.drop_table("draft_text")
