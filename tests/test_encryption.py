"""Encryption at rest (issue 7 item 6): encrypt and decrypt with verified backups, the passphrase
asked for at start, plain messages for a wrong or missing one, backups that stay encrypted, and
the canary test: text typed into every field never appears in plain text in the data folder.

Skipped only when sqlcipher3 (the `encryption` extra) cannot be imported.
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "sqlcipher3",
    reason="sqlcipher3 is not installed: pip install 'reviewer-tui[encryption]' to run these",
)

from reviewer_tui import domain, encryption, folder_encryption, validators  # noqa: E402
from reviewer_tui.cli import main, open_folder  # noqa: E402
from reviewer_tui.errors import InputError, PassphraseNeeded, ReadOnlyError, StorageError  # noqa: E402
from reviewer_tui.reviews import Store  # noqa: E402
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.storage import DataFolder  # noqa: E402
from tests.conftest import REPO, make_app  # noqa: E402

PASSPHRASE = "correct horse battery staple"
CANARY = "Qz7-CANARY-Tyler-Brennan-9xK"  # what a reviewer might type: a name, among other text
RUN = [sys.executable, "-c", "import sys; from reviewer_tui.cli import main; sys.exit(main())"]


def encrypted_folder(data_dir: Path) -> DataFolder:
    folder = open_folder(data_dir)
    folder_encryption.encrypt_folder(folder, PASSPHRASE)
    return folder


def reopen(data_dir: Path, passphrase: str = PASSPHRASE) -> DataFolder:
    folder = DataFolder(data_dir)
    try:
        folder.open()
    except PassphraseNeeded:
        folder.unlock(passphrase)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --- what is stored ------------------------------------------------------------------------------
def test_encrypted_file_has_no_plain_header_and_opens_with_the_passphrase(data_dir: Path) -> None:
    folder = encrypted_folder(data_dir)
    store = Store(folder)
    rid = store.create_review("Child Q", "internal case review", "concern")
    folder.close()
    head = (data_dir / "reviews.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"
    assert (data_dir / encryption.MARKER_NAME).read_text(encoding="utf-8") == encryption.MARKER_TEXT
    assert PASSPHRASE not in (data_dir / encryption.MARKER_NAME).read_text(encoding="utf-8")
    # Any SQLCipher 4 tool opens it with the passphrase itself (our raw keys use its derivation).
    conn = encryption.dbapi().connect(str(data_dir / "reviews.db"))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA key = 'correct horse battery staple'")
    assert conn.execute("SELECT title FROM review").fetchall() == [("Child Q",)]
    conn.close()
    folder = reopen(data_dir)
    assert Store(folder).review(rid).title == "Child Q"
    folder.close()


def test_encrypt_then_decrypt_keeps_everything_and_backups_follow(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    store = Store(folder)
    rid = store.create_review("Round trip", "serious case review", "concern")
    store.update_review(rid, brief="The brief, kept exactly: “quotes”, emoji 🙂, tab\t.")
    old_backup = folder.backup()
    safety, notes = folder_encryption.encrypt_folder(folder, PASSPHRASE)
    assert notes == []
    assert safety.name.startswith("before-encrypt-")
    for backup in (old_backup, safety, folder.backup()):
        assert not encryption.has_plain_header(backup), backup  # backups stay encrypted
    assert Store(folder).review(rid).brief.endswith("tab\t.")
    folder.close()
    assert (
        not (data_dir / "reviews.db-wal").exists()
        or b"Round trip" not in (data_dir / "reviews.db-wal").read_bytes()
    )

    folder = reopen(data_dir)
    safety, notes = folder_encryption.decrypt_folder(folder)
    assert notes == []
    assert not (data_dir / encryption.MARKER_NAME).exists()
    assert all(encryption.has_plain_header(b) for b in folder.backup_dir.glob("*.db"))
    folder.close()
    folder = open_folder(data_dir)  # plain again: no passphrase asked
    assert Store(folder).review(rid).brief == "The brief, kept exactly: “quotes”, emoji 🙂, tab\t."
    folder.close()


def test_restore_an_encrypted_backup(data_dir: Path) -> None:
    folder = encrypted_folder(data_dir)
    store = Store(folder)
    rid = store.create_review("Before", "internal case review", "concern")
    backup = folder.backup()
    store.rename(rid, "After")
    folder.restore(backup)
    assert Store(folder).review(rid).title == "Before"
    assert not encryption.has_plain_header(folder.db_path)
    folder.close()


def test_plain_folder_refuses_an_encrypted_backup_plainly(data_dir: Path, tmp_path: Path) -> None:
    folder = encrypted_folder(tmp_path / "other")
    backup = folder.backup()
    folder.close()
    plain = open_folder(data_dir)
    before = snapshot(data_dir)
    with pytest.raises(StorageError, match="encrypted backup"):
        plain.restore(backup)
    assert snapshot(data_dir) == before
    plain.close()


# --- the passphrase at start ---------------------------------------------------------------------
def test_wrong_passphrase_plain_message_file_untouched(data_dir: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    encrypted_folder(data_dir).close()
    before = snapshot(data_dir)
    monkeypatch.setenv(encryption.ENV_PASSPHRASE, "not the passphrase")
    assert main(["--data-dir", str(data_dir), "list"]) == 1
    err = capsys.readouterr().err
    assert "That passphrase does not open" in err and "Nothing has been changed" in err
    assert "Traceback" not in err and "not the passphrase" not in err
    assert snapshot(data_dir) == before


def test_no_passphrase_plain_message_file_untouched(data_dir: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    encrypted_folder(data_dir).close()
    before = snapshot(data_dir)
    monkeypatch.delenv(encryption.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["--data-dir", str(data_dir), "list"]) == 1
    err = capsys.readouterr().err
    assert "is encrypted" in err and "REVIEWER_TUI_PASSPHRASE" in err and "Traceback" not in err
    assert snapshot(data_dir) == before


def test_without_sqlcipher_an_encrypted_file_gets_a_plain_message(
    data_dir: Path, capsys, monkeypatch
) -> None:  # noqa: ANN001
    encrypted_folder(data_dir).close()
    before = snapshot(data_dir)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # import fails as if not installed
    monkeypatch.setenv(encryption.ENV_PASSPHRASE, PASSPHRASE)
    assert main(["--data-dir", str(data_dir), "list"]) == 1
    err = capsys.readouterr().err
    assert "needs the optional sqlcipher3 package" in err and "Traceback" not in err
    assert snapshot(data_dir) == before


def run_typing_in_pty(
    argv: list[str], answers: list[str], env: dict[str, str], timeout: float = 60
) -> tuple[int, str]:
    """Run `argv` in a pty; each time a passphrase prompt appears, type the next answer."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execvpe(argv[0], argv, {**env, "TERM": "xterm-256color"})
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if pending and output.count(b"assphrase") > output.count(b"\x00"):
            prompts = output.count(b"(not shown as you type")
            typed = len(answers) - len(pending)
            if prompts > typed:
                os.write(fd, pending.pop(0).encode("utf-8") + b"\r")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def test_prompt_retries_until_right_without_echo(data_dir: Path) -> None:
    folder = encrypted_folder(data_dir)
    Store(folder).create_review("Prompted", "internal case review", "concern")
    folder.close()
    env = {k: v for k, v in os.environ.items() if k != encryption.ENV_PASSPHRASE}
    code, out = run_typing_in_pty(
        [*RUN, "--data-dir", str(data_dir), "list"],
        ["first wrong guess", "second wrong guess", PASSPHRASE],
        env,
    )
    assert code == 0, out
    assert out.count("That passphrase is not right") == 2
    assert "Prompted" in out
    for typed in ("first wrong guess", "second wrong guess", PASSPHRASE):
        assert typed not in out  # never echoed
    assert "cipher" not in out.lower() and "Traceback" not in out  # no noise from SQLCipher


