"""Leaving the notes screen never blocks (issue 14 item 3): while the last change is still being
written, Esc says so on the save bar and the screen keeps taking keys, which are saved too; it
closes once everything is on disk."""

from __future__ import annotations

import sqlite3
import threading

from textual.widgets import TextArea

from reviewer_tui import interviews as iv
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import SaveIndicator
from tests.conftest import make_app, wait_until


async def test_esc_waits_for_the_writer_off_the_ui_thread(
    folder, store: Store, monkeypatch
) -> None:  # noqa: ANN001
    from reviewer_tui.screens.notes import NotesScreen

    rid = store.create_review("Leave", "serious case review", "concern")
    iid = iv.add_interview(store, rid, iv.add_person(store, rid, "Ann Able").id).id
    real_save = iv.save_notes
    held = threading.Event()  # the disk stalls until the test lets it go
    writing = threading.Event()
    ui_thread = threading.get_ident()
    saved_on: set[int] = set()

    def slow_save(store, interview_id, text, reason=""):  # noqa: ANN001, ANN202
        saved_on.add(threading.get_ident())
        writing.set()
        held.wait(20)
        real_save(store, interview_id, text, reason)

    monkeypatch.setattr(iv, "save_notes", slow_save)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(NotesScreen(iid))
        await pilot.pause()
        screen = app.screen
        area = screen.query_one("#notes", TextArea)
        area.insert("Present: Ann.")
        await wait_until(pilot, writing.is_set, what="the writer to start")
        await pilot.press("escape")
        # Still here, saying why, and the UI thread is free: keys are taken and drawn.
        assert app.screen is screen
        assert "Saving the last change" in str(screen.query_one(SaveIndicator).render())
        await pilot.press("space", "o", "k")
        assert area.text == "Present: Ann. ok"
        assert app.screen is screen
        held.set()
        await wait_until(pilot, lambda: app.screen is not screen, what="the screen to close")
        await app.workers.wait_for_complete()
    assert ui_thread not in saved_on
    conn = sqlite3.connect(folder.db_path)
    try:  # the keys typed while leaving are on disk too
        assert conn.execute("SELECT notes FROM interview").fetchone()[0] == "Present: Ann. ok"
    finally:
        conn.close()
