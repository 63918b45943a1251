"""Quitting while NOT SAVED ("Trust" item 3): ctrl+q asks, a recovery copy is written in the data
folder (encrypted when the folder is), the next start offers it back, and a signal or a closed
terminal always writes the copy before exiting.

A full disk is simulated as tests/test_notes_screen.py does (the save raises SQLite's "database or
disk is full"), and for real on a 4 MiB tmpfs where mount is allowed (tests/test_faults.py).
"""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from reviewer_tui import interviews as iv
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import REPO, make_app, wait_until
from tests.test_faults import fill, small_disk  # noqa: F401 - the fixture
from tests.test_signals import drain, read_until, wait_exit

FORTY = "Forty characters typed on a full disk!!!"
assert len(FORTY) == 40


def full_disk(*args: object, **kwargs: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def interview(store: Store) -> int:
    rid = store.create_review("Unsaved", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    return iv.add_interview(store, rid, person.id, notes="Saved first. ").id


def stored_notes(folder, iid: int) -> str:  # noqa: ANN001
    return Store(folder).get(__import__("reviewer_tui.models").models.Interview, iid).notes


async def click(pilot, selector: str) -> None:  # noqa: ANN001
    """Click a button as a person would: once it is on screen (laid out), and, when it was just
    pressed, once it no longer shows that press. Textual's Button ignores a click while it shows
    its press effect (the `-active` class, 0.2 s after a press), so a second click sooner is lost,
    as a person's accidental double click is; a test that clicks at once passes or fails with the
    machine's speed."""
    from textual.widgets import Button

    def ready() -> bool:  # looked up each time: the screen may rebuild the button
        found = [b for b in pilot.app.screen.query(selector) if isinstance(b, Button)]
        return bool(found) and found[0].region.area > 0 and not found[0].has_class("-active")

    await wait_until(pilot, ready, what=f"{selector} on screen, laid out and ready to click")
    assert await pilot.click(selector), f"{selector} was not there to click"


def shown(screen) -> str:  # noqa: ANN001
    """Every piece of text on a screen, as the person sees it."""
    from textual.widgets import Button, Static

    parts = [str(w.render()) for w in screen.query(Static).results()]
    parts += [str(b.label) for b in screen.query(Button).results()]
    parts += [a.text for a in screen.query(TextArea).results()]
    return "\n".join(parts)


async def type_unsaved_notes(pilot, app, iid: int, text: str):  # noqa: ANN001, ANN201
    from reviewer_tui.screens.notes import NotesScreen

    await app.workers.wait_for_complete()
    app.push_screen(NotesScreen(iid))
    await pilot.pause()
    screen = app.screen
    area = screen.query_one("#notes", TextArea)
    area.insert(text)
    await wait_until(pilot, lambda: screen.unsaved)
    return screen, area


async def test_ctrl_q_while_not_saved_asks_writes_a_copy_and_the_next_start_puts_it_back(
    folder, store: Store, monkeypatch
) -> None:  # noqa: ANN001
    iid = interview(store)
    real_save = iv.save_notes
    monkeypatch.setattr(iv, "save_notes", full_disk)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        notes, area = await type_unsaved_notes(pilot, app, iid, FORTY)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
        assert type(app.screen).__name__ == "UnsavedDialog", (
            "quit without asking: the text would be lost"
        )
        text = shown(app.screen)
        assert "NOT SAVED" in text and "Interview notes" in text and "disk is full" in text
        assert app.return_code is None
        await click(pilot, "#recover-quit")
        await pilot.pause()
    assert app.return_code == 0
    assert stored_notes(folder, iid) == "Saved first. "  # the save really failed
    files = [p for p in (folder.path / "recovery").iterdir() if not p.name.startswith(".")]
    assert len(files) == 1
    monkeypatch.setattr(iv, "save_notes", real_save)

    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                type(app.screen).__name__ == "RecoveryScreen"
                and "Interview notes" in shown(app.screen)
            ),
        )
        text = shown(app.screen)
        assert "Saved first. " + FORTY in text and "Interview notes" in text and "Unsaved" in text
        await click(pilot, ".put-back")
        await wait_until(pilot, lambda: not type(app.screen).__name__ == "RecoveryScreen")
    assert stored_notes(folder, iid) == "Saved first. " + FORTY
    from reviewer_tui import recovery

    assert recovery.copies(folder)[0] == []  # put back: not offered again


