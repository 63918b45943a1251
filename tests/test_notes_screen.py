"""Pilot: the note taker's screen. Type notes, insert a time, tick matters, mark a contentious
passage; every change is in the database as soon as it is made; a failed save says NOT SAVED and
keeps the text; the disclosure reminder is always on screen."""

from __future__ import annotations

import datetime as dt
import sqlite3

from textual.widgets import Checkbox, Static, TextArea

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from tests.conftest import make_app, wait_until

CLOCK = dt.datetime(2025, 9, 10, 14, 5)


def _interview(store: Store) -> int:
    rid = store.create_review("Notes", "serious case review", "concern")
    person = iv.add_person(store, rid, "Ann Able", pseudonym="Social Worker 1")
    return iv.add_interview(store, rid, person.id, scheduled_for="2025-09-10T14:00").id


async def _settled(pilot, screen) -> None:  # noqa: ANN001
    """Wait until the writer thread has answered for every change (saved or failed)."""
    await pilot.pause()  # the TextArea's Changed message has been handled: the change is queued
    await wait_until(
        pilot,
        lambda: screen.all_saved or screen.unsaved,
        what="the notes to be saved or reported unsaved",
    )


def _stored_notes(folder) -> str:  # noqa: ANN001
    conn = sqlite3.connect(folder.db_path)  # straight from the file, as after a crash
    try:
        return conn.execute("SELECT notes FROM interview").fetchone()[0]
    finally:
        conn.close()


async def test_type_time_matters_contentious(folder, store: Store) -> None:  # noqa: ANN001
    iid = _interview(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.notes import NotesScreen

        app.push_screen(NotesScreen(iid, clock=lambda: CLOCK))
        await pilot.pause()
        screen = app.screen
        assert "may be disclosed to a later serious case review" in str(
            screen.query_one("#disclosure").render()
        )
        area = screen.query_one("#notes", TextArea)
        assert area.has_focus
        area.insert("Present: Ann Able and the reviewer.\n")
        await _settled(pilot, screen)
        assert _stored_notes(folder) == "Present: Ann Able and the reviewer.\n"
        await pilot.press("ctrl+t")
        await pilot.press("S", "h", "e")  # and a few real keys, each saved as typed
        await _settled(pilot, screen)
        assert _stored_notes(folder).endswith("[14:05] She")
        area.insert(" said the referral was clear.\nLater: the plan was agreed.")
        await pilot.pause()
        # A time pressed mid-line starts a new line.
        area.insert(" Mid")
        await pilot.press("ctrl+t")
        await _settled(pilot, screen)
        assert _stored_notes(folder).endswith("plan was agreed. Mid\n[14:05] ")
        area.undo()
        area.undo()
        await _settled(pilot, screen)
        assert _stored_notes(folder).endswith("Later: the plan was agreed.")
        # Mark the passage on the current line... and a selected passage.
        await pilot.press("ctrl+o")
        area.select_line(1)
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        points = str(screen.query_one("#points", Static).render())
        assert "1. Later: the plan was agreed." in points
        assert "2. [14:05] She said the referral was clear." in points
        # Tick two matters with the keyboard and one with the mouse.
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f4")  # hide and show the list again: focus is in the list
        await pilot.pause()
        assert (
            isinstance(app.focused, Checkbox) and app.focused.id == "m-history_before_involvement"
        )
        await pilot.press("space")
        await pilot.pause()
        screen.query_one("#m-looking_back", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        await pilot.click("#m-specific_involvement")
        await pilot.pause()
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        # The reminder is still there with the matters list and points in view.
        assert screen.query_one("#disclosure").region.height >= 1
    row = store.get(m.Interview, iid)
    assert row.notes == (
        "Present: Ann Able and the reviewer.\n[14:05] She said the referral was clear.\n"
        "Later: the plan was agreed."
    )
    assert row.matters_covered == [
        "history_before_involvement",
        "specific_involvement",
        "looking_back",
    ]
    assert row.contentious_points == [
        "Later: the plan was agreed.",
        "[14:05] She said the referral was clear.",
    ]
    assert row.contentious_points_checked_back is False


async def test_failed_save_says_not_saved_and_keeps_text(folder, store: Store, monkeypatch) -> None:  # noqa: ANN001
    iid = _interview(store)
    app = make_app(folder)
    real_save = iv.save_notes
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.notes import NotesScreen

        app.push_screen(NotesScreen(iid, clock=lambda: CLOCK))
        await pilot.pause()
        screen = app.screen
        area = screen.query_one("#notes", TextArea)
        area.insert("First words. ")
        await _settled(pilot, screen)

        def full_disk(*args: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(iv, "save_notes", full_disk)
        area.insert("Typed while the disk was full.")
        await _settled(pilot, screen)
        assert screen.unsaved
        indicator = str(screen.query_one("SaveIndicator").render())
        assert "NOT SAVED" in indicator and "disk is full" in indicator
        assert area.text == "First words. Typed while the disk was full."  # still on screen
        assert _stored_notes(folder) == "First words. "
        await pilot.press("escape")  # leaving is refused while unsaved
        await pilot.pause()
        assert app.screen is screen
        # Rule 6: offers a copy in a file the note taker chooses, warning it is not encrypted.
        await pilot.press("f9")
        await pilot.pause()
        assert "NOT ENCRYPTED" in str(app.screen.query_one(".warning").render())
        copy = folder.path.parent / "copy" / "notes.txt"
        app.screen.query_one("#value").value = str(copy)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert copy.read_text(encoding="utf-8") == "First words. Typed while the disk was full."
        # The next change retries and saves everything on screen.
        monkeypatch.setattr(iv, "save_notes", real_save)
        area.insert(" Back.")
        await _settled(pilot, screen)
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        assert _stored_notes(folder) == "First words. Typed while the disk was full. Back."


async def test_any_unicode_kept_and_lone_surrogate_refused(folder, store: Store) -> None:  # noqa: ANN001
    iid = _interview(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.notes import NotesScreen

        app.push_screen(NotesScreen(iid))
        await pilot.pause()
        screen = app.screen
        area = screen.query_one("#notes", TextArea)
        text = "Zoë O’Brien said “no” 😊 {{ child_name }} \x07 مرحبا"
        area.insert(text)
        await _settled(pilot, screen)
        assert _stored_notes(folder) == text
        area.insert("\ud800")
        await _settled(pilot, screen)
        assert "NOT SAVED" in str(app.screen.query_one("SaveIndicator").render())
        assert _stored_notes(folder) == text


async def test_a_key_whose_after_frame_call_is_dropped_is_still_saved(
    folder,  # noqa: ANN001
    store: Store,
    monkeypatch,  # noqa: ANN001
) -> None:
    """A key is handed to the writer after the frame that shows it; Textual drops that call when
    the screen on top is removed first (a dialog opened and closed at once). The screen's timer
    hands it over anyway, without leaving the screen."""
    iid = _interview(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.notes import NotesScreen

        app.push_screen(NotesScreen(iid, clock=lambda: CLOCK))
        await pilot.pause()
        screen = app.screen
        monkeypatch.setattr(screen, "call_after_refresh", lambda *args, **kwargs: True)
        await pilot.press("N", "o")
        await wait_until(
            pilot, lambda: _stored_notes(folder) == "No", what="the keys to reach the file"
        )
        assert app.screen is screen