def test_encrypt_command_with_passphrase_typed_twice(data_dir: Path) -> None:
    open_folder(data_dir).close()
    env = {k: v for k, v in os.environ.items() if k != encryption.ENV_PASSPHRASE}
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        argv = [*RUN, "--data-dir", str(data_dir), "encrypt"]
        os.execvpe(argv[0], argv, {**env, "TERM": "xterm-256color"})
    output, answers = b"", [PASSPHRASE, PASSPHRASE]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        asked = output.count(b"New passphrase") + output.count(b"same passphrase again")
        if answers and asked > 2 - len(answers):
            os.write(fd, answers.pop(0).encode("utf-8") + b"\r")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "cannot be recovered" in text and PASSPHRASE not in text
    assert encryption.is_encrypted(data_dir / "reviews.db")
    reopen(data_dir).close()


# --- the canary ----------------------------------------------------------------------------------
# Columns holding one word of a fixed list, not free text: the canary cannot be stored there.
VOCABULARY = {
    ("draft_item", "kind"): domain.DRAFT_ITEM_KINDS[0],
    ("draft_item", "resolution"): domain.DRAFT_RESOLUTIONS[0],
}


def fill_every_text_column(store: Store, canary: str) -> int:
    """One row in every table, through the Store's sessions, with `canary` in every text column
    (and in every JSON list or dict). Returns how many text columns were filled."""
    from sqlalchemy import JSON, Integer, String
    from sqlmodel import SQLModel

    import reviewer_tui.models  # noqa: F401

    classes = {m.class_.__table__.name: m.class_ for m in SQLModel._sa_registry.mappers}
    ids: dict[str, Any] = {}
    filled = 0
    for table in SQLModel.metadata.sorted_tables:
        model = classes[table.name]
        values: dict[str, Any] = {}
        for column in table.columns:
            field = model.model_fields.get(column.name)
            # sqlmodel's AutoString decorates String; UTCDateTime (also over String) is a date
            kind = String() if type(column.type).__name__ == "AutoString" else column.type
            if column.foreign_keys:
                values[column.name] = ids[next(iter(column.foreign_keys)).column.table.name]
            elif column.primary_key and isinstance(column.type, Integer):
                continue
            elif isinstance(kind, String):
                value = f"{canary} {table.name}.{column.name}"
                try:
                    validators.check(table.name, column.name, value)
                except InputError:  # a vocabulary (draft_item.kind): free text is refused
                    value = validators.check(
                        table.name, column.name, VOCABULARY[table.name, column.name]
                    )
                else:
                    filled += 1
                values[column.name] = value
            elif isinstance(kind, JSON):
                factory = field.default_factory if field is not None else list
                values[column.name] = [canary] if factory is list else {canary: canary}
                filled += 1
            elif field is not None and field.is_required():
                values[column.name] = (
                    dt.date(2025, 1, 1) if "date" in type(column.type).__name__.lower() else 1
                )
        with store.session() as session:
            row = model(**values)
            session.add(row)
            session.commit()
            key = [getattr(row, c.name) for c in table.primary_key.columns][0]
            ids[table.name] = key
    return filled


