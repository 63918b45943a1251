"""Shared fixtures, the one place tests get them from.

- Every test gets its own data folder on disk (never an in-memory database: workers run in threads
  and `sqlite://` is one database per thread).
- Every test runs with its own home, config, data, cache and state folders and no REVIEWER_TUI_*
  setting from the person running the tests, so nothing is read from or written to their folders
  (subprocesses inherit the same environment).
- Every Input and TextArea under test has its cursor blink frozen (the cursor stays shown), so a
  picture or an assertion never catches it mid-blink.
- A new, empty data folder is brought to the current schema by copying one made by the real
  migrations once per worker (running the whole chain costs about a second per folder, most of
  the suite's time). A folder with data in it, an older target revision, or an encrypted folder
  still runs the real migrations: tests/test_storage.py and test_schema.py prove that path.
- `wait_until` waits on a condition instead of a fixed pause; `pressing` is the one key-pressing
  helper for snapshot tests.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Compiled modules are cached (in the git-ignored __pycache__ folders) even where the environment
# says not to (PYTHONDONTWRITEBYTECODE=1 here): otherwise every test worker compiles the app's
# 1.3 MB of source and pytest rewrites all ~100 test modules again (about 4 s of CPU a worker), and
# every subprocess a test starts (the real app in a terminal, the command line: hundreds in the
# suite) compiles the app's modules again before it does anything.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from reviewer_tui.cli import open_folder  # noqa: E402 - after the bytecode setting above
from reviewer_tui.reviews import Store  # noqa: E402
from reviewer_tui.storage import DataFolder  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BUNDLES = SHARED / "bundle"
SAMPLE = BUNDLES / "sample_child_t.json"
MINIMAL = BUNDLES / "minimal.json"
FIXED_TODAY = dt.date(2025, 9, 1)

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run the long stress tests")


# The longest tests (20-70 s each on the 2-core machine), run first. `make test` runs three workers
# with work stealing: each is handed one contiguous third of the list and, once its own queue is
# empty, takes tests from the end of another's. Left where they fall (most of them near the end
# of the alphabet), a 70 s test could start last on one worker while the others sat idle; at the
# front, every long test is under way at the start and the short ones fill in round them.
# Longest first; a name that is gone simply matches nothing.
LONGEST_FIRST = (
    "tests/test_user_text_everywhere.py::",
    "tests/test_layout80.py::test_no_screen_or_dialog_cuts_what_a_person_reads",
    "tests/test_signals_startup.py::test_signal_at_a_random_moment_of_start_up_ends_the_process",
    "tests/test_fuzz.py::",  # whole modules: a module fixture is made once per worker
)


def _longest_first(item: pytest.Item) -> int:
    for rank, prefix in enumerate(LONGEST_FIRST):
        if item.nodeid.startswith(prefix):
            return rank
    return len(LONGEST_FIRST)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=_longest_first)  # stable: the rest keep their order
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long run: use make stress")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A home of the test's own, outside `tmp_path` (tests list what they write there)."""
    home = tmp_path_factory.mktemp("home")
    for name in [n for n in os.environ if n.startswith("REVIEWER_TUI_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))  # what Windows reads instead of HOME
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DOCUMENTS_DIR", "Documents"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    return home


@pytest.fixture(scope="session")
def migrated_empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the current schema, made once by the real migrations."""
    made = open_folder(tmp_path_factory.mktemp("migrated-empty"))
    made.close()
    return made.db_path


@pytest.fixture(autouse=True)
def new_folders_copy_the_migrated_schema(
    migrated_empty_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_tui import migrate

    run_migrations = migrate._run_alembic

    def copy_or_migrate(folder: DataFolder, script_location: str, head: str) -> list[str]:
        wanted = (script_location, head) == (migrate.SCRIPT_LOCATION, migrate.HEAD_REVISION)
        if not wanted or folder.encrypted:
            return run_migrations(folder, script_location, head)
        target = folder.connect()
        try:
            if migrate.has_user_tables(target):
                return run_migrations(folder, script_location, head)
            source = sqlite3.connect(migrated_empty_database)
            try:
                source.backup(target)
            finally:
                source.close()
        finally:
            target.close()
        return []

    monkeypatch.setattr(migrate, "_run_alembic", copy_or_migrate)


@pytest.fixture(autouse=True)
def frozen_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Input and TextArea starts with `cursor_blink` off: the cursor is shown while focused
    and never toggles on a timer."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.__dict__["cursor_blink"], "_default", False)


# The real `gc.freeze`: the session fixture below makes the name a no-op for the code under test.
_freeze = gc.freeze
_freezing_after_each_test = False
_thresholds = gc.get_threshold()  # Python's own: an app that did not end cleanly leaves its own


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """After each test (its fixtures torn down), what is still alive is frozen too.

    What outlives a test is the worker's own: modules a test imported first (the screens, docx,
    jinja, pygments: about 400,000 objects by the end of the suite), bounded caches (Textual's
    strips and styles, SQLAlchemy's compiled statements) and module-scoped fixtures. Left in the
    collector's sight, every full pass of every later test walked all of it again: a third of a
    Pilot test's CPU was the collector's. A full collection first, so nothing the test let go of
    is kept (its apps, screens and databases are collected now, as before); the pass walks only
    what this test made, the rest being frozen already."""
    yield
    gc.set_threshold(*_thresholds)
    if _freezing_after_each_test:
        gc.collect()
        _freeze()


@pytest.fixture(scope="session", autouse=True)
def frozen_test_process() -> Iterator[None]:
    """What a test worker holds for the whole session (pytest, hypothesis, Textual, SQLAlchemy,
    the test modules and the app's own modules) is frozen once, out of the collector's sight, and
    `gc.freeze` does nothing for the code under test.

    The app freezes what its start made (reviewer_tui/collector.py): right for one app per
    process. In a test worker it would freeze each test's app, screens and database objects,
    which would then have to be handed back after every test (else a worker grew by more than a
    gigabyte over the suite). Here nothing a test makes is ever frozen, and each test's objects
    are collected as usual."""
    import reviewer_tui.models  # noqa: F401 - what the apps under test load
    from reviewer_tui import storage

    global _freezing_after_each_test
    storage.import_engine_layer()
    gc.collect()
    gc.freeze()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gc, "freeze", lambda: None)
        _freezing_after_each_test = True
        yield
        _freezing_after_each_test = False
    # Left frozen: the process is ending. Unfrozen, pytest's own clean-up at the end (five full
    # collections, looking for objects that fail as they are freed) walked the whole worker's
    # heap five times, seconds of CPU per worker after the last test; what the tests made since
    # the last freeze is still collected and checked.


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def folder(data_dir: Path) -> Iterator[DataFolder]:
    opened = open_folder(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def store(folder: DataFolder) -> Store:
    return Store(folder)


def make_app(folder: DataFolder):  # noqa: ANN201 - the app type imports textual
    from reviewer_tui.screens.app import ReviewerApp

    app = ReviewerApp(folder, today=lambda: FIXED_TODAY)
    return app


async def eventually(
    pilot,
    condition: Callable[[], object],  # noqa: ANN001
    timeout: float = 5.0,
) -> bool:
    """True as soon as `condition()` is true, False once `timeout` seconds have passed. Between
    tries the app runs (its messages, timers and workers' replies), so no fixed sleep is needed."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.01)
    return True


def record_frames(
    monkeypatch: pytest.MonkeyPatch, label: Callable[[str], object] = lambda kind: kind
) -> list[object]:
    """From now on, each frame drawn, as `label` names it ("full" or "partial"): a partial
    update with nothing to draw is not a frame."""
    from textual._compositor import Compositor

    frames: list[object] = []
    full, partial = Compositor.render_full_update, Compositor.render_partial_update

    def full_frame(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        frames.append(label("full"))
        return full(compositor, *args, **kwargs)

    def partial_frame(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        update = partial(compositor, *args, **kwargs)
        if update is not None:
            frames.append(label("partial"))
        return update

    monkeypatch.setattr(Compositor, "render_full_update", full_frame)
    monkeypatch.setattr(Compositor, "render_partial_update", partial_frame)
    return frames


async def wait_until(
    pilot,
    condition: Callable[[], object],  # noqa: ANN001
    timeout: float = 10.0,
    what: str = "",
) -> None:
    """Wait for `condition()` to be true; fail the test, saying what was awaited, if it is not
    within `timeout` seconds."""
    if not await eventually(pilot, condition, timeout):
        raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")


async def scroll_through(
    pilot,  # noqa: ANN001
    body,  # noqa: ANN001
    done: Callable[[], object],
    settled: Callable[[], object],
) -> None:
    """Scroll `body` from its top until `done()`, half a screen at a time, waiting at each step
    until `settled()` (what came into view built). A stub scrolled past before it was built stays
    one until scrolled back to (what is seen does not move), so at the end it starts again from
    the top."""
    body.scroll_home(animate=False, immediate=True)
    await pilot.pause()
    for _ in range(100):
        if done():
            return
        if body.scroll_y >= body.max_scroll_y:
            body.scroll_home(animate=False, immediate=True)
        else:
            step = body.scroll_y + body.size.height // 2
            body.scroll_to(y=step, animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        await wait_until(pilot, settled, what="what was scrolled to built")


def pressing(*keys: str, unfocus: bool = False) -> Callable[[object], Awaitable[None]]:
    """A snapshot test's `run_before`: let workers finish, press the keys one by one, let
    workers finish again. `unfocus` drops the focus afterwards, so no focused border or cursor
    is in the picture."""

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.app.workers.wait_for_complete()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if unfocus:
            pilot.app.screen.set_focus(None, scroll_visible=False)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


def import_sample_at_an_older_revision(folder: DataFolder, scratch: Path) -> int:
    """The sample bundle put into `folder`, whose database is at an older revision: the ORM
    writes every column of today's models, so the bundle is imported at the current schema in
    `scratch` and each table's rows are copied over in the columns the older schema has. The
    later migrations' own tables and columns stay empty. Returns the review's id."""
    from reviewer_tui import bundle
    from reviewer_tui.search import is_search_table

    current = open_folder(scratch)
    try:
        review_id = bundle.import_file(Store(current), SAMPLE)
    finally:
        current.close()
    conn = folder.connect()
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # parents and children in any order
        conn.execute("ATTACH DATABASE ? AS cur", (str(current.db_path),))
        conn.execute("BEGIN")
        cur_tables = {n for (n,) in conn.execute("SELECT name FROM cur.sqlite_master")}
        for (table,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
        ).fetchall():
            if table not in cur_tables or is_search_table(table):
                continue
            had = {r[1] for r in conn.execute(f'PRAGMA cur.table_info("{table}")')}
            columns = ", ".join(
                f'"{r[1]}"'
                for r in conn.execute(f'PRAGMA main.table_info("{table}")')
                if r[1] in had
            )
            conn.execute(
                f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM cur."{table}"'
            )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE cur")
        conn.execute("PRAGMA foreign_keys = ON")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    return review_id


async def reach_the_record(pilot) -> None:  # noqa: ANN001
    """The record's fields, below the briefing, are a stub until reached: Tab to it, as the
    reviewer would (it becomes the fields, the first focused)."""
    pilot.app.screen.query_one("#record-stub").focus()
    await wait_until(
        pilot,
        lambda: (
            pilot.app.focused is not None
            and pilot.app.focused.id == "f-contentious_points_checked_back"
        ),
        what="the record's first field focused",
    )


async def reach_the_briefing(pilot) -> None:  # noqa: ANN001
    """The interview's briefing, below the arrangements, is a stub until reached: Tab to it, as
    the reviewer would (it becomes the twelve items, the first focused)."""
    pilot.app.screen.query_one("#briefing-stub").focus()
    await wait_until(
        pilot,
        lambda: pilot.app.focused is not None and pilot.app.focused.id == "b-purpose_and_terms",
        what="the briefing's first item focused",
    )


async def workers_done(pilot, timeout: float = 30.0) -> None:  # noqa: ANN001
    """Every worker of the app has finished, one cancelled on the way too: an exclusive worker
    begun again (the quality check after a change) cancels the one before, and Textual's
    `workers.wait_for_complete` raised WorkerCancelled for it."""
    await wait_until(
        pilot,
        lambda: all(worker.is_finished for worker in pilot.app.workers),
        timeout,
        "every worker finished",
    )
