"""Plain copies inside an encrypted folder ("Trust" item 9): a recovery copy, a crash log and F9's
notes copy leave nothing readable in the data folder. Every file in the folder is grepped for a
canary, in UTF-8 and UTF-16 (tests/test_encryption.py's count_canary)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip(
    "sqlcipher3",
    reason="sqlcipher3 is not installed: pip install 'reviewer-tui[encryption]' to run these",
)

from textual.widgets import Input  # noqa: E402

from reviewer_tui import crash  # noqa: E402
from reviewer_tui import interviews as iv  # noqa: E402
from reviewer_tui.reviews import Store  # noqa: E402
from tests.conftest import make_app, wait_until  # noqa: E402
from tests.test_encryption import CANARY, count_canary, encrypted_folder, reopen  # noqa: E402
from tests.test_unsaved import full_disk, interview, shown, type_unsaved_notes  # noqa: E402


async def test_recovery_copy_in_an_encrypted_folder_is_encrypted(
    data_dir: Path, monkeypatch
) -> None:  # noqa: ANN001
    folder = encrypted_folder(data_dir)
    iid = interview(Store(folder))
    monkeypatch.setattr(iv, "save_notes", full_disk)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_unsaved_notes(pilot, app, iid, f"Notes: {CANARY} said so.")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UnsavedDialog")
        await pilot.click("#recover-quit")
        await pilot.pause()
    assert app.return_code == 0
    folder.close()
    assert list((data_dir / "recovery").iterdir())
    assert count_canary(data_dir, CANARY) == {}
    folder = reopen(data_dir)  # with the passphrase the copy reads back
    try:
        from reviewer_tui import recovery

        copies, problems = recovery.copies(folder)
        assert problems == [] and [c.value for c in copies] == [
            f"Saved first. Notes: {CANARY} said so."
        ]
    finally:
        folder.close()


def test_crash_log_in_an_encrypted_folder_holds_no_review_text(data_dir: Path) -> None:
    folder = encrypted_folder(data_dir)
    try:
        try:
            raise RuntimeError(f"could not file the note about {CANARY}")
        except RuntimeError as exc:
            log = crash.write_crash_log(folder.path, exc)
    finally:
        folder.close()
    text = log.read_text(encoding="utf-8")
    assert (
        "RuntimeError" in text and "test_crash_log_in_an_encrypted_folder" in text
    )  # still useful
    assert "encrypted" in text  # says why the message is left out
    assert count_canary(data_dir, CANARY) == {}


def test_crash_log_in_a_plain_folder_leaves_the_message_out_too(data_dir: Path, folder) -> None:  # noqa: ANN001
    """One rule for every folder: a message can quote what was typed, so no log keeps it."""
    try:
        raise RuntimeError(f"could not file the note about {CANARY}")
    except RuntimeError as exc:
        log = crash.write_crash_log(folder.path, exc)
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and CANARY not in text


async def test_f9_in_an_encrypted_folder_writes_nothing_readable_inside_it(
    data_dir: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    from reviewer_tui.screens.notes import NotesScreen

    folder = encrypted_folder(data_dir)
    iid = interview(Store(folder))
    monkeypatch.setattr(iv, "save_notes", full_disk)
    outside = tmp_path / "usb" / "notes.txt"
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, area = await type_unsaved_notes(pilot, app, iid, f"Notes: {CANARY}.")
        await pilot.press("f9")
        await pilot.pause()
        prompt = app.screen
        assert "not encrypted" in shown(prompt).lower()  # the warning, before anything is written
        prompt.query_one("#value", Input).value = str(data_dir / "notes.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert "inside the encrypted data folder" in shown(app.screen)  # refused, says why
        assert app.screen is prompt
        prompt.query_one("#value", Input).value = str(outside)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        assert outside.read_text(encoding="utf-8") == f"Saved first. Notes: {CANARY}."
        messages = " ".join(str(n.message) for n in app._notifications)
        assert str(outside) in messages and "not encrypted" in messages
        monkeypatch.setattr(iv, "save_notes", lambda *a: None)  # let it quit without asking
        area.insert("")
    folder.close()
    assert count_canary(data_dir, CANARY) == {}


async def test_exports_and_reports_refuse_the_inside_of_an_encrypted_folder(data_dir: Path) -> None:
    """The same fault elsewhere: the chronology CSV export offered reviews-folder/exports/ and the
    report screen wrote Word files wherever it was told, in plain text, even when encrypted."""
    from reviewer_tui import bundle
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.reports import ReportScreen
    from tests.conftest import SAMPLE

    folder = encrypted_folder(data_dir)
    rid = bundle.import_file(Store(folder), SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(ChronologyScreen(rid))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        prompt = app.screen
        default = Path(prompt.query_one("#value", Input).value)
        assert data_dir.resolve() not in default.resolve().parents  # offered outside the folder
        assert "not encrypted" in shown(prompt).lower()
        prompt.query_one("#value", Input).value = str(data_dir / "exports" / "c.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and "inside the encrypted data folder" in shown(prompt)
        await pilot.press("escape")
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        await app.push_screen(ReportScreen(rid))
        await pilot.pause()
        app.screen.query_one("#folder", Input).value = str(data_dir / "reports")
        app.screen.action_write()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert "inside the encrypted data folder" in shown(app.screen)
    folder.close()
    assert not (data_dir / "exports").exists() and not (data_dir / "reports").exists()