def write_a_crash_log(folder: DataFolder, store: Store, canary: str) -> None:
    """A save that fails with the canary in it, logged as an unexpected error would be."""
    from reviewer_tui import crash
    from reviewer_tui import models as m

    try:
        store.add_row(m.Interview, 1, key="iv-crash", person_id=999_999, notes=canary)
    except Exception as exc:  # noqa: BLE001 - the point is to log it
        crash.write_crash_log(folder.path, exc)
    assert list((folder.path / "crash-logs").glob("crash-*.log"))


def count_canary(folder: Path, canary: str) -> dict[str, int]:
    """Occurrences of the canary in every file under `folder`, in UTF-8 and UTF-16 (both orders)."""
    forms = [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.encode("utf-16-be")]
    hits: dict[str, int] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found = sum(data.count(form) for form in forms)
            if found:
                hits[str(path.relative_to(folder))] = found
    return hits


async def type_canary_in_the_app(folder: DataFolder, canary: str) -> None:
    """Type into the interview notes screen and a commissioning field, as a reviewer would."""
    from textual.widgets import Input, TextArea

    from reviewer_tui import interviews as iv

    store = Store(folder)
    rid = store.create_review("Typed in the app", "internal case review", "concern")
    person = iv.add_person(store, rid, "Someone")
    iid = iv.add_interview(store, rid, person.id).id
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.commissioning import CommissioningScreen
        from reviewer_tui.screens.notes import NotesScreen

        app.push_screen(NotesScreen(iid))
        await pilot.pause()
        area = app.screen.query_one("#notes", TextArea)
        area.insert(f"Notes: {canary} said the plan was agreed.")
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        app.push_screen(CommissioningScreen(rid))
        await pilot.pause()
        field = field_widget(app.screen, "child_name", Input)
        field.value = canary
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert store.get(__import__("reviewer_tui.models").models.Interview, iid).notes.startswith(
        f"Notes: {canary}"
    )
    assert store.review(rid).child_name == canary


