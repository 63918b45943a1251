"""Ids that key stored text are never reused, and every piece of review text cascades from its
review (issue "Trust" item 7): deleted text never comes back in a later review."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from reviewer_tui import chronology as ch
from reviewer_tui import deletion, migrate
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.search import is_search_table
from reviewer_tui.storage import DataFolder
from tests.conftest import import_sample_at_an_older_revision

SECRET = "Mother said the boyfriend hit him with a belt"


def dump_text(folder: DataFolder) -> str:
    conn = folder.connect()
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def test_quick_entry_text_of_a_deleted_review_does_not_appear_in_the_next_new_review(
    folder: DataFolder, store: Store
) -> None:
    first = store.create_review("Child A", "internal case review", "concern")
    ch.save_draft(store, first, {"when": "12/03/2025", "event": SECRET, "later": True})
    assert ch.draft(store, first)["event"] == SECRET
    store.delete_review(first, "Child A")

    second = store.create_review("Child B", "internal case review", "concern")
    assert second != first
    assert ch.draft(store, second) == {}
    assert SECRET not in dump_text(folder)


def test_deleting_the_newest_row_never_frees_its_id(store: Store) -> None:
    """SQLite hands out max(id)+1 without AUTOINCREMENT, so deleting the newest review (or
    entry) gave its id, and whatever was keyed by it, to the next one."""
    rid = store.create_review("Child A", "internal case review", "concern")
    entry = ch.add_entry(store, rid, "2025-01-02", "day", event="first")
    deletion.delete(store, m.ChronologyEntry, entry.id)
    again = ch.add_entry(store, rid, "2025-01-03", "day", event="second")
    assert again.id != entry.id
    store.delete_review(rid, "Child A")
    assert store.create_review("Child C", "internal case review", "concern") != rid


def integer_id_tables() -> list[str]:
    return sorted(
        t.name for t in m.SQLModel.metadata.tables.values() if "id" in t.c and t.c.id.primary_key
    )


def test_every_table_with_a_row_id_is_autoincrement(folder: DataFolder) -> None:
    conn = folder.connect()
    try:
        sql = dict(
            conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        )
    finally:
        conn.close()
    assert integer_id_tables()
    assert [t for t in integer_id_tables() if "AUTOINCREMENT" not in sql[t]] == []


def test_no_review_text_is_kept_outside_a_table_that_cascades_from_its_review() -> None:
    """Every table reaches review through ON DELETE CASCADE foreign keys, except app_setting,
    which holds only settings of the data folder."""
    tables = m.SQLModel.metadata.tables

    def cascades(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == "review":
            return True
        owners = [fk for fk in tables[name].foreign_keys if fk.ondelete == "CASCADE"]
        return any(
            fk.column.table.name not in seen and cascades(fk.column.table.name, seen | {name})
            for fk in owners
        )

    assert sorted(n for n in tables if not cascades(n)) == ["app_setting"]


# --- migration 0002 from a database made by 0001 ----------------------------------------------
def make_0001_database(data_dir: Path) -> tuple[int, int]:
    """A data folder at revision 0001 with the sample review, a second review deleted after its
    quick entry was typed (the orphan draft 0001 left behind), and a live draft."""
    folder = DataFolder(data_dir)
    folder.open()
    migrate.upgrade(folder, head="0001")
    conn = folder.connect()
    try:
        assert migrate.current_revision(conn) == "0001"
        kept = import_sample_at_an_older_revision(folder, data_dir.parent / "at-head")
        conn.execute(
            "INSERT INTO review (title, review_type, criterion, child_name, child_pseudonym, "
            "agency, commissioner_name, commissioner_post, lead_reviewer_name, "
            "lead_reviewer_post, lead_reviewer_address, lead_reviewer_telephone, "
            "lead_reviewer_independence_statement, brief, preliminary_questions, "
            "reason_for_review, support_for_reviewer, family_summary, created_at, updated_at) "
            "VALUES ('Deleted', 'internal case review', 'concern', '', '', '', '', '', '', '', "
            "'', '', '', '', '[]', '', '', '', '2025-01-01T00:00:00+00:00', "
            "'2025-01-01T00:00:00+00:00')"
        )
        deleted = conn.execute("SELECT max(id) FROM review").fetchone()[0]
        for rid, values in (
            (
                kept,
                {
                    "when": "2025-02-03",
                    "event": "Half-typed ✓ «kept»",
                    "later": True,
                    "sequence": "2",
                },
            ),
            (deleted, {"event": SECRET}),
        ):
            conn.execute(
                "INSERT INTO app_setting (key, value) VALUES (?, ?)",
                (f"chronology-quick-entry-draft:{rid}", json.dumps(values, ensure_ascii=False)),
            )
        conn.execute("DELETE FROM review WHERE id = ?", (deleted,))
    finally:
        conn.close()
    folder.close()
    return kept, deleted


def table_rows(conn: sqlite3.Connection, skip: set[str]) -> dict[str, list[tuple]]:
    names = [
        n
        for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
        for n in names
        if n not in skip and not is_search_table(n)  # the search index (0004): derived
    }


def test_migration_0002_keeps_every_row_moves_drafts_and_never_reuses_ids(data_dir: Path) -> None:
    kept, deleted = make_0001_database(data_dir)
    raw = sqlite3.connect(data_dir / "reviews.db")
    before = table_rows(raw, {"alembic_version", "app_setting"})
    raw.close()

    from reviewer_tui.cli import open_folder

    folder = open_folder(data_dir)  # migrates to head, as the app does on start
    try:
        store = Store(folder)
        conn = folder.connect()
        after = table_rows(
            conn, {"alembic_version", "app_setting", "chronology_quick_entry", "sqlite_sequence"}
        )
        later = {t for t in after if t not in before}  # made empty by later migrations
        assert all(after.pop(t) == [] for t in later)
        for table, rows in before.items():  # columns later migrations added, at the end: blank
            width = len(rows[0]) if rows else 0
            assert all(v in (None, "") for row in after[table] for v in row[width:]), table
            after[table] = [row[:width] for row in after[table]] if rows else after[table]
        assert after == before  # every row of every table, every value, carried over
        assert conn.execute("SELECT count(*) FROM app_setting").fetchone()[0] == 0
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
        assert ch.draft(store, kept) == {
            "when": "2025-02-03",
            "event": "Half-typed ✓ «kept»",
            "later": True,
            "sequence": "2",
        }
        assert SECRET not in dump_text(folder)
        new = store.create_review("Next review", "internal case review", "concern")
        assert new > deleted
        assert ch.draft(store, new) == {}
        # The foreign keys still cascade after the tables were rebuilt.
        title = store.review(kept).title
        store.delete_review(kept, title)
        store.delete_review(new, "Next review")
        conn = folder.connect()
        left = {
            n: rows
            for n, rows in table_rows(conn, {"alembic_version", "sqlite_sequence"}).items()
            if rows and n != "review"
        }
        conn.close()
        assert left == {}
    finally:
        folder.close()


async def test_the_next_reviews_quick_entry_form_opens_empty(
    folder: DataFolder, store: Store
) -> None:
    """What the note taker sees: text typed (not added) in a review that was then deleted is not
    in the quick-entry form of the review created next."""
    from textual.widgets import Input

    from reviewer_tui.screens.chronology import ChronologyScreen
    from tests.conftest import make_app

    async def open_quick_entry(pilot, review_id: int):  # noqa: ANN001, ANN202
        await pilot.app.push_screen(ChronologyScreen(review_id))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        return pilot.app.screen

    first = store.create_review("Child A", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_quick_entry(pilot, first)
        form.query_one("#qe-event", Input).value = SECRET
        await pilot.pause()
    store.delete_review(first, "Child A")
    second = store.create_review("Child B", "internal case review", "concern")

    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_quick_entry(pilot, second)
        assert form.query_one("#qe-event", Input).value == ""
        assert "Restored" not in str(form.query_one("#qe-message").render())


def test_migration_0002_refuses_foreign_keys_on_and_goes_down_and_up_again(
    folder: DataFolder, store: Store
) -> None:
    import pytest
    from alembic import command
    from alembic.config import Config

    rid = store.create_review("Child A", "internal case review", "concern")
    ch.save_draft(store, rid, {"event": "Typed ✓", "later": True})

    def downgrade(foreign_keys: bool) -> None:
        config = Config()
        config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
        with folder.engine().connect() as connection:
            if not foreign_keys:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                config.attributes["connection"] = connection
                command.downgrade(config, "0001")

    with pytest.raises(RuntimeError, match="foreign keys off"):
        downgrade(foreign_keys=True)
    assert ch.draft(store, rid) == {"event": "Typed ✓", "later": True}

    downgrade(foreign_keys=False)
    conn = folder.connect()
    try:
        assert migrate.current_revision(conn) == "0001"
        (value,) = conn.execute("SELECT value FROM app_setting").fetchone()
        assert json.loads(value) == {"event": "Typed ✓", "later": True}
        assert (
            "AUTOINCREMENT"
            not in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'review'").fetchone()[0]
        )
    finally:
        conn.close()

    migrate.upgrade(folder)
    assert ch.draft(store, rid) == {"event": "Typed ✓", "later": True}
    assert store.review(rid).title == "Child A"


def test_bundle_ids_of_deleted_rows_are_never_given_again(store: Store, tmp_path: Path) -> None:
    """A bundle id keys stored text too. Deleting the newest interview (or person, finding,
    recommendation) must not hand its id to the next one; and a note-taker pack of the deleted
    interview must not land its notes in someone else's interview."""
    import pytest

    from reviewer_tui import actions, findings, packs
    from reviewer_tui import interviews as iv
    from reviewer_tui.errors import InputError

    rid = store.create_review("Child A", "internal case review", "concern")
    iv.add_person(store, rid, "First worker")
    gone_person = iv.add_person(store, rid, "Second worker")
    gone = iv.add_interview(store, rid, gone_person.id, notes="Said the mother was drinking")
    taken_away = packs.make_pack(store, gone.id, tmp_path / "iv.json")
    pack = json.loads(taken_away.read_text(encoding="utf-8"))
    taken_away.write_text(
        json.dumps(pack | {"work": pack["base"] | {"notes": "More"}}), encoding="utf-8"
    )
    gone_member = iv.add_family_member(store, rid, "Aunt")
    gone_finding = findings.add_finding(store, rid, "first")
    gone_rec = actions.add_recommendation(store, rid, action="first")
    old_keys = {
        store.get(m.Finding, gone_finding).key,
        store.get(m.Recommendation, gone_rec).key,
        gone_person.key,
        gone.key,
        gone_member.key,
    }
    deletion.delete(store, m.Person, gone_person.id)  # and its interview with it
    deletion.delete(store, m.FamilyMember, gone_member.id)
    deletion.delete(store, m.Finding, gone_finding)
    deletion.delete(store, m.Recommendation, gone_rec)

    person = iv.add_person(store, rid, "New worker")
    interview = iv.add_interview(store, rid, person.id)
    new_keys = {
        store.get(m.Finding, findings.add_finding(store, rid, "new")).key,
        store.get(m.Recommendation, actions.add_recommendation(store, rid, action="new")).key,
        person.key,
        interview.key,
        iv.add_family_member(store, rid, "Uncle").key,
    }
    assert new_keys & old_keys == set()
    with pytest.raises(InputError):
        packs.merge_pack(store, rid, taken_away)
    assert store.get(m.Interview, interview.id).notes == ""