async def test_keep_working_then_try_saving_again(folder, store: Store, monkeypatch) -> None:  # noqa: ANN001
    from reviewer_tui.screens.notes import NotesScreen

    iid = interview(store)
    real_save = iv.save_notes
    monkeypatch.setattr(iv, "save_notes", full_disk)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        notes, area = await type_unsaved_notes(pilot, app, iid, FORTY)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
        await click(pilot, "#keep-working")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen) and area.text == "Saved first. " + FORTY
        assert app.return_code is None
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
        await click(pilot, "#retry")  # still failing: the dialog stays and says so
        await wait_until(pilot, lambda: "still NOT SAVED" in shown(app.screen))
        assert type(app.screen).__name__ == "UnsavedDialog"
        monkeypatch.setattr(iv, "save_notes", real_save)  # space comes back
        await click(pilot, "#retry")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    assert stored_notes(folder, iid) == "Saved first. " + FORTY
    assert not (folder.path / "recovery").exists() or not any((folder.path / "recovery").iterdir())


async def test_a_form_field_that_failed_to_save_is_kept_when_its_screen_closes(
    folder, store: Store, monkeypatch
) -> None:  # noqa: ANN001
    """Leaving a screen (not only quitting) with a field NOT SAVED keeps a recovery copy."""
    from reviewer_tui.screens.commissioning import CommissioningScreen

    rid = store.create_review("Original", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(CommissioningScreen(rid))
        await pilot.pause()
        monkeypatch.setattr(Store, "update", full_disk)
        field = field_widget(app.screen, "title", Input)
        field.value = "Original plus"
        await pilot.pause()
        assert "NOT SAVED" in shown(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert "recovery copy" in " ".join(str(n.message) for n in app._notifications)
    from reviewer_tui import recovery

    copies, problems = recovery.copies(folder)
    assert problems == [] and [(c.table, c.row_id, c.field, c.value) for c in copies] == [
        ("review", rid, "title", "Original plus")
    ]


async def test_disk_really_full_the_copy_cannot_be_written_says_so_and_writes_elsewhere(
    small_disk: Path,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    from reviewer_tui.screens.dialogs import TextPrompt

    data = small_disk / "data"
    folder = open_folder(data)
    store = Store(folder)
    iid = interview(store)
    elsewhere = tmp_path / "elsewhere"
    app = make_app(folder)
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await app.workers.wait_for_complete()  # the automatic backup, while there is room
            filler = fill(small_disk)
            notes, area = await type_unsaved_notes(pilot, app, iid, FORTY * 3000)
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
            await click(pilot, "#recover-quit")
            await wait_until(pilot, lambda: "could not be written" in shown(app.screen))
            assert app.return_code is None  # not quit: the text is only on screen
            await click(pilot, "#elsewhere")
            await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt))
            app.screen.query_one("#value", Input).value = str(elsewhere)
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.return_code is not None)
            filler.unlink()
    finally:
        folder.close()
    assert app.return_code == 0
    from reviewer_tui import recovery

    copies, _ = recovery.copies(folder, place=elsewhere)
    assert [c.value for c in copies] == ["Saved first. " + FORTY * 3000]


SIGHUP_ON_TITLE = """
import sqlite3, sys
from reviewer_tui import cli
from reviewer_tui.reviews import Store
from reviewer_tui.screens.app import ReviewerApp
from reviewer_tui.screens.commissioning import CommissioningScreen
from reviewer_tui.screens.forms import field_widget
from textual.widgets import Input

def full(*args, **kwargs):
    raise sqlite3.OperationalError("database or disk is full")

Store.update = full

def on_ready(self):
    self.push_screen(CommissioningScreen(int(sys.argv[2])))
    def focus():
        field = field_widget(self.screen, "title", Input)
        field.select_on_focus = False
        field.focus()
        field.cursor_position = len(field.value)
        self.notify("ready-to-type")  # the test types only once the field has focus
    self.call_after_refresh(lambda: self.call_after_refresh(focus))

ReviewerApp.on_ready = on_ready
sys.exit(cli.main(["--data-dir", sys.argv[1]]))
"""


