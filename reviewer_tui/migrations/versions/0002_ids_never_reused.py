"""ids never reused; the chronology quick-entry draft becomes a row of its review

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Two faults let a deleted review's text come back (issue "Trust" item 7):
- SQLite without AUTOINCREMENT gives the next row max(id)+1, so deleting the newest review (or
  entry, finding...) handed its id to the next one. Every table with a row id is rebuilt with
  AUTOINCREMENT, rows and ids unchanged.
- The quick-entry draft was an app_setting row keyed "chronology-quick-entry-draft:<review id>",
  with no foreign key, so it outlived its review and appeared in the next review given that id.
  It moves to chronology_quick_entry, which cascades from the review. Drafts of reviews already
  deleted are removed (secure_delete overwrites them), and review ids never go below the
  highest id such a draft named, so no later review can be given one.

Rebuilding a table means dropping it, which with foreign keys on would cascade-delete every
child row: reviewer_tui.migrate runs migrations with foreign keys off and checks
PRAGMA foreign_key_check before committing. This migration refuses to run otherwise.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES_WITH_ROW_IDS = (
    "review",
    "agency_code",
    "chronology_entry",
    "draft_recipient",
    "escalation",
    "family_contact",
    "family_contact_member",
    "family_member",
    "finding",
    "finding_chronology",
    "finding_interview",
    "finding_record",
    "interview",
    "interview_version",
    "limiting_factors_review",
    "meeting_attendee",
    "meeting_contribution",
    "meeting_other_attendee",
    "organisation",
    "other_area",
    "parallel_process",
    "person",
    "previous_employment",
    "recommendation",
    "recommendation_evidence",
    "recommendation_finding",
    "recommendation_progress",
    "record_examined",
    "report_draft",
    "scope_change",
)
DRAFT_PREFIX = "chronology-quick-entry-draft:"
DRAFT_TEXT = ("when", "source", "event", "participation", "outcome", "issues", "sequence")


def _refuse_with_foreign_keys_on() -> None:
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "migration 0002 rebuilds tables: run it with foreign keys off "
            "(reviewer_tui.migrate does), or dropping a table deletes its children"
        )


def _rebuild(autoincrement: bool) -> None:
    for name in TABLES_WITH_ROW_IDS:
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _refuse_with_foreign_keys_on()
    _rebuild(autoincrement=True)
    draft_table = op.create_table(
        "chronology_quick_entry",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("when", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("participation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issues", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sequence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("later", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_chronology_quick_entry_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_chronology_quick_entry")),
    )
    bind = op.get_bind()
    live = {rid for (rid,) in bind.exec_driver_sql("SELECT id FROM review")}
    highest = max(live, default=0)
    drafts = bind.exec_driver_sql(
        "SELECT key, value FROM app_setting WHERE substr(key, 1, ?) = ?",
        (len(DRAFT_PREFIX), DRAFT_PREFIX),
    ).fetchall()
    rows = []
    for key, value in drafts:
        number = key[len(DRAFT_PREFIX) :]
        if not number.isdigit():
            continue
        review_id = int(number)
        highest = max(highest, review_id)
        if review_id not in live:
            continue  # the review was deleted: its draft goes with it
        try:
            values = json.loads(value)
        except ValueError:
            values = {"event": value}  # never drop text: keep what cannot be read as the event
        if not isinstance(values, dict):
            values = {"event": str(values)}
        row: dict[str, object] = {
            name: "" if values.get(name) is None else str(values.get(name)) for name in DRAFT_TEXT
        }
        row.update(review_id=review_id, later=bool(values.get("later")))
        rows.append(row)
    if rows:
        op.bulk_insert(draft_table, rows)
    bind.exec_driver_sql(
        "DELETE FROM app_setting WHERE substr(key, 1, ?) = ?", (len(DRAFT_PREFIX), DRAFT_PREFIX)
    )
    if highest:
        bind.exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'review', 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'review')"
        )
        bind.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'review'", (highest,)
        )


def downgrade() -> None:
    _refuse_with_foreign_keys_on()
    bind = op.get_bind()
    for row in bind.exec_driver_sql(
        'SELECT review_id, "when", source, event, participation, outcome, issues, sequence, later '
        "FROM chronology_quick_entry"
    ).mappings():
        values = {k: v for k, v in row.items() if k != "review_id" and v not in ("", 0, None)}
        if "later" in values:
            values["later"] = True
        bind.exec_driver_sql(
            "INSERT INTO app_setting (key, value) VALUES (?, ?)",
            (f"{DRAFT_PREFIX}{row['review_id']}", json.dumps(values, ensure_ascii=False)),
        )
    op.drop_table("chronology_quick_entry")
    _rebuild(autoincrement=False)