@pytest.mark.parametrize("mode", ["encrypted", "plain", "encrypted-afterwards"])
async def test_canary_never_in_plain_text_when_encrypted(data_dir: Path, mode: str) -> None:
    folder = encrypted_folder(data_dir) if mode == "encrypted" else open_folder(data_dir)
    keeper = folder.connect()  # a reader held open, so the WAL is not checkpointed away
    keeper.execute("SELECT count(*) FROM review").fetchone()
    store = Store(folder)
    filled = fill_every_text_column(store, CANARY)
    assert filled > 100  # every text column of every model, not a sample
    await type_canary_in_the_app(folder, CANARY)
    folder.backup()
    write_a_crash_log(folder, store, CANARY)
    wal_hits = count_canary(data_dir, CANARY)
    assert (data_dir / "reviews.db-wal").stat().st_size > 0  # the WAL was scanned with data in it
    keeper.close()
    if mode == "encrypted-afterwards":  # typed first, then `reviewer-tui encrypt`
        folder_encryption.encrypt_folder(folder, PASSPHRASE)
    folder.close()
    closed_hits = count_canary(data_dir, CANARY)
    files = sorted(p.name for p in data_dir.rglob("*") if p.is_file())
    print(
        f"\ncanary [{mode}]: {filled} text columns filled; files {files}; "
        f"hits while open {sum(wal_hits.values())} {wal_hits}; "
        f"hits after closing {sum(closed_hits.values())} {closed_hits}"
    )
    if mode == "encrypted":
        assert wal_hits == {} and closed_hits == {}
    elif mode == "plain":  # the same test finds it when encryption is off: it can fail
        assert sum(wal_hits.values()) > filled and "reviews.db" in closed_hits
        assert any(name.startswith("backups/") for name in closed_hits)
    else:
        assert closed_hits == {}
    if mode != "plain":
        folder = reopen(data_dir)
        assert CANARY in Store(folder).review(1).title
        folder.close()


def test_lost_marker_gets_a_hint_and_an_empty_marker_restores_access(
    data_dir: Path, capsys, monkeypatch
) -> None:  # noqa: ANN001
    encrypted_folder(data_dir).close()
    (data_dir / encryption.MARKER_NAME).unlink()
    before = snapshot(data_dir)
    monkeypatch.setenv(encryption.ENV_PASSPHRASE, PASSPHRASE)
    assert main(["--data-dir", str(data_dir), "list"]) == 1
    err = capsys.readouterr().err
    assert "marker file reviews.db.encrypted was lost" in err and "Traceback" not in err
    assert snapshot(data_dir) == before
    (data_dir / encryption.MARKER_NAME).write_bytes(b"")
    assert main(["--data-dir", str(data_dir), "list"]) == 0


def test_encrypted_file_on_read_only_media(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    from reviewer_tui import storage

    folder = encrypted_folder(data_dir)
    rid = Store(folder).create_review("Encrypted, read-only", "internal case review", "concern")
    folder.close()
    before = snapshot(data_dir)
    monkeypatch.setattr(storage, "media_is_writable", lambda folder, db: False)
    folder = reopen(data_dir)
    try:
        assert folder.read_only and folder.encrypted
        store = Store(folder)
        assert store.review(rid).title == "Encrypted, read-only"
        with pytest.raises(Exception) as refused:
            store.rename(rid, "changed")
        assert isinstance(getattr(refused.value, "orig", refused.value), ReadOnlyError)
    finally:
        folder.close()
    assert snapshot(data_dir) == before


def test_encrypted_app_starts_after_the_prompt_without_noise(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = encrypted_folder(data_dir)
    Store(folder).create_review("Shown after unlocking", "internal case review", "concern")
    folder.close()
    env = {k: v for k, v in os.environ.items() if k != encryption.ENV_PASSPHRASE}
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        argv = [*RUN, "--data-dir", str(data_dir)]
        os.execvpe(
            argv[0], argv, {**env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        )
    output, quit_sent = b"", False
    answers = [b"wrong one", PASSPHRASE.encode()]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        prompts = output.count(b"not shown as you type")
        if answers and prompts > 2 - len(answers):  # one answer per prompt, each typed once
            os.write(fd, answers.pop(0) + b"\r")
        if not quit_sent and b"Shown after unlocking" in output:
            os.write(fd, b"\x11")  # ctrl+q
            quit_sent = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode("utf-8", "replace")
    assert quit_sent, text[-2000:]
    assert os.waitstatus_to_exitcode(status) == 0
    assert text.count("That passphrase is not right") == 1
    assert "wrong one" not in text and PASSPHRASE not in text
    assert "cipher" not in text.lower() and "Traceback" not in text