@pytest.mark.parametrize("how", ["SIGHUP", "hangup"])
def test_sighup_on_a_title_field_that_cannot_save_keeps_the_text(
    data_dir: Path, tmp_path: Path, how: str
) -> None:
    folder = open_folder(data_dir)
    rid = Store(folder).create_review("Original", "internal case review", "concern")
    folder.close()
    script = tmp_path / "sighup.py"
    script.write_text(SIGHUP_ON_TITLE, encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        argv = [sys.executable, str(script), str(data_dir), str(rid)]
        os.execvpe(
            argv[0], argv, {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        )
    output = bytearray()
    closed = False
    try:
        assert read_until(fd, b"ready-to-type", output), output.decode("utf-8", "replace")
        os.write(fd, b"Ninechars")
        assert read_until(fd, b"NOT SAVED", output), output.decode("utf-8", "replace")[-2000:]
        drain(fd, output, 0.3)
        if how == "hangup":
            os.close(fd)
            closed = True
        else:
            os.kill(pid, signal.SIGHUP)
            drain(fd, output, 3)
        code = wait_exit(pid)
    finally:
        if not closed:
            os.close(fd)
    assert code == 0, output.decode("utf-8", "replace")[-2000:]
    folder = open_folder(data_dir)
    try:
        store = Store(folder)
        assert store.review(rid).title == "Original"  # the save really failed
        from reviewer_tui import recovery

        copies, problems = recovery.copies(folder)
        assert problems == []
        assert [(c.table, c.row_id, c.field, c.value) for c in copies] == [
            ("review", rid, "title", "OriginalNinechars")
        ]
        recovery.put_back(store, copies[0])  # what the start-up offer's "Put back" does
        assert store.review(rid).title == "OriginalNinechars"
        assert recovery.copies(folder) == ([], [])
    finally:
        folder.close()


async def test_quick_entry_not_kept_is_asked_about_and_comes_back_as_the_draft(
    folder, store: Store, monkeypatch
) -> None:  # noqa: ANN001
    """The chronology quick entry keeps what is typed as a draft before Enter adds it; when that
    save fails, quitting asks too, and put-back restores the draft the form offers again."""
    from reviewer_tui import chronology as ch
    from reviewer_tui.screens.chronology import ChronologyScreen

    rid = store.create_review("Quick", "internal case review", "concern")
    real_save_draft = ch.save_draft
    monkeypatch.setattr(ch, "save_draft", full_disk)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(ChronologyScreen(rid))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#qe-event", Input).value = "Home visit: nobody answered"
        await pilot.pause()
        assert "NOT SAVED" in shown(app.screen)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
        assert type(app.screen).__name__ == "UnsavedDialog"
        assert "Home visit: nobody answered" in shown(app.screen)
        await click(pilot, "#recover-quit")
        await pilot.pause()
    assert app.return_code == 0
    monkeypatch.setattr(ch, "save_draft", real_save_draft)
    from reviewer_tui import recovery

    copies, _ = recovery.copies(folder)
    assert len(copies) == 1
    recovery.put_back(store, copies[0])
    assert ch.draft(store, rid)["event"] == "Home visit: nobody answered"


async def test_a_rename_that_cannot_be_saved_keeps_the_typed_title(
    folder, store: Store, monkeypatch
) -> None:  # noqa: ANN001
    """A dialog's text is held only by the dialog: when its save fails the dialog comes back with
    it (rule 6) instead of closing with the text gone."""
    from reviewer_tui.screens.dialogs import TextPrompt

    store.create_review("Old title", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.setattr(Store, "update", full_disk)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#value", Input).value = "A better title"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one("#value", Input).value == "A better title"
        assert "NOT SAVED" in shown(app.screen) and "disk is full" in shown(app.screen)


async def test_a_finding_not_saved_is_kept_where_it_belongs_and_put_back(
    folder, store: Store, monkeypatch
) -> None:  # noqa: ANN001
    """Fields outside a ModelForm (a finding's box here) say which record they edit, so their
    recovery copy can be put back, not only saved as a file."""
    from reviewer_tui import findings as core
    from reviewer_tui import models as m
    from reviewer_tui.screens.findings import AnalysisScreen

    rid = store.create_review("Findings", "internal case review", "concern")
    fid = core.add_finding(store, rid, "Agencies shared information late.")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(AnalysisScreen(rid))
        await pilot.pause()
        monkeypatch.setattr(Store, "update", full_disk)
        area = field_widget(app.screen.query_one(f"#finding-{fid}"), "statement", TextArea)
        area.insert("Typed on a full disk. ")
        await pilot.pause()
        assert "NOT SAVED" in shown(app.screen)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
        await click(pilot, "#recover-quit")
        await pilot.pause()
    monkeypatch.undo()
    from reviewer_tui import recovery

    copies, _ = recovery.copies(folder)
    assert [(c.table, c.row_id, c.field) for c in copies] == [("finding", fid, "statement")]
    recovery.put_back(store, copies[0])
    assert store.get(m.Finding, fid).statement.startswith("Typed on a full disk. ")


async def test_the_start_offer_saves_a_copy_as_a_file_and_discards_only_on_a_second_press(
    folder, store: Store, tmp_path: Path
) -> None:  # noqa: ANN001
    from reviewer_tui import recovery
    from reviewer_tui.recovery import Pending

    iid = interview(store)
    recovery.write(
        folder,
        [
            Pending(
                "interview",
                iid,
                "notes",
                "Interview notes",
                "Kept [b]text[/b]",
                "long",
                "Interview notes",
            )
        ],
    )
    target = tmp_path / "out" / "notes.txt"
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                type(app.screen).__name__ == "RecoveryScreen"
                and "Kept [b]text[/b]" in shown(app.screen)
            ),
        )  # shown as typed, not as markup
        offer = app.screen
        await click(pilot, ".save-file")
        await wait_until(pilot, lambda: app.screen is not offer)
        assert "not encrypted" in shown(app.screen).lower()
        app.screen.query_one("#value", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is offer and "Written to" in shown(offer))
        assert target.read_text(encoding="utf-8") == "Kept [b]text[/b]"
        await click(pilot, ".discard")
        await pilot.pause()
        assert "cannot be undone" in shown(offer) and len(recovery.copies(folder)[0]) == 1
        await click(pilot, ".discard")
        await wait_until(pilot, lambda: app.screen is not offer)
    assert recovery.copies(folder) == ([], [])
    assert stored_notes(folder, iid) == "Saved first. "  # discarded, not put back


def test_the_meetings_date_put_back_is_read_as_the_meeting_screen_reads_it(
    folder, store: Store
) -> None:  # noqa: ANN001
    """The meeting's fields name their record (for search and put-back); its date and time is
    put back through the meeting's own reading of it: a date it cannot read stays a copy, never
    text stored where a date belongs."""
    from reviewer_tui import models as m
    from reviewer_tui import recovery
    from reviewer_tui.errors import InputError

    rid = store.create_review("Meeting", "internal case review", "concern")

    def copy_of(typed: str) -> recovery.Copy:
        recovery.write(folder, [recovery.Pending("meeting", rid, "held_on", "Date", typed)])
        (copy,) = recovery.copies(folder)[0]
        return copy

    with pytest.raises(InputError):
        recovery.put_back(store, copy_of("next Tuesday-ish"))
    assert not store.get(m.Meeting, rid).held_on
    assert [c.value for c in recovery.copies(folder)[0]] == ["next Tuesday-ish"]  # kept
    recovery.put_back(store, copy_of("03/09/2025 10:00"))
    assert store.get(m.Meeting, rid).held_on == "2025-09-03T10:00"  # as the screen stores it
    assert recovery.copies(folder)[0] == []
