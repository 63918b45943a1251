"""rows stay in their review; links once each; unique names name every column; not set is NULL

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Issue "One way to do each thing" item 7:
- Unique constraints were named after their first column only (uq_finding_review_id for
  UNIQUE (review_id, key)); they are renamed after all their columns, as the naming convention in
  models.py now does.
- Link tables (finding_chronology, recommendation_finding...) could hold the same pair twice.
  Repeats are removed (the first, by position, is kept: a repeat says nothing more) and each pair
  is made unique.
- Nothing stopped a link, an interview or the meeting from pointing at a row of another review.
  SQLite cannot check that with a foreign key unless every link row carried its review id, so
  triggers refuse it on every insert and update (and refuse moving a row some link points at to
  another review). Rows already wrong are dealt with first, and each is reported:
  * a link between two reviews (a finding of one review citing another's chronology entry) is
    removed: it was never right, and kept it would put one review's evidence into another's
    report. The copy made before the update still has it.
  * an interview, meeting attendance or contribution whose person is in another review keeps its
    text: the person is copied into the row's own review and the row points at the copy.
- Dates not yet set in the three local date-or-time text columns (interview.scheduled_for,
  meeting.held_on, escalation.advised_commissioner_on) were '' beside DATE columns that use
  NULL: they become NULL and the columns nullable. They stay text, since they may hold a time.

Triggers belong to their table: a later migration that rebuilds one of these tables drops its
triggers and must create them again (tests/test_schema.py checks every rule is in force at head).
Like 0002, this rebuilds tables, so it runs only with foreign keys off (reviewer_tui.migrate).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The unique constraints 0001 named after their first column: table -> (old name, columns).
RENAMED = {
    "agency_code": ("uq_agency_code_review_id", ("review_id", "code")),
    "chronology_entry": ("uq_chronology_entry_review_id", ("review_id", "key")),
    "family_member": ("uq_family_member_review_id", ("review_id", "key")),
    "finding": ("uq_finding_review_id", ("review_id", "key")),
    "interview": ("uq_interview_review_id", ("review_id", "key")),
    "meeting_attendee": ("uq_meeting_attendee_review_id", ("review_id", "person_id")),
    "person": ("uq_person_review_id", ("review_id", "key")),
    "recommendation": ("uq_recommendation_review_id", ("review_id", "key")),
    "record_examined": ("uq_record_examined_review_id", ("review_id", "key")),
}
LINK_PAIRS = {
    "finding_chronology": ("finding_id", "chronology_entry_id"),
    "finding_interview": ("finding_id", "interview_id"),
    "finding_record": ("finding_id", "record_examined_id"),
    "recommendation_evidence": ("recommendation_id", "chronology_entry_id"),
    "recommendation_finding": ("recommendation_id", "finding_id"),
    "family_contact_member": ("family_contact_id", "family_member_id"),
}
NOT_SET = {
    "interview": "scheduled_for",
    "meeting": "held_on",
    "escalation": "advised_commissioner_on",
}
# As models.SAME_REVIEW at this revision: (table, how it belongs to its review, pointing column).
SAME_REVIEW = (
    ("interview", "review_id", "person_id"),
    ("meeting_attendee", "review_id", "person_id"),
    ("meeting_contribution", "review_id", "person_id"),
    ("finding_chronology", "finding_id", "chronology_entry_id"),
    ("finding_interview", "finding_id", "interview_id"),
    ("finding_record", "finding_id", "record_examined_id"),
    ("recommendation_evidence", "recommendation_id", "chronology_entry_id"),
    ("recommendation_finding", "recommendation_id", "finding_id"),
    ("family_contact_member", "family_contact_id", "family_member_id"),
)
POINTS_AT = {
    "person_id": "person",
    "chronology_entry_id": "chronology_entry",
    "interview_id": "interview",
    "record_examined_id": "record_examined",
    "finding_id": "finding",
    "family_member_id": "family_member",
    "recommendation_id": "recommendation",
    "family_contact_id": "family_contact",
}
# Rows some rule above looks at through their review_id: they never move to another review.
FIXED_REVIEW = (
    "person",
    "chronology_entry",
    "interview",
    "record_examined",
    "finding",
    "family_member",
    "recommendation",
    "family_contact",
)
PERSON_COPIED = (
    "full_name",
    "pseudonym",
    "also_known_as",
    "qualifications",
    "designation",
    "time_in_post",
    "employing_body",
    "employing_address",
    "home_address",
    "role_in_case",
    "training_last_3_years",
    "supporter",
)


def _refuse_with_foreign_keys_on() -> None:
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "migration 0003 rebuilds tables: run it with foreign keys off "
            "(reviewer_tui.migrate does), or dropping a table deletes its children"
        )


def _report(note: str) -> None:
    """Said to the person updating (reviewer_tui.migrate prints these after the commit)."""
    context.config.attributes.setdefault("notes", []).append(note)


def _review_of(column: str, row: str) -> str:
    if column == "review_id":
        return f"{row}.review_id"
    return f"(SELECT review_id FROM {POINTS_AT[column]} WHERE id = {row}.{column})"


def _triggers() -> list[tuple[str, str]]:
    made = []
    for table, owner, column in SAME_REVIEW:
        mismatch = f"{_review_of(owner, 'NEW')} <> {_review_of(column, 'NEW')}"
        message = f"{table}.{column} points at a row of another review"
        for event in ("INSERT", f"UPDATE OF {owner}, {column}"):
            name = f"same_review_{table}_{event.split()[0].lower()}"
            made.append(
                (
                    name,
                    f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                    f"WHEN {mismatch} BEGIN SELECT RAISE(ABORT, '{message}'); END",
                )
            )
    for table in FIXED_REVIEW:
        name = f"fixed_review_{table}"
        made.append(
            (
                name,
                f"CREATE TRIGGER {name} BEFORE UPDATE OF review_id ON {table} "
                "FOR EACH ROW WHEN NEW.review_id IS NOT OLD.review_id BEGIN SELECT "
                f"RAISE(ABORT, '{table} rows never move to another review'); END",
            )
        )
    return made


def _copy_people_into_their_rows_reviews(bind: Any) -> None:
    copies: dict[tuple[int, int], int] = {}
    for table in ("interview", "meeting_attendee", "meeting_contribution"):
        row_name = "'interview ' || t.key" if table == "interview" else f"'{table} row ' || t.id"
        wrong = bind.exec_driver_sql(
            f"SELECT t.id, {row_name}, t.review_id, t.person_id, p.review_id, p.key "
            f"FROM {table} t "
            "JOIN person p ON p.id = t.person_id WHERE p.review_id <> t.review_id "
            "ORDER BY t.id"
        ).fetchall()
        for row_id, name, review_id, person_id, their_review, their_key in wrong:
            if (person_id, review_id) not in copies:
                copies[(person_id, review_id)] = _copy_person(bind, person_id, review_id)
            copy = copies[(person_id, review_id)]
            bind.exec_driver_sql(f"UPDATE {table} SET person_id = ? WHERE id = ?", (copy, row_id))
            copy_key = bind.exec_driver_sql("SELECT key FROM person WHERE id = ?", (copy,)).scalar()
            _report(
                f"Review {review_id}: {name.replace('_', ' ')} named person "
                f"{their_key} of review {their_review}; that person was copied into review "
                f"{review_id} as {copy_key}, and the row now names the copy."
            )


def _copy_person(bind: Any, person_id: int, review_id: int) -> int:
    columns = ", ".join(PERSON_COPIED)
    position = bind.exec_driver_sql(
        "SELECT coalesce(max(position), 0) + 1 FROM person WHERE review_id = ?", (review_id,)
    ).scalar()
    bind.exec_driver_sql(
        f"INSERT INTO person (review_id, position, key, {columns}) SELECT ?, ?, "
        f"'(copying)', {columns} FROM person WHERE id = ?",
        (review_id, position, person_id),
    )
    new_id = bind.exec_driver_sql("SELECT last_insert_rowid()").scalar()
    taken = {
        k
        for (k,) in bind.exec_driver_sql("SELECT key FROM person WHERE review_id = ?", (review_id,))
    }
    number = new_id
    while f"p-{number}" in taken:
        number += 1
    bind.exec_driver_sql("UPDATE person SET key = ? WHERE id = ?", (f"p-{number}", new_id))
    return int(new_id)


def _name(column: str, alias: str) -> str:
    """How a note names the row: its bundle id, or its row id where it has none."""
    table = POINTS_AT[column]
    if table == "family_contact":
        return f"'row ' || {alias}.id"
    return f"{alias}.key"


def _remove_links_between_reviews(bind: Any) -> None:
    for table, owner, column in SAME_REVIEW:
        if owner == "review_id":
            continue
        wrong = bind.exec_driver_sql(
            f"SELECT l.id, o.review_id, {_name(owner, 'o')}, t.review_id, {_name(column, 't')} "
            f"FROM {table} l "
            f"JOIN {POINTS_AT[owner]} o ON o.id = l.{owner} "
            f"JOIN {POINTS_AT[column]} t ON t.id = l.{column} "
            "WHERE o.review_id <> t.review_id ORDER BY l.id"
        ).fetchall()
        for link_id, review_id, key, their_review, their_key in wrong:
            bind.exec_driver_sql(f"DELETE FROM {table} WHERE id = ?", (link_id,))
            _report(
                f"Review {review_id}: removed the link from "
                f"{POINTS_AT[owner].replace('_', ' ')} {key} to "
                f"{POINTS_AT[column].replace('_', ' ')} {their_key} of review "
                f"{their_review} (a link never reaches into another review). The copy made "
                "before this update still has it."
            )


def _remove_repeated_links(bind: Any) -> None:
    for table, (owner, target) in LINK_PAIRS.items():
        bind.exec_driver_sql(
            f"DELETE FROM {table} WHERE id NOT IN (SELECT (SELECT k.id FROM {table} k "
            f"WHERE k.{owner} = l.{owner} AND k.{target} = l.{target} "
            f"ORDER BY k.position, k.id LIMIT 1) FROM {table} l)"
        )


def _rebuild(not_set_nullable: bool, new_names: bool) -> None:
    for table in sorted({*RENAMED, *LINK_PAIRS, *NOT_SET}):
        with op.batch_alter_table(
            table,
            recreate="always",
            table_kwargs={} if table == "meeting" else {"sqlite_autoincrement": True},
        ) as batch:
            if table in RENAMED:
                old, columns = RENAMED[table]
                new = f"uq_{table}_{'_'.join(columns)}"
                batch.drop_constraint(new if not new_names else old, type_="unique")
                batch.create_unique_constraint(new if new_names else old, list(columns))
            if table in LINK_PAIRS:
                columns = LINK_PAIRS[table]
                name = f"uq_{table}_{'_'.join(columns)}"
                if new_names:
                    batch.create_unique_constraint(name, list(columns))
                else:
                    batch.drop_constraint(name, type_="unique")
            if table in NOT_SET:
                batch.alter_column(
                    NOT_SET[table], existing_type=sa.String(), nullable=not_set_nullable
                )


def upgrade() -> None:
    _refuse_with_foreign_keys_on()
    bind = op.get_bind()
    _copy_people_into_their_rows_reviews(bind)
    _remove_links_between_reviews(bind)
    _remove_repeated_links(bind)
    _rebuild(not_set_nullable=True, new_names=True)
    for table, column in NOT_SET.items():
        bind.exec_driver_sql(f"UPDATE {table} SET {column} = NULL WHERE {column} = ''")
    for _, sql in _triggers():
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    """Back to 0002: triggers and unique pairs go, names and '' for not set come back. Rows
    removed or people copied on the way up stay as they are now (the backup has the old)."""
    _refuse_with_foreign_keys_on()
    bind = op.get_bind()
    for name, _ in _triggers():
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table, column in NOT_SET.items():
        bind.exec_driver_sql(f"UPDATE {table} SET {column} = '' WHERE {column} IS NULL")
    _rebuild(not_set_nullable=False, new_names=False)
