"""The `reviewer-tui` command: start the app, or import, export and list reviews."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from reviewer_tui import __version__, collector
from reviewer_tui.errors import (
    BadPassphrase,
    BundleError,
    PassphraseNeeded,
    StorageError,
    WrongPassphrase,
)
from reviewer_tui.stopping import StopGuard
from reviewer_tui.storage import DataFolder, resolve_data_dir

if TYPE_CHECKING:
    from reviewer_tui.read_model import EarlyReviewList
    from reviewer_tui.reviews import Store


def build_parser(commands_too: bool = True) -> argparse.ArgumentParser:
    """The command line. Without `commands_too`, only the options that start the app (for a
    command line that holds nothing else: see `starts_the_app_only`)."""
    parser = argparse.ArgumentParser(
        prog="reviewer-tui",
        description="An offline workbench for the lead reviewer of a children's case review.",
    )
    parser.add_argument("--version", action="version", version=f"reviewer-tui {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder holding reviews.db (default: your user data folder, "
        "or $REVIEWER_TUI_DATA_DIR)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="explore a throwaway copy of the public sample review"
    )
    if not commands_too:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    importing = commands.add_parser("import", help="import a review bundle (.json); prints its id")
    importing.add_argument("file", type=Path)
    exporting = commands.add_parser("export", help="export one review as a review bundle")
    exporting.add_argument("review_id", type=int)
    exporting.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    commands.add_parser("list", help="print the id, title and kind of every review")
    backing_up = commands.add_parser("backup", help="write a verified copy of all reviews")
    backing_up.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write it (default: the backups folder beside the data)",
    )
    restoring = commands.add_parser("restore", help="replace all reviews with a backup file")
    restoring.add_argument("file", type=Path)
    commands.add_parser(
        "encrypt",
        help="encrypt reviews.db and its backups with a passphrase "
        "(needs the optional sqlcipher3 package)",
    )
    commands.add_parser("decrypt", help="store reviews.db and its backups unencrypted again")
    making = commands.add_parser(
        "make-pack",
        help="write a note-taker pack: one interview, its interviewee's name and role, the "
        "matters to cover; nothing else of the review (not encrypted)",
    )
    making.add_argument("review_id", type=int)
    making.add_argument("interview", help="the interview's id (iv-1) or the interviewee's name")
    making.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    merging = commands.add_parser(
        "merge-pack", help="merge a note taker's pack with their notes back into its review"
    )
    merging.add_argument("review_id", type=int)
    merging.add_argument("file", type=Path)
    merging.add_argument(
        "--reason",
        default="",
        help="why a signed interview record is changed (asked for when it is signed)",
    )
    opening = commands.add_parser(
        "open-pack", help="on the note taker's laptop: open a pack and type the notes"
    )
    opening.add_argument("file", type=Path)
    holidays = commands.add_parser(
        "holidays", help="bank holidays for working-day deadlines (shipped: 2024 to 2028)"
    )
    holiday_commands = holidays.add_subparsers(dest="holidays_command", metavar="ACTION")
    holiday_import = holiday_commands.add_parser(
        "import",
        help="add the bank holidays in FILE (gov.uk's bank-holidays.json, or "
        '{"divisions": {"england-and-wales": [{"date": "YYYY-MM-DD"}]}})',
    )
    holiday_import.add_argument("file", type=Path)
    from reviewer_tui.reports.cli import add_commands

    add_commands(commands)
    return parser


def starts_the_app_only(argv: Sequence[str]) -> bool:
    """Whether `argv` is only --data-dir DIR and --demo, written out in full: parsed without
    building every command's parser (a few milliseconds before the first frame). Anything
    else (a command, --help, an abbreviation, a mistake) goes to the full parser."""
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--demo" or (token.startswith("--data-dir=") and len(token) > 11):
            continue
        if token == "--data-dir" and rest and not rest[0].startswith("-"):
            rest.pop(0)
            continue
        return False
    return True


def ask_passphrase(folder: DataFolder) -> None:
    """Unlock an encrypted folder: $REVIEWER_TUI_PASSPHRASE if set (one try), otherwise ask in
    the terminal without echo, as many times as needed (ctrl+c stops)."""
    import getpass
    import os

    from reviewer_tui import encryption

    given = os.environ.get(encryption.ENV_PASSPHRASE)
    if given is not None:
        try:
            folder.unlock(given)
        except WrongPassphrase as exc:
            raise StorageError(f"{exc} (It came from ${encryption.ENV_PASSPHRASE}.)") from None
        return
    if not sys.stdin.isatty():
        raise PassphraseNeeded(
            f"{folder.db_path} is encrypted and there is no terminal to type its passphrase in. "
            f"Run reviewer-tui in a terminal, or set {encryption.ENV_PASSPHRASE}. "
            "Nothing has been changed."
        )
    print(f"{folder.db_path} is encrypted.", file=sys.stderr)
    while True:
        typed = getpass.getpass("Passphrase (not shown as you type; ctrl+c to stop): ")
        try:
            folder.unlock(typed)
            return
        except WrongPassphrase:
            print(
                "That passphrase is not right. Try again; passphrases are case-sensitive.",
                file=sys.stderr,
            )
        except BadPassphrase as exc:
            print(f"{exc} Try again.", file=sys.stderr)


def new_passphrase() -> str:
    """A new passphrase: $REVIEWER_TUI_PASSPHRASE, or typed twice without echo."""
    import getpass
    import os

    from reviewer_tui import encryption

    given = os.environ.get(encryption.ENV_PASSPHRASE)
    if given is not None:
        encryption.check_passphrase(given)
        return given
    if not sys.stdin.isatty():
        raise StorageError(
            f"Run this in a terminal to type the passphrase, or set "
            f"{encryption.ENV_PASSPHRASE}. Nothing has been changed."
        )
    print(
        "Choose a passphrase. Without it nobody, including you and support, can read these "
        "reviews: it cannot be recovered. Write it down somewhere safe.",
        file=sys.stderr,
    )
    while True:
        first = getpass.getpass("New passphrase (at least 8 characters, not shown): ")
        if len(first) < 8:
            print("That is shorter than 8 characters. Try again.", file=sys.stderr)
            continue
        if getpass.getpass("The same passphrase again: ") != first:
            print("The two did not match. Try again.", file=sys.stderr)
            continue
        try:
            encryption.check_passphrase(first)
        except BadPassphrase as exc:
            print(f"{exc} Try again.", file=sys.stderr)
            continue
        return first


def open_folder(path: Path, meanwhile: Callable[[DataFolder], object] | None = None) -> DataFolder:
    """Open, check and bring up to date the data folder. `meanwhile` (the app's imports) runs
    while the opening check of the file goes on in the background; nothing reads or writes the
    database until that check has passed (DataFolder.connect waits for it). When the file is as
    this app left it, the check's quick_check is left until after the first frame
    (DataFolder.open): until then only read-only connections reach the file."""
    from reviewer_tui import migrate

    folder = DataFolder(path)
    try:
        folder.open(check_in_background=meanwhile is not None)
    except PassphraseNeeded:
        try:
            ask_passphrase(folder)
        except BaseException:
            folder.close()
            raise
    try:
        if meanwhile is not None:
            meanwhile(folder)
        folder.wait_for_check(pages=False)
        if not (folder.full_check_pending and up_to_date(folder)):
            migrate.upgrade(folder)  # connects: waits for the whole opening check
        if "alembic" in sys.modules:
            # The file was brought up to date: that slow start made garbage (cli.main turns
            # collection off for the start, and the first frame would keep it for good).
            collector.resume_after_start()
    except BaseException:
        folder.close()
        raise
    return folder


def up_to_date(folder: DataFolder) -> bool:
    """Whether the file is at this version's schema, read without waiting for the quick_check
    left until after the first frame (an update, which writes, waits for it)."""
    from reviewer_tui import migrate

    conn = folder.connect_to_read()
    try:
        return migrate.current_revision(conn) == migrate.HEAD_REVISION
    finally:
        conn.close()


def import_the_app() -> None:
    """The screens and Textual (most of the start-up's own time), imported while the data
    file's opening check runs beside them."""
    import reviewer_tui.screens.app  # noqa: F401
    import reviewer_tui.screens.review_list  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    args = build_parser(commands_too=not starts_the_app_only(argv)).parse_args(argv)
    if args.command == "templates" or (
        args.command == "report" and args.list and args.review_id is None
    ):
        from reviewer_tui.reports.cli import run_without_data

        return run_without_data(args)
    if args.command == "holidays":
        return run_holidays(args)
    demo_dir = Path(tempfile.mkdtemp(prefix="reviewer-tui-demo-")) if args.demo else None
    data_dir = demo_dir or resolve_data_dir(args.data_dir)
    guard: StopGuard | None = None
    early: EarlyReviewList | None = None

    def start_the_app(opened: DataFolder) -> None:
        """While the file's opening check runs: from here a stop signal ends the process
        within a few seconds (the guard), the review list is read on a thread once the check
        has passed (nothing writes before the list is shown, unless a sample or a pack is
        loaded first), and the screens are imported."""
        nonlocal guard, early
        guard = StopGuard(opened)
        guard.install()
        if args.command is None and demo_dir is None:
            import datetime as dt

            from reviewer_tui.read_model import EarlyReviewList

            early = EarlyReviewList(opened, dt.date.today())
        import_the_app()
        if early is not None:
            early.checked.wait()  # open_folder's own wait for the check comes after the thread's

    starts_app = args.command is None or args.command == "open-pack"
    if starts_app:
        collector.pause_for_start()  # until the first frame (reviewer_tui/collector.py)
    try:
        folder = open_folder(data_dir, meanwhile=start_the_app if starts_app else None)
    except StorageError as exc:
        collector.resume_after_start()
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        collector.resume_after_start()
        print("\nreviewer-tui: stopped; nothing has been changed.", file=sys.stderr)
        return 1
    except BaseException:
        collector.resume_after_start()
        raise
    try:
        if demo_dir is not None:
            collector.resume_after_start()  # as after an update: the sample's import is garbage
            load_demo(folder)
        pack_interview = None
        if args.command == "open-pack":
            pack_interview = open_pack(folder, args.file)
            if pack_interview is None:
                return 1
        if args.command is None or pack_interview is not None:
            if guard is None:
                guard = StopGuard(folder)
                guard.install()  # from here a stop signal ends the process within a few seconds
            return run_app(
                folder,
                demo=demo_dir is not None,
                guard=guard,
                pack_interview=pack_interview,
                early_list=early,
            )
        return run_command(folder, args)
    except StorageError as exc:
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a read-only folder: say so plainly, no traceback
        print(
            f"reviewer-tui: {exc.strerror or exc}: {exc.filename or ''}. Nothing more was changed.",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        reason = unreadable_reason(exc)
        if reason is None:
            raise
        print(
            f"reviewer-tui: the reviews in {folder.db_path} could not be read ({reason}): the "
            "file may be damaged. Nothing more was changed. Restore the latest backup with "
            "`reviewer-tui restore FILE`.",
            file=sys.stderr,
        )
        return 1
    finally:
        folder.close()
        if guard is not None:
            guard.finish()
        collector.resume_after_start()  # a caller that goes on (a test) collects again
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


def run() -> NoReturn:
    """The `reviewer-tui` command (and `python -m reviewer_tui`): `main`, then out at once."""
    exit_now(main())


def exit_now(code: int) -> NoReturn:
    """End the process once `main` has returned: by then every change is saved (each as it was
    made), the database closed, its lock released and the terminal given back. What Python would
    still do on its way out (a full garbage collection and the teardown of every module, the
    database layer warming up on a daemon thread among them) takes 0.5 to 1.5 s and saves
    nothing, so it is skipped: other threads that are not daemons are waited for, the exit
    handlers run (a report preview's child process is ended there) and the output is flushed,
    as on a normal exit."""
    import atexit
    import os
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed terminal: nothing more can be said there
            pass
    os._exit(code)


def run_holidays(args: argparse.Namespace) -> int:
    """`holidays import FILE`: checked whole, then kept in the data folder beside reviews.db
    (no review data is opened). A bad file gets the problem named and nothing is written."""
    from reviewer_tui import timescales
    from reviewer_tui.errors import InputError
    from reviewer_tui.storage import protect_new_files

    if args.holidays_command != "import":
        print("reviewer-tui: say what to do: `reviewer-tui holidays import FILE`.", file=sys.stderr)
        return 2
    data_dir = resolve_data_dir(args.data_dir)
    try:
        protect_new_files()
        data_dir.mkdir(parents=True, exist_ok=True)
        counts = timescales.import_holidays(data_dir, args.file)
    except InputError as exc:
        print(f"reviewer-tui: {exc} Nothing was imported.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"reviewer-tui: {exc.strerror or exc}: {exc.filename or ''}.", file=sys.stderr)
        return 1
    for name, count in sorted(counts.items()):
        print(f"{name}: {count} bank holiday{'s' if count != 1 else ''} of your own")
    return 0


def unreadable_reason(exc: BaseException) -> str | None:
    """The driver's words (never a stored value) when `exc` says the file cannot be read (damage
    inside a record passes quick_check, so it shows only when read); None for anything else."""
    from reviewer_tui.encryption import errors
    from reviewer_tui.storage import driver_reason

    orig = getattr(exc, "orig", exc)  # SQLAlchemy keeps the driver's error in .orig
    if isinstance(orig, errors()):
        text = driver_reason(orig)
        if any(word in text for word in ("decode", "malformed", "not a database")):
            return text
    return None


def load_demo(folder: DataFolder) -> int:
    from importlib import resources

    from reviewer_tui import bundle
    from reviewer_tui.reviews import Store

    raw = resources.files("reviewer_tui").joinpath("demo_review.json").read_bytes()
    sample = bundle.parse(raw)
    bundle.validate(sample)
    return bundle.import_bundle(Store(folder), sample)


def open_pack(folder: DataFolder, path: Path) -> int | None:
    """Hold a note-taker pack in this folder; None (and one line said) when it is refused."""
    from reviewer_tui import packs
    from reviewer_tui.errors import InputError
    from reviewer_tui.reviews import Store

    try:
        return packs.open_pack(Store(folder), path)
    except InputError as exc:
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        return None


def run_app(
    folder: DataFolder,
    demo: bool = False,
    guard: StopGuard | None = None,
    pack_interview: int | None = None,
    early_list: EarlyReviewList | None = None,
) -> int:
    """Run the app. With a guard installed, SIGTERM or SIGHUP (a closed terminal) ends the process
    within a few seconds: the app saves and returns, and the guard ends the process itself if that
    does not finish (reviewer_tui.stopping)."""
    from reviewer_tui.screens.app import ReviewerApp
    from reviewer_tui.screens.keymap import keymap_path

    try:
        app = ReviewerApp(
            folder,
            demo=demo,
            guard=guard,
            keymap_file=keymap_path(),
            pack_interview=pack_interview,
            early_list=early_list,
        )
        app.run()
    finally:
        if guard is not None:
            guard.closing = True  # main() closes the folder next
    return app.return_code or 0


def run_command(folder: DataFolder, args: argparse.Namespace) -> int:
    from reviewer_tui import bundle
    from reviewer_tui.reviews import Store, list_reviews, printable

    store = Store(folder)
    if args.command == "list":
        conn = folder.connect()
        try:
            for review in list_reviews(conn):
                archived = "\t(archived)" if review.archived else ""
                print(f"{review.id}\t{printable(review.title)}\t{review.kind_name}{archived}")
        finally:
            conn.close()
        return 0
    if args.command == "import":
        try:
            review_id = bundle.import_file(store, args.file)
        except BundleError as exc:
            print(f"reviewer-tui: {args.file} was refused; nothing was imported.", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(review_id)
        return 0
    if args.command == "export":
        try:
            bundle.export_file(store, args.review_id, args.output)
        except BundleError as exc:
            print(f"reviewer-tui: export failed: {exc}", file=sys.stderr)
            return 1
        print(f"Exported review {args.review_id} to {args.output}")
        return 0
    if args.command == "backup":
        target = folder.backup(args.output)
        print(f"Backed up every review to {target} (verified)")
        return 0
    if args.command == "restore":
        safety = folder.restore(args.file)
        from reviewer_tui import migrate

        try:
            migrate.upgrade(folder)  # a backup from an older version of the app
        except StorageError as exc:
            raise StorageError(
                f"Restored from {args.file}, but updating it to this version of "
                f"reviewer-tui failed, so it cannot be used yet ({exc}). What was "
                f"there before the restore is kept in {safety}: restore that to "
                "go back."
            ) from None
        print(f"Restored from {args.file}. What was there before is kept in {safety}")
        return 0
    if args.command == "report":
        from reviewer_tui.reports.cli import run_report

        return run_report(store, args)
    if args.command == "drafts":
        from reviewer_tui.reports.cli import run_drafts

        return run_drafts(store, args)
    if args.command in ("encrypt", "decrypt"):
        return convert(folder, args.command)
    if args.command in ("make-pack", "merge-pack"):
        return pack_command(store, args)
    raise AssertionError(args.command)


def pack_command(store: Store, args: argparse.Namespace) -> int:
    """make-pack and merge-pack: one line on success, one line on refusal."""
    from reviewer_tui import history, packs
    from reviewer_tui.errors import InputError, Locked

    try:
        if args.command == "make-pack":
            interview_id = packs.find_interview(store, args.review_id, args.interview)
            target = packs.make_pack(store, interview_id, args.output)
            print(
                f"Note-taker pack written to {target}. It holds the interviewee's name and is "
                "not encrypted: carry it securely."
            )
        else:
            with history.changing(reason=args.reason):
                print(packs.merge_pack(store, args.review_id, args.file).message)
    except Locked as exc:  # a signed record: the reason is given on the command line
        print(f'reviewer-tui: {exc} Merge with --reason "..." to say why.', file=sys.stderr)
        return 1
    except InputError as exc:
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        return 1
    return 0


def convert(folder: DataFolder, command: str) -> int:
    from reviewer_tui import encryption, folder_encryption

    if command == "encrypt":
        if folder.encrypted:
            print(f"{folder.db_path} is already encrypted.")
            return 0
        encryption.dbapi()  # says how to install sqlcipher3 before asking for anything
        safety, notes = folder_encryption.encrypt_folder(folder, new_passphrase())
        print(
            f"Encrypted {folder.db_path} and its backups. The verified copy made first is "
            f"{safety} (encrypted too). Keep the passphrase safe: it cannot be recovered."
        )
    else:
        if not folder.encrypted:
            print(f"{folder.db_path} is not encrypted.")
            return 0
        safety, notes = folder_encryption.decrypt_folder(folder)
        print(
            f"Decrypted {folder.db_path} and its backups; it is no longer protected by the "
            f"passphrase. The verified copy made first is {safety}."
        )
    for note in notes:
        print(f"  {note}")
    return 0
