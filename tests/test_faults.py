"""Faults (issue 7 item 2): read-only media, a full disk and injected I/O errors.

Tests run as root here, and chmod does not stop root writing. So read-only media is a real
read-only bind mount (`mount -o remount,bind,ro`: the kernel refuses every write with EROFS, root
included), and the full disk is a real 4 MiB tmpfs. Where mount is not permitted (not root, or a
container without CAP_SYS_ADMIN) those tests skip saying so; the injected-error tests and the
os.access test of the read-only decision always run.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui import storage
from reviewer_tui.cli import main, open_folder
from reviewer_tui.errors import ReadOnlyError
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.storage import DataFolder
from tests.conftest import make_app, wait_until


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def make_reviews(data_dir: Path) -> tuple[int, int]:
    folder = open_folder(data_dir)
    store = Store(folder)
    rid = store.create_review("On the stick", "internal case review", "concern")
    store.update_review(rid, child_name="Child S", brief="The brief as written.")
    person = iv.add_person(store, rid, "Ann Able")
    iid = iv.add_interview(store, rid, person.id, notes="Notes taken at the interview.").id
    folder.close()
    return rid, iid


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[tuple[Path, Path, int, int]]:
    """(data folder on a read-only mount, the same folder writable underneath, review, interview)."""
    source = tmp_path / "media"
    rid, iid = make_reviews(source / "data")
    target = tmp_path / "mnt"
    target.mkdir()
    if not mount("--bind", str(source), str(target)):
        pytest.skip(
            "cannot bind-mount here (needs root with CAP_SYS_ADMIN); "
            "test_read_only_decision_follows_os_access covers the logic"
        )
    try:
        if not mount("-o", "remount,bind,ro", str(target)):
            pytest.skip("cannot remount read-only here")
        yield target / "data", source / "data", rid, iid
    finally:
        umount(target)


# --- read-only media -----------------------------------------------------------------------------
def test_read_only_media_opens_read_only_and_refuses_writes(read_only_media) -> None:  # noqa: ANN001
    data, underneath, rid, iid = read_only_media
    with pytest.raises(OSError):  # the mount really is read-only, even for root
        (data / "probe").write_bytes(b"x")
    before = digest(underneath)
    folder = open_folder(data)
    try:
        assert folder.read_only and folder.immutable
        store = Store(folder)
        assert store.review(rid).child_name == "Child S"  # reading works
        for write in (
            lambda: store.update_review(rid, child_name="changed"),
            lambda: iv.save_notes(store, iid, "changed"),
        ):
            with pytest.raises(Exception) as refused:
                write()
            reason = getattr(refused.value, "orig", refused.value)  # SQLAlchemy keeps it in .orig
            assert isinstance(reason, ReadOnlyError) and "read-only" in str(reason)
        conn = folder.connect()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("UPDATE review SET title = 'x'")  # sqlite itself refuses too (mode=ro)
        conn.close()
    finally:
        folder.close()
    assert digest(underneath) == before  # byte-identical, and no -wal, -shm or lock appeared


def test_read_only_cli_lists_and_backs_up_elsewhere(
    read_only_media, tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    data, underneath, rid, _ = read_only_media
    before = digest(underneath)
    assert main(["--data-dir", str(data), "list"]) == 0
    assert "On the stick" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "backup", "-o", str(tmp_path / "copy.db")]) == 0
    assert main(["--data-dir", str(data), "backup"]) == 1  # into the read-only folder: refused
    err = capsys.readouterr().err
    assert "Traceback" not in err and "backup -o FILE" in err and "read-only" in err
    assert digest(underneath) == before


async def test_read_only_app_banner_everywhere_and_editing_off(read_only_media) -> None:  # noqa: ANN001
    data, underneath, rid, iid = read_only_media
    before = digest(underneath)
    folder = open_folder(data)
    try:
        await walk_read_only_app(folder, rid, iid)
    finally:
        folder.close()
    assert digest(underneath) == before


async def walk_read_only_app(folder: DataFolder, rid: int, iid: int) -> None:
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import ReadOnlyBanner, save_with_feedback
    from reviewer_tui.screens.notes import NotesScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        seen = []
        for screen in (None, WorkspaceScreen(rid), CommissioningScreen(rid), NotesScreen(iid)):
            if screen is not None:
                app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            banner = app.screen.query_one(ReadOnlyBanner)
            assert "READ-ONLY" in str(banner.render())
            assert banner.region.height == 1 and banner.region.width > 0  # on screen, not hidden
            seen.append(type(app.screen).__name__)
        # Notes: the text is there and readable, keys do not change it.
        area = app.screen.query_one("#notes", TextArea)
        assert area.read_only and area.text == "Notes taken at the interview."
        area.focus()
        await pilot.press("x", "y", "enter")
        assert area.text == "Notes taken at the interview."
        app.pop_screen()
        await pilot.pause()
        # Commissioning: every field is disabled; a save attempted anyway says why, plainly.
        from reviewer_tui.screens.forms import FieldEditor

        for face in app.screen.query(FieldEditor).results(FieldEditor):
            assert not face.can_focus or face.spec.kind == "long"  # Tab passes a read-only face
            face.editor()  # each field's editor, built as it would be when wanted
        await pilot.pause()
        inputs = list(app.screen.query(Input).results())
        assert inputs and all(widget.disabled for widget in inputs)
        assert all(a.read_only for a in app.screen.query(TextArea).results())
        field = field_widget(app.screen, "child_name", Input)
        assert field.value == "Child S"
        ok = save_with_feedback(
            field, "Child's full name", lambda: app.store.update_review(rid, child_name="changed")
        )
        assert not ok
        indicator = str(app.screen.query_one("SaveIndicator").render())
        assert "NOT SAVED" in indicator and "read-only" in indicator
        assert app.return_code is None  # still running: no crash
    assert seen == ["ReviewListScreen", "WorkspaceScreen", "CommissioningScreen", "NotesScreen"]
    assert Store(folder).review(rid).child_name == "Child S"


async def test_read_only_decision_follows_os_access(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Without mount: make the folder look unwritable and check the same behaviour, and that
    opening wrote nothing (immutable=1, no lock file, no -wal/-shm)."""
    data = tmp_path / "data"
    rid, iid = make_reviews(data)
    seen: list[tuple[Path, Path]] = []

    def not_writable(folder: Path, db_path: Path) -> bool:
        seen.append((folder, db_path))
        return False

    monkeypatch.setattr(storage, "media_is_writable", not_writable)
    before = digest(data)
    folder = open_folder(data)
    try:
        assert seen and folder.read_only and folder.immutable
        await walk_read_only_app(folder, rid, iid)
    finally:
        folder.close()
    assert digest(data) == before


