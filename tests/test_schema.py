"""The schema keeps a review's rows inside that review, links once each, and dates not yet set
as NULL (issue "One way to do each thing" item 7), and migration 0003 carries a database made
by revision 0002 over to it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import actions, bundle, findings, migrate, read_model
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import Store
from reviewer_tui.search import is_search_table
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE

LINK_PAIRS = {
    "finding_chronology": ("finding_id", "chronology_entry_id"),
    "finding_interview": ("finding_id", "interview_id"),
    "finding_record": ("finding_id", "record_examined_id"),
    "recommendation_evidence": ("recommendation_id", "chronology_entry_id"),
    "recommendation_finding": ("recommendation_id", "finding_id"),
    "family_contact_member": ("family_contact_id", "family_member_id"),
}
NOT_SET_TEXT_DATES = {
    "interview": "scheduled_for",
    "meeting": "held_on",
    "escalation": "advised_commissioner_on",
}


def raw(folder_or_dir: DataFolder | Path) -> sqlite3.Connection:
    """A plain connection as the app opens it (foreign keys on)."""
    if isinstance(folder_or_dir, DataFolder):
        return folder_or_dir.connect()
    conn = sqlite3.connect(folder_or_dir / "reviews.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def unique_constraints(conn: sqlite3.Connection) -> dict[str, tuple[str, list[str]]]:
    """Every UNIQUE constraint written in a CREATE TABLE: name -> (table, columns)."""
    found = {}
    for table, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        for name, cols in re.findall(r"CONSTRAINT (\w+) UNIQUE \(([^)]*)\)", sql or ""):
            found[name] = (table, [c.strip().strip('"') for c in cols.split(",")])
    return found


def two_reviews(store: Store) -> tuple[int, int]:
    return bundle.import_file(store, SAMPLE), bundle.import_file(store, SAMPLE)


def reviews_at_an_old_revision(folder: DataFolder, scratch: Path) -> tuple[int, int]:
    """Two copies of the sample in a folder migrated only to an old revision: imported at head
    (the models know only head's columns) into `scratch`, then copied over column by column, so
    columns later migrations add are left behind."""
    from reviewer_tui.cli import open_folder

    head = open_folder(scratch)
    try:
        a, b = two_reviews(Store(head))
    finally:
        head.close()
    conn = sqlite3.connect(folder.db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS head", (str(scratch / "reviews.db"),))
        conn.execute("BEGIN")
        tables = [
            t
            for (t,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
            if t not in ("alembic_version", "sqlite_sequence") and not t.startswith("sqlite_")
        ]
        for table in tables:
            have = {r[1] for r in conn.execute(f"PRAGMA head.table_info({table})")}
            columns = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
            names = ", ".join(f'"{c}"' for c in columns if c in have)
            conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM head.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE head")
    finally:
        conn.close()
    return a, b


def first_id(conn: sqlite3.Connection, table: str, review_id: int) -> int:
    return conn.execute(
        f"SELECT min(id) FROM {table} WHERE review_id = ?", (review_id,)
    ).fetchone()[0]


# --- constraint names and unique pairs -------------------------------------------------------
def test_every_unique_constraint_is_named_after_all_its_columns(folder: DataFolder) -> None:
    conn = raw(folder)
    try:
        found = unique_constraints(conn)
    finally:
        conn.close()
    assert found
    assert {
        name: f"uq_{table}_{'_'.join(cols)}"
        for name, (table, cols) in found.items()
        if name != f"uq_{table}_{'_'.join(cols)}"
    } == {}


def test_link_tables_hold_each_pair_once(folder: DataFolder, store: Store) -> None:
    a, _ = two_reviews(store)
    conn = raw(folder)
    try:
        for table, (owner, target) in LINK_PAIRS.items():
            o, t, pos = conn.execute(
                f"SELECT {owner}, {target}, position FROM {table} LIMIT 1"
            ).fetchone()
            with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
                conn.execute(
                    f"INSERT INTO {table} ({owner}, {target}, position) VALUES (?, ?, ?)",
                    (o, t, pos + 10),
                )
    finally:
        conn.close()


# --- nothing points into another review ------------------------------------------------------
def cross_review_writes(
    conn: sqlite3.Connection, a: int, b: int
) -> list[tuple[str, tuple[Any, ...]]]:
    """One write per relation that would point from review a into review b."""

    def of(table: str, review: int) -> int:
        return first_id(conn, table, review)

    return [
        (
            "INSERT INTO finding_chronology (finding_id, chronology_entry_id, position) "
            "VALUES (?, ?, 99)",
            (of("finding", a), of("chronology_entry", b)),
        ),
        (
            "INSERT INTO finding_interview (finding_id, interview_id, position) VALUES (?, ?, 99)",
            (of("finding", a), of("interview", b)),
        ),
        (
            "INSERT INTO finding_record (finding_id, record_examined_id, position) VALUES (?, ?, 99)",
            (of("finding", a), of("record_examined", b)),
        ),
        (
            "INSERT INTO recommendation_evidence (recommendation_id, chronology_entry_id, position) "
            "VALUES (?, ?, 99)",
            (of("recommendation", a), of("chronology_entry", b)),
        ),
        (
            "INSERT INTO recommendation_finding (recommendation_id, finding_id, position) "
            "VALUES (?, ?, 99)",
            (of("recommendation", a), of("finding", b)),
        ),
        (
            "INSERT INTO family_contact_member (family_contact_id, family_member_id, position) "
            "VALUES (?, ?, 99)",
            (of("family_contact", a), of("family_member", b)),
        ),
        ("UPDATE interview SET person_id = ? WHERE id = ?", (of("person", b), of("interview", a))),
        (
            "UPDATE meeting_attendee SET person_id = ? WHERE id = ?",
            (of("person", b), of("meeting_attendee", a)),
        ),
        (
            "UPDATE meeting_contribution SET person_id = ? WHERE id = ?",
            (of("person", b), of("meeting_contribution", a)),
        ),
        (
            "UPDATE finding_chronology SET chronology_entry_id = ? WHERE finding_id = ?",
            (of("chronology_entry", b), of("finding", a)),
        ),
        ("UPDATE person SET review_id = ? WHERE id = ?", (b, of("person", a))),
    ]


def test_the_schema_refuses_every_link_into_another_review(
    folder: DataFolder, store: Store
) -> None:
    a, b = two_reviews(store)
    conn = raw(folder)
    try:
        before = "\n".join(conn.iterdump())
        for sql, args in cross_review_writes(conn, a, b):
            with pytest.raises(sqlite3.IntegrityError, match="another review"):
                conn.execute(sql, args)
        assert "\n".join(conn.iterdump()) == before
    finally:
        conn.close()


def test_the_store_refuses_an_interviewee_from_another_review_with_a_clear_message(
    store: Store,
) -> None:
    a = store.create_review("Child A", "internal case review", "concern")
    b = store.create_review("Child B", "internal case review", "concern")
    theirs = iv.add_person(store, b, "Worker in review B")
    ours = iv.add_person(store, a, "Worker in review A")
    with pytest.raises(InputError, match="That person is not part of this review"):
        iv.add_interview(store, a, theirs.id, notes="Said the mother was drinking")
    assert store.rows(m.Interview, a) == []

    interview = iv.add_interview(store, a, ours.id)
    with pytest.raises(InputError, match="That person is not part of this review"):
        store.update(m.Interview, interview.id, person_id=theirs.id)
    assert store.get(m.Interview, interview.id).person_id == ours.id


def test_every_link_writer_refuses_rows_of_another_review(store: Store) -> None:
    a, b = two_reviews(store)
    theirs_entry = store.rows(m.ChronologyEntry, b)[0].id
    theirs_finding = store.rows(m.Finding, b)[0].id
    theirs_member = store.rows(m.FamilyMember, b)[0].id
    finding = store.rows(m.Finding, a)[0].id
    rec = store.rows(m.Recommendation, a)[0].id
    contact = store.rows(m.FamilyContact, a)[0].id
    before = bundle.export_bundle(store, a, exported_at=None)
    for write in (
        lambda: findings.link(store, finding, "chronology", theirs_entry),
        lambda: actions.set_recommendation_links(store, rec, finding_ids=[theirs_finding]),
        lambda: actions.set_contact_members(store, contact, [theirs_member]),
        lambda: store.add_row(m.MeetingAttendee, a, person_id=store.rows(m.Person, b)[0].id),
    ):
        with pytest.raises(InputError, match="not part of this review"):
            write()
    after = bundle.export_bundle(store, a, exported_at=None)
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }


# --- dates not yet set are NULL, as in the DATE columns -------------------------------------
def test_dates_not_yet_set_are_stored_as_null_and_still_read_as_not_set(
    folder: DataFolder, store: Store
) -> None:
    rid = store.create_review("Child A", "internal case review", "concern")
    person = iv.add_person(store, rid, "Worker")
    interview = iv.add_interview(store, rid, person.id)
    esc = actions.add_escalation(store, rid, "safeguarding concern", "2025-03-01", "Told police")
    store.update(m.Meeting, rid, held_on="")
    store.update(m.Interview, interview.id, scheduled_for="")
    actions.update_escalation(store, esc, "advised_commissioner_on", "")
    conn = raw(folder)
    try:
        stored = {
            table: conn.execute(f"SELECT {column} FROM {table}").fetchall()
            for table, column in NOT_SET_TEXT_DATES.items()
        }
        assert stored == {table: [(None,)] for table in NOT_SET_TEXT_DATES}
        # What the reviewer sees: the escalation is still not advised, the interview unscheduled.
        assert len(read_model.unadvised_escalations(conn, rid)[rid]) == 1
        assert [
            r.who + ", " + r.when + ": " + r.state
            for r in read_model.unsigned_records(conn, rid)[rid]
        ] == ["Worker, not scheduled: not yet held"]
    finally:
        conn.close()
    actions.update_escalation(store, esc, "advised_commissioner_on", "2025-03-02")
    conn = raw(folder)
    try:
        assert not read_model.unadvised_escalations(conn, rid)[rid]
    finally:
        conn.close()


# --- migration 0003 from a database made by 0002 ---------------------------------------------
SECRET_NOTES = "Said she raised the bruise with her manager ✓"


def insert(conn: sqlite3.Connection, table: str, **values: Any) -> int:
    names = ", ".join(f'"{k}"' for k in values)
    marks = ", ".join("?" for _ in values)
    return (
        conn.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values())
        ).lastrowid
        or 0
    )


def make_0002_database(data_dir: Path) -> dict[str, Any]:
    """A data folder at revision 0002 with two copies of the sample review, a row in every table,
    '' for dates not set, a repeat of every kind of link, and rows pointing into the other
    review: two links, an interview and a meeting contribution naming the other review's person."""
    folder = DataFolder(data_dir)
    folder.open()
    migrate.upgrade(folder, head="0002")
    a, b = reviews_at_an_old_revision(folder, data_dir.parent / "at-head")
    conn = raw(folder)
    try:
        assert migrate.current_revision(conn) == "0002"
        theirs = first_id(conn, "person", b)
        made: dict[str, Any] = {
            "a": a,
            "b": b,
            "their_person": theirs,
            "repeats": {},
            "between": {},
        }
        insert(conn, "agency_code", review_id=a, position=1, code="HV", name="Health visiting")
        insert(
            conn,
            "chronology_quick_entry",
            review_id=a,
            when="2025-02-03",
            source="",
            event="Half",
            participation="",
            outcome="",
            issues="",
            sequence="",
            later=0,
        )
        for advised in ("", "2025-03-02"):
            insert(
                conn,
                "escalation",
                review_id=a,
                position=1,
                raised_on="2025-03-01",
                kind="safeguarding concern",
                summary="Told the police",
                action_taken="",
                advised_commissioner_on=advised,
            )
        insert(
            conn,
            "interview_version",
            interview_id=first_id(conn, "interview", a),
            position=0,
            received_at="2025-03-01T10:00:00+00:00",
            source="laptop 2",
            data="{}",
            resolved=0,
        )
        conn.execute("UPDATE meeting SET held_on = '' WHERE review_id = ?", (b,))
        conn.execute(
            "UPDATE interview SET scheduled_for = '' WHERE id = ?",
            (first_id(conn, "interview", b),),
        )
        for table, (owner, target) in LINK_PAIRS.items():
            o, t = conn.execute(
                f"SELECT {owner}, {target} FROM {table} ORDER BY id LIMIT 1"
            ).fetchone()
            made["repeats"][table] = insert(conn, table, **{owner: o, target: t, "position": 50})
        made["between"]["finding_chronology"] = insert(
            conn,
            "finding_chronology",
            finding_id=first_id(conn, "finding", a),
            position=60,
            chronology_entry_id=first_id(conn, "chronology_entry", b),
        )
        made["between"]["family_contact_member"] = insert(
            conn,
            "family_contact_member",
            family_contact_id=first_id(conn, "family_contact", a),
            position=60,
            family_member_id=first_id(conn, "family_member", b),
        )
        interview = conn.execute(
            "SELECT * FROM interview WHERE review_id = ? LIMIT 1", (a,)
        ).fetchone()
        names = [d[1] for d in conn.execute("PRAGMA table_info(interview)")]
        copied = dict(zip(names, interview, strict=True))
        copied.update(id=None, key="iv-90", person_id=theirs, notes=SECRET_NOTES, position=90)
        made["interview"] = insert(
            conn, "interview", **{k: v for k, v in copied.items() if k != "id"}
        )
        made["contribution"] = insert(
            conn,
            "meeting_contribution",
            review_id=a,
            position=90,
            person_id=theirs,
            role="",
            went_well="The home visits",
            did_not_go_well="",
        )
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        empty = [
            n
            for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] == 0
        ]
        assert empty == ["app_setting"]
    finally:
        conn.close()
    folder.close()
    return made


