"""Start-up and quitting stay quick with a large data folder (issue 14, start-up and quitting).

Structure, not stopwatch: the first frame loads no heavy layer, the review list reads its data
once per show, a row's height is counted without rendering every cell, the automatic backup runs
off the UI thread (keys are taken and saved while it runs, the header shows how far it is), and
quitting stops it at once, leaving no half-made file.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable

from reviewer_tui import backups, read_model
from reviewer_tui import interviews as iv
from reviewer_tui.errors import BackupStopped
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import REPO, make_app, wait_until

# filelock: 30-60 ms to import, for two calls; the folder's lock is reviewer_tui.oslock
HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "docx",
    "jinja2",
    "jsonschema",
    "pydantic",
    "filelock",
)

FIRST_FRAME = """
import asyncio, sys
from pathlib import Path
from reviewer_tui.cli import open_folder
from reviewer_tui.screens.app import ReviewerApp
from textual.widgets import DataTable

class FirstFrameOnly(ReviewerApp):
    def _after_first_frame(self):  # what runs after the first frame is not on its path
        self.heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
        self.rows = self.screen.query_one("#reviews", DataTable).row_count
        self.screens = sorted(m for m in sys.modules if m.startswith("reviewer_tui.screens."))

async def main():
    folder = open_folder(Path(sys.argv[1]))
    app = FirstFrameOnly(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        while not hasattr(app, "heavy"):
            await pilot.pause(0.01)
    folder.close()
    print(app.rows, ",".join(app.screens), ",".join(app.heavy))

asyncio.run(main())
"""


def test_the_first_frame_of_the_review_list_loads_no_heavy_layer(
    folder: DataFolder, store: Store, data_dir: Path
) -> None:
    """The whole path to the first frame, run (not only imported): opening the folder, the
    schema check, the read model's queries and the table, with reviews that need attention."""
    rid = store.create_review("Needs attention", "serious case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iv.add_interview(store, rid, person.id, notes="held, not signed")
    store.create_review("Another", "internal case review", "concern")
    folder.close()
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(data_dir), ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    rows, screens, *heavy = result.stdout.strip().split(" ")
    assert rows == "2"  # the list was drawn with its rows
    assert heavy == [], f"loaded before the first frame: {heavy}"
    # the review list's own modules, and no other screen's (the footer asks whether ctrl+f
    # searches: answered without the search screen, its forms and their editors)
    assert screens.split(",") == [
        f"reviewer_tui.screens.{name}"
        for name in ("app", "bars", "base", "review_list", "table", "terminal", "text")
    ]


async def test_the_review_list_reads_once_per_show_not_per_resize(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.create_review("Child A", "serious case review", "concern")
    reads = []
    real = read_model.review_list

    def counted(*args: object) -> object:
        reads.append(1)
        return real(*args)  # type: ignore[arg-type]  # the same arguments, passed through

    monkeypatch.setattr(read_model, "review_list", counted)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert len(reads) == 1  # not again on the first ScreenResume or on the Resize events
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert len(reads) == 1  # laid out again from the last read
        table = app.screen.query_one("#reviews", DataTable)
        assert table.row_count == 1
        await pilot.press("f1")  # another screen over it, and back: read again (it may change)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(reads) == 2
        await app.workers.wait_for_complete()


async def test_row_heights_are_those_the_table_would_measure(
    folder: DataFolder, store: Store
) -> None:
    """Each row's height is counted from its title (no render of every cell); it must equal what
    the table measures itself with height=None, for wrapped, wide, tabbed and multi-line titles."""
    titles = [
        "Child L " + "a long working title " * 12 + "END",
        "x" * 150,
        "Tabs\tand\ttabs " * 6,
        "Wide 漢字漢字漢字 " * 10,
        "Emoji 👩‍👩‍👧 family " * 6,
        "a [/] b [red]x[/red] " * 5,
        "esc \x1b[2J here " * 6,
        "short",
    ]
    for title in titles:
        store.create_review(title, "serious case review", "concern")
    rid = store.create_review("With attention", "serious case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iv.add_interview(store, rid, person.id, notes="held, not signed")  # a line under the title
    app = make_app(folder)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#reviews", DataTable)
        counted = {key.value: row.height for key, row in table.rows.items()}
        assert max(counted.values()) > 1
        cells = [
            [table.get_cell_at((r, c)) for c in range(len(table.columns))]
            for r in range(table.row_count)
        ]
        columns = [(col.label.plain, col.width) for col in table.columns.values()]
        keys = [key.value for key in table.rows]
        table.clear(columns=True)
        for name, width in columns:
            table.add_column(name, width=width, key=name)
        for key, row in zip(keys, cells, strict=True):
            table.add_row(*row, key=key, height=None)
        await pilot.pause()
        await pilot.pause()
        measured = {key.value: row.height for key, row in table.rows.items()}
        await app.workers.wait_for_complete()
    assert counted == measured


def big_folder(store: Store) -> None:
    """Enough pages that a backup takes several steps and its check does real work."""
    rid = store.create_review("Big", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    for n in range(8):
        iv.add_interview(store, rid, person.id, notes=f"{n} " + "words " * 40_000)


async def test_the_automatic_backup_runs_off_the_ui_thread_while_keys_are_saved(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    big_folder(store)
    rid = store.create_review("Child K", "serious case review", "concern")
    release = threading.Event()
    on_main_thread: list[bool] = []
    real = backups.backup_if_due

    def held(folder: DataFolder, now=None, stop=None, progress=None):  # noqa: ANN001, ANN202
        def step(text: str) -> None:
            on_main_thread.append(threading.current_thread() is threading.main_thread())
            progress(text)
            release.wait(10)  # the backup is held part way until the keys below are taken

        return real(folder, now, stop, step)

    monkeypatch.setattr(backups, "backup_if_due", held)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "backing up: copying" in app.sub_title, what="progress")
        table = app.screen.query_one("#reviews", DataTable)
        table.move_cursor(row=0)
        await pilot.press("a")  # archive Child K (the newest, first): saved at once
        await wait_until(pilot, lambda: store_archived(store, rid), what="the archive saved")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "backing up" not in app.sub_title
    assert on_main_thread and not any(on_main_thread)
    made = backups.automatic_backups(folder)
    assert len(made) == 1
    assert sorted(p.name for p in folder.backup_dir.iterdir()) == [made[0].name]  # no temp file


def store_archived(store: Store, review_id: int) -> bool:
    conn = store.folder.connect()
    try:
        row = conn.execute("SELECT archived_at FROM review WHERE id = ?", (review_id,)).fetchone()
    finally:
        conn.close()
    return row is not None and row[0] is not None


async def test_quitting_stops_the_automatic_backup_at_once(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    big_folder(store)
    real = backups.backup_if_due
    stopped: list[bool] = []

    def held(folder: DataFolder, now=None, stop=None, progress=None):  # noqa: ANN001, ANN202
        def step(text: str) -> None:
            progress(text)
            while not stop():  # a copy that would take as long as it likes, until told to stop
                threading.Event().wait(0.01)

        try:
            return real(folder, now, stop, step)
        except BackupStopped:
            stopped.append(True)
            raise

    monkeypatch.setattr(backups, "backup_if_due", held)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "backing up" in app.sub_title, what="the backup")
        await pilot.press("ctrl+q")
    assert stopped == [True]
    assert list(folder.backup_dir.iterdir()) == []  # no backup, no half-made file


def test_the_check_of_a_backup_is_interrupted_when_the_app_stops(
    folder: DataFolder, store: Store
) -> None:
    """The check of a large copy takes most of a second: stopping must not wait for it."""
    big_folder(store)
    steps: list[str] = []

    def stop() -> bool:
        return "checking the copy" in steps  # told to stop once the check has begun

    with pytest.raises(BackupStopped):
        folder.backup(folder.new_backup_path("auto"), stop=stop, progress=steps.append)
    assert steps[-1] == "checking the copy" and steps[0].startswith("copying")
    assert list(folder.backup_dir.iterdir()) == []