# --- a full disk ---------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "small"
    target.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(target)):
        pytest.skip("cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield target
    finally:
        umount(target)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk` with a filler file; return it (delete it to free space)."""
    import os

    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def indicator_text(screen) -> str:  # noqa: ANN001
    return str(screen.query_one("SaveIndicator").render())


async def test_disk_full_says_not_saved_keeps_text_and_resumes(small_disk: Path) -> None:
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.notes import NotesScreen

    data = small_disk / "data"
    folder = open_folder(data)
    store = Store(folder)
    rid = store.create_review("Full disk", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iid = iv.add_interview(store, rid, person.id).id
    app = make_app(folder)
    acknowledged = "Before the disk filled: every word of this was saved. "
    big = "Typed while the disk was full. " * 3000  # about 90 KB: needs new pages
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await app.workers.wait_for_complete()  # the automatic backup, while there is room
            app.push_screen(NotesScreen(iid))
            await pilot.pause()
            screen = app.screen
            area = screen.query_one("#notes", TextArea)
            area.insert(acknowledged)
            await wait_until(pilot, lambda: iv_notes(folder, iid) == acknowledged)
            filler = fill(small_disk)
            area.insert(big)
            await wait_until(pilot, lambda: "NOT SAVED" in indicator_text(screen))
            assert "disk" in indicator_text(screen)
            assert area.text == acknowledged + big  # still on screen
            assert iv_notes(folder, iid) == acknowledged  # nothing acknowledged was lost
            assert integrity(folder) == "ok"
            # A form field under the same full disk: NOT SAVED with the reason in plain words.
            app.push_screen(CommissioningScreen(rid))
            await pilot.pause()
            field = field_widget(app.screen, "brief", TextArea)
            field.insert("A brief typed while the disk is full. " * 2000)
            await pilot.pause()
            assert "NOT SAVED" in indicator_text(app.screen)
            assert "full" in indicator_text(app.screen)
            assert field.text.startswith("A brief typed while the disk is full.")
            app.pop_screen()
            await pilot.pause()
            filler.unlink()  # space comes back: the next change saves everything on screen
            area.insert("Back.")
            await wait_until(pilot, lambda: iv_notes(folder, iid) == acknowledged + big + "Back.")
            await wait_until(pilot, lambda: "Saved" in indicator_text(screen))
    finally:
        folder.close()
    assert integrity_of(data / "reviews.db") == "ok"
    folder = open_folder(data)
    assert Store(folder).get(m.Interview, iid).notes == acknowledged + big + "Back."
    folder.close()


def test_disk_full_under_a_file_size_limit(tmp_path: Path) -> None:
    """Without mount: the Store in a subprocess under RLIMIT_FSIZE (SIGXFSZ ignored, so writes
    past the limit fail with EFBIG as on a full disk)."""
    import sys

    data = tmp_path / "data"
    make_reviews(data)
    script = f"""
import resource, signal, sys
from pathlib import Path
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui import interviews as iv
folder = open_folder(Path({str(data)!r}))
store = Store(folder)
iv.save_notes(store, 1, "acknowledged")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
size = (Path({str(data)!r}) / "reviews.db").stat().st_size
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 8192, hard))
try:
    iv.save_notes(store, 1, "x" * 400_000)
    print("SAVED")
except Exception as exc:
    print("REFUSED", type(exc).__name__, getattr(exc, "orig", exc))
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
iv.save_notes(store, 1, "acknowledged and resumed")
folder.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("REFUSED"), done.stdout
    assert integrity_of(data / "reviews.db") == "ok"
    folder = open_folder(data)
    assert Store(folder).get(m.Interview, 1).notes == "acknowledged and resumed"
    folder.close()


# --- injected I/O errors -------------------------------------------------------------------------
async def test_io_error_on_an_editing_screen(folder: DataFolder, store: Store, monkeypatch) -> None:  # noqa: ANN001
    from reviewer_tui.screens.commissioning import CommissioningScreen

    rid = store.create_review("I/O", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(CommissioningScreen(rid))
        await pilot.pause()
        screen = app.screen
        field = field_widget(screen, "child_name", Input)
        field.value = "Acknowledged"
        await pilot.pause()
        assert store.review(rid).child_name == "Acknowledged"
        real_connect = folder.connect

        def failing_connect() -> sqlite3.Connection:
            conn = real_connect()

            class Failing:
                def __getattr__(self, name: str):  # noqa: ANN204
                    return getattr(conn, name)

                def execute(self, sql: str, *args: object):  # noqa: ANN202
                    if sql.lstrip().upper().startswith(("UPDATE", "INSERT", "COMMIT")):
                        raise sqlite3.OperationalError("disk I/O error")
                    return conn.execute(sql, *args)

                def cursor(self, *args: object):  # noqa: ANN202
                    cursor = conn.cursor(*args)
                    real_execute = cursor.execute

                    def execute(sql: str, *a: object):  # noqa: ANN202
                        if sql.lstrip().upper().startswith(("UPDATE", "INSERT", "COMMIT")):
                            raise sqlite3.OperationalError("disk I/O error")
                        return real_execute(sql, *a)

                    return type(
                        "C",
                        (),
                        {
                            "execute": staticmethod(execute),
                            "__getattr__": lambda s, n: getattr(cursor, n),
                        },
                    )()

            return Failing()  # type: ignore[return-value]  # a stand-in connection

        monkeypatch.setattr(folder, "connect", failing_connect)
        folder.dispose_engine()  # connections are pooled: the next ones are made failing
        field.value = "Acknowledged, then typed during the fault"
        await pilot.pause()
        indicator = str(screen.query_one("SaveIndicator").render())
        assert "NOT SAVED" in indicator and "disk I/O error" in indicator, indicator
        assert field.value == "Acknowledged, then typed during the fault"  # still on screen
        monkeypatch.setattr(folder, "connect", real_connect)
        folder.dispose_engine()  # the disk is back: so are working connections
        assert store.review(rid).child_name == "Acknowledged"  # nothing acknowledged lost
        field.value += "."  # the next change retries
        await pilot.pause()
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        assert app.return_code is None
    assert store.review(rid).child_name == "Acknowledged, then typed during the fault."
    assert integrity(folder) == "ok"


def iv_notes(folder: DataFolder, iid: int) -> str:
    conn = folder.connect()
    try:
        return conn.execute("SELECT notes FROM interview WHERE id = ?", (iid,)).fetchone()[0]
    finally:
        conn.close()


def integrity(folder: DataFolder) -> str:
    conn = folder.connect()
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def integrity_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_database_errors_never_quote_what_was_typed(folder: DataFolder, store: Store) -> None:
    """A failed statement's message (shown on screen, and in a crash log if it ever escaped)
    does not carry the values: a child's name must not reach a plain-text log."""
    from reviewer_tui import crash

    rid = store.create_review("Errors", "internal case review", "concern")
    secret = "Tyler-Brennan-SECRET-VALUE"
    with pytest.raises(Exception) as failed:
        store.add_row(
            m.Interview, rid, key="iv-1", person_id=999_999, notes=secret
        )  # no such person
    assert "FOREIGN KEY" in str(failed.value)
    assert secret not in str(failed.value)
    log = crash.write_crash_log(folder.path, failed.value)
    assert secret not in log.read_text(encoding="utf-8")