def table_rows(conn: sqlite3.Connection) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every row of every table by its first column (its id, or its review's id, or its key)."""
    names = [
        n
        for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT IN ('alembic_version', 'sqlite_sequence')"
        )
        if not is_search_table(n)  # the search index (0004), derived from the rest
    ]
    return {n: {row[0]: row for row in conn.execute(f'SELECT * FROM "{n}"')} for n in names}


def column_index(conn: sqlite3.Connection, table: str, column: str) -> int:
    return [d[1] for d in conn.execute(f"PRAGMA table_info({table})")].index(column)


def replaced(row: tuple[Any, ...], index: int, value: Any) -> tuple[Any, ...]:
    return (*row[:index], value, *row[index + 1 :])


def test_migration_0003_carries_every_row_and_reports_what_it_repaired(data_dir: Path) -> None:
    made = make_0002_database(data_dir)
    conn = raw(data_dir)
    before = table_rows(conn)
    conn.close()

    folder = DataFolder(data_dir)
    folder.open()
    notes: list[str] = []
    try:
        backup = migrate.upgrade(folder, head="0003", report=notes.append)
        conn = raw(folder)
        after = table_rows(conn)
        copy_id = conn.execute(
            "SELECT person_id FROM interview WHERE id = ?", (made["interview"],)
        ).fetchone()[0]
        copy_key = after["person"][copy_id][column_index(conn, "person", "key")]
        expected = {t: dict(rows) for t, rows in before.items()}
        for table, link in [*made["repeats"].items(), *made["between"].items()]:
            del expected[table][link]
        for table, column in NOT_SET_TEXT_DATES.items():
            i = column_index(conn, table, column)
            expected[table] = {
                k: replaced(r, i, None if r[i] == "" else r[i]) for k, r in expected[table].items()
            }
        for table, row_id in (
            ("interview", made["interview"]),
            ("meeting_contribution", made["contribution"]),
        ):
            i = column_index(conn, table, "person_id")
            expected[table][row_id] = replaced(expected[table][row_id], i, copy_id)
        theirs = before["person"][made["their_person"]]
        expected["person"][copy_id] = (
            copy_id,
            made["a"],
            after["person"][copy_id][2],
            copy_key,
            *theirs[4:],
        )
        later = {t for t in after if t not in before}  # made empty by later migrations
        assert {t: rows for t, rows in after.items() if t not in later} == expected
        assert all(after[t] == {} for t in later)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert sorted(unique_constraints(conn)) == sorted(
            f"uq_{t}_{'_'.join(cols)}" for t, cols in unique_constraints(conn).values()
        )
        conn.close()

        assert backup is not None and backup.exists()
        assert len(notes) == 5
        assert all(f"Review {made['a']}:" in note for note in notes[:4])
        assert sum("removed the link" in note for note in notes) == 2
        assert sum(f"copied into review {made['a']} as {copy_key}" in note for note in notes) == 2
        assert notes[-1] == f"The copy made before the update is {backup}"
        assert SECRET_NOTES not in "".join(notes)

        # What the reviewer gets: review a exports whole, the interview and its notes kept,
        # its interviewee one of review a's own people (at head, as the app opens it).
        migrate.upgrade(folder)
        exported = bundle.export_bundle(Store(folder), made["a"])
        bundle.validate(exported)
        kept = next(i for i in exported["interviews"] if i.get("notes") == SECRET_NOTES)
        assert kept["person_id"] == copy_key
        assert copy_key in {p["id"] for p in exported["people"]}
    finally:
        folder.close()


def test_migration_0003_refuses_foreign_keys_on_and_goes_down_and_up_again(data_dir: Path) -> None:
    from alembic import command
    from alembic.config import Config

    make_0002_database(data_dir)
    folder = DataFolder(data_dir)
    folder.open()
    try:
        migrate.upgrade(folder, report=lambda note: None)
        conn = raw(folder)
        at_head = table_rows(conn)
        conn.close()

        def downgrade(foreign_keys: bool) -> None:
            config = Config()
            config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
            with folder.engine().connect() as connection:
                if not foreign_keys:
                    connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.downgrade(config, "0002")

        with pytest.raises(RuntimeError, match="foreign keys off"):
            downgrade(foreign_keys=True)
        downgrade(foreign_keys=False)
        conn = raw(folder)
        try:
            assert migrate.current_revision(conn) == "0002"
            assert (
                conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                ).fetchone()[0]
                == 0
            )
            assert "uq_finding_review_id" in unique_constraints(conn)
            assert (
                conn.execute("SELECT count(*) FROM meeting WHERE held_on = ''").fetchone()[0] == 1
            )
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()

        migrate.upgrade(folder, report=lambda note: None)
        conn = raw(folder)
        try:
            assert table_rows(conn) == at_head
        finally:
            conn.close()
    finally:
        folder.close()


def test_every_same_review_rule_is_in_force_at_head(folder: DataFolder) -> None:
    """Each rule of models.SAME_REVIEW has its insert and update triggers (a later migration that
    rebuilds one of these tables must create them again)."""
    conn = raw(folder)
    try:
        triggers = {
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    finally:
        conn.close()
    assert {
        f"same_review_{table}_{event}"
        for table, _, _ in m.SAME_REVIEW
        for event in ("insert", "update")
    } <= triggers


def test_what_0003_repaired_is_printed_before_the_app_starts(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewer_tui.cli import open_folder

    make_0002_database(data_dir)
    capsys.readouterr()
    open_folder(data_dir).close()  # as the app opens its folder, before the UI
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 5 and all(line.startswith("reviewer-tui: ") for line in err)
    assert "removed the link from finding" in err[2]
    assert err[-1].startswith("reviewer-tui: The copy made before the update is ")
