"""The path to the first frame and the way out stay quick with a large data folder (issue 14,
start-up and quitting). Structure, not stopwatch: the review list's read asks SQLite for each
kind of row once and never has it index every chronology entry, a title's height is counted as
Rich would wrap it, and quitting skips the interpreter's teardown but nothing that saves."""

from __future__ import annotations

import gc
import operator
import random
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from reviewer_tui import interviews as iv
from reviewer_tui import read_model
from reviewer_tui.reviews import Store
from reviewer_tui.screens.review_list import title_height
from reviewer_tui.storage import DataFolder
from tests.conftest import FIXED_TODAY, REPO, make_app, record_frames, wait_until
from tests.test_layout80 import screen_text


def _statements(folder: DataFolder) -> list[str]:
    """The SQL the review list's read runs, with its values bound."""
    seen: list[str] = []
    with read_model.reading(folder) as conn:
        conn.set_trace_callback(seen.append)
        read_model.attention(conn, FIXED_TODAY)
    return seen


def test_the_review_list_read_reads_interviews_once(folder: DataFolder, store: Store) -> None:
    """Columns after the notes (200 KB to 2 MB each) are reached by walking the notes' overflow
    pages: the three rules that need interviews share one read of them."""
    rid = store.create_review("Needs attention", "serious case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iv.add_interview(store, rid, person.id, notes="held, not signed")
    statements = _statements(folder)
    assert sum("FROM interview" in s for s in statements) == 1, statements
    with read_model.reading(folder) as conn:
        found = read_model.attention(conn, FIXED_TODAY)[rid]
    assert [u.state for u in found.unsigned] == ["drafted"]  # the notes were read for it


def test_the_review_list_reads_interviews_from_their_index(
    folder: DataFolder, store: Store
) -> None:
    """Migration 0013: the interviews' steps come from ix_interview_review_list in the list's
    order, not from rows whose notes (200 KB to 2 MB) SQLite would walk to reach the columns
    after them, and nothing is sorted; for one review too (the workspace's read)."""
    rid = store.create_review("Any", "serious case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iv.add_interview(store, rid, person.id, notes="held")
    with read_model.reading(folder) as conn:
        for review_id in (None, rid):
            seen: list[str] = []
            conn.set_trace_callback(seen.append)
            read_model._interviews(conn, review_id)
            conn.set_trace_callback(None)
            plan = " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {seen[0]}"))
            assert "i USING INDEX ix_interview_review_list" in plan, plan
            assert "TEMP B-TREE" not in plan, plan


def test_the_chronology_check_never_indexes_every_entry(folder: DataFolder, store: Store) -> None:
    """Left to itself SQLite met the check's ORDER BY by building a temporary index of every
    entry of every review (three times the cost of the whole read): the plan reads the entries'
    days through the chronology's order index, and only the entries whose day is odd from the
    table, by their ids."""
    store.create_review("Any", "serious case review", "concern")
    chronology = [s for s in _statements(folder) if "chronology_entry c" in s and "WITH b" in s]
    assert len(chronology) == 1
    with read_model.reading(folder) as conn:
        plan = " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {chronology[0]}"))
    assert "SEARCH k USING INDEX ix_chronology_entry_order (review_id=?)" in plan, plan
    assert "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    assert "AUTOMATIC" not in plan.split("SEARCH k", 1)[1], plan


def test_title_height_is_the_number_of_lines_rich_wraps_to() -> None:
    console = Console(width=120)
    pieces = [*"abc defgh  ijk\n", "é", "漢", "字", "😀", "—", " ", "⚠", "\u200b", "\u0301", "\t"]
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 90)))
        width = rng.randint(1, 50)
        title = Text(text, end="")
        assert title_height(title, width, console) == max(1, len(title.wrap(console, width))), (
            text,
            width,
        )


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=80), st.sampled_from(["abc def\n", "漢字 😀"]))
def test_a_table_cell_is_measured_as_textual_measures_it(text: str, extra: str) -> None:
    """A DataTable measures every cell it is given; the app's measure of a Text cell skips the
    console options Textual builds first, and must come out as Textual's, for any text."""
    from textual.render import measure

    from reviewer_tui.screens.text import cell, measure_cell

    console = Console(width=120)
    for value in (cell(text), cell(text + extra), cell(extra + text)):
        assert measure_cell(console, value, 1) == measure(console, value, 1), repr(value.plain)
    assert measure_cell(console, "a [b]", 1) == measure(console, "a [b]", 1)


QUIT = """
import atexit, threading, time
from reviewer_tui.cli import exit_now

threading.Thread(target=time.sleep, args=(120,), daemon=True).start()  # as the warm-up import
worker = threading.Thread(target=lambda: (time.sleep(0.3), print("worker finished", flush=True)))
worker.start()
atexit.register(lambda: print("exit handler ran", flush=True))
print("said before quitting", end="")
exit_now(3)
"""


def test_quitting_waits_for_what_saves_and_not_for_the_teardown() -> None:
    """exit_now: threads that are not daemons finish, exit handlers run (they end a report
    preview's child process), the output is flushed and the exit code kept; a daemon thread
    still busy (the database layer warming up) is not waited for."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", QUIT], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert result.returncode == 3, result.stderr
    # the worker is waited for before the exit handlers run, as on a normal exit
    assert result.stdout == "said before quittingworker finished\nexit handler ran\n"
    assert time.monotonic() - started < 60


def test_the_command_and_python_m_end_through_exit_now() -> None:
    scripts = {e.name: e.value for e in metadata.entry_points(group="console_scripts")}
    assert scripts["reviewer-tui"] == "reviewer_tui.cli:run"
    main_module = Path(REPO, "reviewer_tui", "__main__.py").read_text(encoding="utf-8")
    assert "run()" in main_module


def test_exit_now_is_not_reached_from_main_itself(tmp_path: Path) -> None:
    """Tests and other callers of `main()` get its return code back (only `run` exits)."""
    from reviewer_tui.cli import main

    assert main(["--data-dir", str(tmp_path / "data"), "list"]) == 0


async def test_a_resize_to_the_same_size_lays_nothing_out_again(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start sends Resize events of the size the list already has: they cost no layout. A
    real change of size still lays the list out for the new width."""
    from textual import events
    from textual.screen import Screen
    from textual.widgets import DataTable

    store.create_review("Child A " + "long title " * 8, "serious case review", "concern")
    app = make_app(folder)
    layouts: list[object] = []
    original = Screen._refresh_layout

    def counted(screen: Screen[object], *args: object, **kwargs: object) -> None:
        # a Resize lays out at its size; other layouts (a widget asking) pass none
        if (args[0] if args else kwargs.get("size")) is not None:
            layouts.append(args)
        original(screen, *args, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        screen = app.screen
        screen.post_message(events.Resize(screen.size, screen.size))
        await pilot.pause()
        await pilot.pause()
        assert layouts == []
        wide = screen.query_one("#reviews", DataTable).columns
        wide_title = next(iter(wide.values())).width
        await pilot.resize_terminal(80, 30)
        await wait_until(pilot, lambda: layouts, what="a layout for the new size")
        await wait_until(
            pilot,
            lambda: (
                next(iter(screen.query_one("#reviews", DataTable).columns.values())).width
                < wide_title
            ),
            what="the title column narrowed",
        )
        await app.workers.wait_for_complete()


async def test_a_screen_opened_is_laid_out_once_for_its_size(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every screen and dialog, as it opens, is sent a Resize of the size it was just laid out
    at: it costs no second layout of the whole screen (screens/base.py, _DoneOnce), and the
    workspace does not rebuild its table of stages for the width it already fits."""
    from textual import events
    from textual.screen import Screen
    from textual.widgets import DataTable

    from reviewer_tui.screens.dialogs import TextPrompt
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = store.create_review("Child B", "serious case review", "concern")
    app = make_app(folder)
    layouts: list[str] = []
    original = Screen._refresh_layout

    def counted(screen: Screen[object], *args: object, **kwargs: object) -> None:
        # a Resize lays out at its size; other layouts (a widget asking) pass none
        if (args[0] if args else kwargs.get("size")) is not None:
            layouts.append(type(screen).__name__)
        original(screen, *args, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        await app.push_screen(TextPrompt("A title [/] kept", "x"))
        await pilot.pause()
        await pilot.pause()
        # one layout each as it was shown; none for the Resize each then sent itself
        assert layouts == ["WorkspaceScreen", "TextPrompt"]
        app.pop_screen()
        await pilot.pause()
        workspace = app.screen
        table = workspace.query_one("#stages", DataTable)
        columns = list(table.columns.values())  # held: a rebuilt table has new Column objects

        def same_columns() -> bool:
            now = list(table.columns.values())
            return len(now) == len(columns) and all(map(operator.is_, now, columns))

        workspace.post_message(events.Resize(workspace.size, workspace.size))
        await pilot.pause()
        await pilot.pause()
        assert same_columns()  # not rebuilt for the width they already fit
        assert layouts == ["WorkspaceScreen", "TextPrompt"]
        await pilot.resize_terminal(90, 30)
        await wait_until(pilot, lambda: len(layouts) > 2, what="the new size laid out")
        await wait_until(pilot, lambda: not same_columns(), what="the columns refitted")


async def test_a_screen_is_drawn_whole_once_as_it_opens_and_again_on_return(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A screen's first layout draws and shows all of it; Textual then asked to draw all of it
    again (its resume's refresh, and the repaint its new size asks for), a second full frame of
    every screen as it opened. Opened: one full frame. Returned to (nothing laid out): drawn
    whole still, as the screen that covered it has gone."""
    from textual._compositor import Compositor

    from reviewer_tui.screens.dialogs import TextPrompt
    from reviewer_tui.screens.help import HelpScreen

    app = make_app(folder)
    full_frames: list[str] = []
    original = Compositor.render_full_update

    def counted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        full_frames.append(type(app.screen).__name__)
        return original(compositor, *args, **kwargs)

    async def settled() -> None:
        for _ in range(6):
            await pilot.pause()

    async with app.run_test(size=(120, 40)) as pilot:
        await settled()
        monkeypatch.setattr(Compositor, "render_full_update", counted)
        await app.push_screen(HelpScreen(app.screen))
        await settled()
        assert full_frames == ["HelpScreen"]
        await app.push_screen(TextPrompt("A title [/] kept", "x"))
        await settled()
        assert full_frames == ["HelpScreen", "TextPrompt"]
        app.pop_screen()
        await settled()
        # drawn whole again: the frame the resume asks for is not taken for a layout's (a
        # return restyles the screen, which Textual draws in a frame of its own)
        assert full_frames[:3] == ["HelpScreen", "TextPrompt", "HelpScreen"]
        assert set(full_frames[2:]) == {"HelpScreen"}
        assert "A title" not in screen_text(app)  # the dialog's frame is gone from the terminal


async def test_a_screen_whose_first_layout_shows_a_scroll_bar_is_drawn_once_with_it(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first layout of a screen whose text overflows shows a scroll bar it laid out without:
    Textual drew the whole screen, then laid it out again with the bar and drew most of it a
    second time. The help opened: one frame, drawn with the bar, and nothing drawn again."""
    from textual.containers import VerticalScroll

    from reviewer_tui.screens.help import HelpScreen

    app = make_app(folder)

    def bar_shown() -> bool:
        return isinstance(app.screen, HelpScreen) and any(
            v.show_vertical_scrollbar for v in app.screen.query(VerticalScroll)
        )

    async with app.run_test(size=(100, 24)) as pilot:
        for _ in range(6):
            await pilot.pause()
        # (kind, the help's scroll bar shown as it was drawn)
        frames = record_frames(monkeypatch, lambda kind: (kind, bar_shown()))
        await app.push_screen(HelpScreen(app.screen))
        for _ in range(8):
            await pilot.pause()
        assert frames == [("full", True)]
        assert "Keys on this screen" in screen_text(app) and bar_shown()


async def test_the_chronology_opens_in_one_layout_and_one_frame_with_its_column_names(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chronology's table and detail pane always show their scroll bars, and the table
    wraps its rows and the names of its columns for the width it is given. Textual showed each
    bar as its view mounted, and each bar again as the layout sized its view, each asking for
    another layout; the rows and names were fitted on the Resize event after the first frame.
    Opened: one layout, one frame, drawn with the bar, the rows and the names."""
    from textual.screen import Screen

    from reviewer_tui import bundle
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable
    from tests.conftest import SAMPLE

    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    layout = Screen._refresh_layout

    def laid_out(screen: Screen[Any], *args: Any, **kwargs: Any) -> Any:
        seen.append("layout")
        return layout(screen, *args, **kwargs)

    def with_bar(kind: str) -> str:
        return f"{kind}, bar {app.screen.query_one(ChronologyTable).vertical_scrollbar.display}"

    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(6):
            await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", laid_out)
        seen = record_frames(monkeypatch, with_bar)
        await app.push_screen(ChronologyScreen(rid))
        for _ in range(8):
            await pilot.pause()
        assert seen == ["layout", "full, bar True"]
        text = screen_text(app)
        assert all(name in text for name in ("Date & time", "Source", "Event", "Issues"))
        first = app.screen.query_one(ChronologyTable).current
        assert first is not None and first.event[:30] in text


async def test_the_frame_after_the_scroll_bars_does_not_wait_for_a_timer_period(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The help's first layout shows its scroll bar, so its frame is drawn by the layout that
    follows, on the screen's update timer. That timer's first tick comes a whole period (17 ms)
    after it first runs: begun only then, every such screen, the review list at start-up among
    them, was shown 17 ms late. Begun as the screen mounts, it is waiting by then: no period of
    it is slept between the first layout and the frame."""
    import textual.timer
    from textual._compositor import Compositor
    from textual.screen import UPDATE_PERIOD, Screen

    from reviewer_tui.screens.help import HelpScreen

    app = make_app(folder)
    window = {"open": False, "drawn": False}
    slept_in_window: list[float] = []
    sleep, layout, full = textual.timer.sleep, Screen._refresh_layout, Compositor.render_full_update

    async def timer_sleep(seconds: float) -> None:
        timer = sys._getframe(1).f_locals.get("self")
        if window["open"] and getattr(timer, "name", "") == "screen_update":
            slept_in_window.append(seconds)
        await sleep(seconds)

    def first_layout(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        first = isinstance(screen, HelpScreen) and not screen._compositor.size
        layout(screen, *args, **kwargs)
        if first and not window["drawn"]:
            window["open"] = True  # laid out, its frame not drawn: the bar asks for another

    def full_frame(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        if isinstance(app.screen, HelpScreen):
            window["open"], window["drawn"] = False, True
        return full(compositor, *args, **kwargs)

    async with app.run_test(size=(100, 24)) as pilot:
        for _ in range(6):
            await pilot.pause()
        monkeypatch.setattr(textual.timer, "sleep", timer_sleep)
        monkeypatch.setattr(Screen, "_refresh_layout", first_layout)
        monkeypatch.setattr(Compositor, "render_full_update", full_frame)
        await app.push_screen(HelpScreen(app.screen))
        await wait_until(pilot, lambda: window["drawn"], what="the help's frame")
        assert not [s for s in slept_in_window if s > UPDATE_PERIOD / 2]
        assert "Keys on this screen" in screen_text(app)


async def test_what_a_full_frame_drew_is_not_drawn_again_for_asks_made_before_it(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each widget asks to be drawn as it mounts, is styled or given its size; those asks reach
    the screen after its first full frame, which drew every widget in view from what it held,
    and Textual drew them all again. A form opened: nothing in view is drawn again. A field
    typed into after it is drawn again, and shows what was typed."""
    from textual._compositor import Compositor
    from textual.widget import Widget

    from reviewer_tui.screens.commissioning import CommissioningScreen

    rid = store.create_review("Child B", "serious case review", "concern")
    app = make_app(folder)
    drawn_whole: set[Widget] = set()
    drawn_again: list[str] = []
    full, partial = Compositor.render_full_update, Compositor.update_widgets

    def full_frame(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        drawn_whole.update(compositor.visible_widgets)
        return full(compositor, *args, **kwargs)

    def widgets_drawn(compositor: Compositor, widgets: set[Widget]) -> None:
        drawn_again.extend(type(w).__name__ for w in widgets if w in drawn_whole)
        partial(compositor, widgets)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Compositor, "render_full_update", full_frame)
        monkeypatch.setattr(Compositor, "update_widgets", widgets_drawn)
        await app.push_screen(CommissioningScreen(rid))
        for _ in range(8):
            await pilot.pause()
        assert len(drawn_whole) > 15  # the form and its fields, drawn in its one full frame
        assert drawn_again == []
        await pilot.press("tab", *"Typed")
        await wait_until(pilot, lambda: drawn_again, what="the field typed into drawn again")
        await wait_until(pilot, lambda: "Typed" in screen_text(app), what="what was typed")


async def test_a_tab_draws_the_fields_it_moves_between_not_the_whole_screen(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's screen repainted all of itself as its focus moved: two full frames for every
    Tab on a form. The field left and the field reached are drawn again, and nothing else."""
    from textual._compositor import Compositor
    from textual.widget import Widget

    from reviewer_tui.screens.commissioning import CommissioningScreen

    rid = store.create_review("Child B", "serious case review", "concern")
    app = make_app(folder)
    full_frames: list[str] = []
    drawn: set[Widget] = set()
    full, partial = Compositor.render_full_update, Compositor.update_widgets

    def full_frame(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        full_frames.append(type(app.screen).__name__)
        return full(compositor, *args, **kwargs)

    def widgets_drawn(compositor: Compositor, widgets: set[Widget]) -> None:
        drawn.update(widgets)
        partial(compositor, widgets)

    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(CommissioningScreen(rid))
        await pilot.press("tab")
        for _ in range(8):
            await pilot.pause()
        left = app.focused
        monkeypatch.setattr(Compositor, "render_full_update", full_frame)
        monkeypatch.setattr(Compositor, "update_widgets", widgets_drawn)
        await pilot.press("tab")
        for _ in range(8):
            await pilot.pause()
        reached = app.focused
        assert reached is not None and reached is not left
        assert full_frames == []
        assert reached in drawn or any(reached in w.walk_children() for w in drawn)
        assert left in drawn or left not in app.screen.walk_children()  # a face replaced


async def test_a_screen_opens_with_the_focus_where_it_takes_it_from_its_first_frame(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chronology's table takes the focus as the screen opens. Focused from on_mount, the
    focus went first to the first filter, and moved to the table after the first frame: both
    styled and drawn again, the screen laid out again. The first full frame shows the table
    focused, and nothing else was focused on the way; the same with the terminal's focus
    elsewhere as the screen opens (Textual then focused nothing at all)."""
    from textual._compositor import Compositor
    from textual.screen import Screen
    from textual.widget import Widget

    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable

    rid = store.create_review("Child B", "serious case review", "concern")
    app = make_app(folder)
    focused_in_turn: list[Widget | None] = []
    focused_in_first_frame: list[Widget | None] = []
    full, set_focus = Compositor.render_full_update, Screen.set_focus

    def full_frame(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        if isinstance(app.screen, ChronologyScreen) and not focused_in_first_frame:
            focused_in_first_frame.append(app.screen.focused)
        return full(compositor, *args, **kwargs)

    def focusing(screen: Screen[Any], widget: Widget | None, *args: Any, **kwargs: Any) -> None:
        if isinstance(screen, ChronologyScreen):
            focused_in_turn.append(widget)
        set_focus(screen, widget, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_full_update", full_frame)
    monkeypatch.setattr(Screen, "set_focus", focusing)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for terminal_focused in (True, False):
            focused_in_turn.clear()
            focused_in_first_frame.clear()
            app.app_focus = terminal_focused
            screen = ChronologyScreen(rid)
            await app.push_screen(screen)
            for _ in range(6):
                await pilot.pause()
            table = screen.query_one(ChronologyTable)
            assert focused_in_first_frame == [table]
            assert focused_in_turn == [table]
            assert app.focused is table
            app.pop_screen()
            await pilot.pause()


async def test_collection_is_off_until_the_first_frame_then_frozen_and_on(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cli.main turns garbage collection off for the start; the first frame freezes what the
    start made and turns it back on, so keys are never answered with collection off for long;
    from then on Python's own full passes are off (the app runs them when the reviewer pauses:
    tests/test_collector.py) until the app ends. (The tests' conftest makes `gc.freeze` do
    nothing: a spy stands in for it here.)"""
    from reviewer_tui import collector

    frozen_with_collection_off: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen_with_collection_off.append(not gc.isenabled()))
    before = gc.get_threshold()
    app = make_app(folder)
    gc.disable()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, gc.isenabled, what="collection back on after the first frame")
            assert frozen_with_collection_off[:1] == [True]
            assert gc.get_threshold() == (before[0], before[1], collector.NEVER)
            await app.workers.wait_for_complete()
    finally:
        gc.enable()
    assert gc.get_threshold() == before  # handed back as the app ended


def test_a_start_refused_leaves_collection_on(tmp_path: Path) -> None:
    """A start that never reaches the app (a file that is not ours) gives collection back to
    a caller that goes on."""
    from reviewer_tui.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "reviews.db").write_bytes(b"not a database at all" * 100)
    assert main(["--data-dir", str(data)]) == 1
    assert gc.isenabled()


OPEN_WITH_COLLECTION_OFF = """
import gc, sys
from pathlib import Path
from reviewer_tui.cli import open_folder
gc.disable()
folder = open_folder(Path(sys.argv[1]))
folder.close()
print(gc.isenabled())
"""


def test_collection_comes_back_on_after_an_update_of_the_file(tmp_path: Path) -> None:
    """An update (here the first, of a new file) is slow and makes garbage: collection is on
    again after it rather than that garbage kept for good at the first frame. A file already up
    to date leaves it off for the rest of the start."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", OPEN_WITH_COLLECTION_OFF, str(tmp_path / "data")],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]


def test_the_early_read_is_the_list_read_once_for_its_day(folder: DataFolder, store: Store) -> None:
    """The review list read on a thread during the imports (cli.main) is the list's own read,
    handed over once and only for the day it was read for."""
    rid = store.create_review("Early", "serious case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    iv.add_interview(store, rid, person.id, notes="held, not signed")
    early = read_model.EarlyReviewList(folder, FIXED_TODAY)
    assert early.checked.wait(30)
    assert early.take(FIXED_TODAY) == read_model.review_list(folder, FIXED_TODAY)
    assert early.take(FIXED_TODAY) is None  # once: later shows read again
    other_day = read_model.EarlyReviewList(folder, FIXED_TODAY)
    assert other_day.take(FIXED_TODAY.replace(year=FIXED_TODAY.year + 1)) is None


def test_the_early_read_reads_nothing_from_a_file_still_to_update(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The update of an older file runs after the imports: the early read leaves such a file
    alone (the list then reads it after the update)."""
    from reviewer_tui import migrate

    store.create_review("Older", "serious case review", "concern")
    read: list[object] = []
    monkeypatch.setattr(read_model, "_review_rows", lambda *a: read.append(a) or [])
    with read_model.reading(folder) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    try:
        assert read_model.EarlyReviewList(folder, FIXED_TODAY).take(FIXED_TODAY) is None
        assert read == []
    finally:
        with read_model.reading(folder) as conn:
            conn.execute(f"UPDATE alembic_version SET version_num = '{migrate.HEAD_REVISION}'")
    assert read_model.EarlyReviewList(folder, FIXED_TODAY).take(FIXED_TODAY) == []
    assert len(read) == 1  # at this version's schema it reads


async def test_the_list_shows_the_early_read_and_measures_no_cell(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first show of the list takes the early read rather than reading again, and its table
    measures no cell: every column has its width and every row its height. Later shows read."""
    from textual.widgets import _data_table

    from reviewer_tui.screens.app import ReviewerApp

    for n in range(30):
        store.create_review(
            f"Review {n} " + "long title " * (n % 9), "serious case review", "concern"
        )
    measured: list[object] = []
    real_measure = _data_table.measure
    monkeypatch.setattr(
        _data_table, "measure", lambda *a, **k: measured.append(a[1]) or real_measure(*a, **k)
    )
    reads: list[object] = []
    real_read = read_model.review_list
    monkeypatch.setattr(read_model, "review_list", lambda *a: reads.append(a) or real_read(*a))
    early = read_model.EarlyReviewList(folder, FIXED_TODAY)
    app = ReviewerApp(folder, today=lambda: FIXED_TODAY, early_list=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: "30 reviews" in str(app.screen.query_one("#list-caption").render()),
            what="the list",
        )
        assert reads == []
        assert len(measured) <= 7, measured  # the column labels only, not the 30 rows' cells
        app.screen.refresh_list()
        assert len(reads) == 1
        await app.workers.wait_for_complete()


async def test_a_table_wider_than_the_screen_shows_its_scroll_bar_as_it_opens(
    folder: DataFolder,
) -> None:
    """A layout gives each widget its size, and Textual's widgets ask for a layout of their own
    as they take it, which found the same sizes again (screens/base.py, _DoneOnce, drops those
    asks). A table whose size shows a scroll bar it had not is still laid out again, the bar
    drawn: the quality checklist's wide rows at 80 columns lost theirs."""
    from textual.app import ComposeResult
    from textual.widgets import DataTable

    from reviewer_tui.screens.base import ReviewScreen

    class Wide(ReviewScreen[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[str] = DataTable()
            table.add_column("What", width=200)
            table.add_rows([[f"row {n}"] for n in range(3)])
            yield table

    app = make_app(folder)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = Wide()
        await app.push_screen(screen)
        for _ in range(4):
            await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.show_horizontal_scrollbar
        bar = table.horizontal_scrollbar
        assert bar.region.width == 60  # drawn across the screen: laid out with the table


async def test_a_screen_pushed_is_not_laid_out_again_for_its_own_mount(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual asks for a layout of a pushed screen once the screen has mounted, which comes
    after the layout the screen had as it resumed (screens/app.py, _get_screen): that ask is
    not passed on, and the screen is drawn all the same."""
    from textual.screen import Screen
    from textual.widget import Widget

    from reviewer_tui.screens.dialogs import TextPrompt

    asks: list[str] = []
    laying_out: list[Screen[Any]] = []
    original_refresh, original_layout = Widget.refresh, Screen._refresh_layout

    def refresh(widget: Widget, *regions: Any, **kwargs: Any) -> Widget:
        if isinstance(widget, TextPrompt) and kwargs.get("layout") and widget._compositor.size:
            if not laying_out:  # a layout's own sizes ask too (screens/base.py drops those)
                asks.append("a layout of the whole prompt after it was laid out")
        return original_refresh(widget, *regions, **kwargs)

    def layout(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        laying_out.append(screen)
        try:
            original_layout(screen, *args, **kwargs)
        finally:
            laying_out.pop()

    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Widget, "refresh", refresh)
        monkeypatch.setattr(Screen, "_refresh_layout", layout)
        await app.push_screen(TextPrompt("A title [/] kept", "the words in the box"))
        await pilot.pause()
        await pilot.pause()
        assert asks == []
        assert "A title [/] kept" in screen_text(app)


async def test_a_list_of_rows_is_laid_out_once_as_it_opens(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agency codes: a row for each code, each asking for a layout as its fields mounted,
    and a line filled in as the screen mounted. Those asks are met by the screen's first
    layout, which comes after them: one layout as it opens, not two (screens/base.py)."""
    from textual.screen import Screen

    from reviewer_tui import chronology as ch
    from reviewer_tui.screens.chronology import AgencyCodesScreen

    rid = store.create_review("Child C", "serious case review", "concern")
    for code in ("POL", "CSC", "HV", "GP", "ED"):
        ch.add_agency_code(store, rid, code)
    layouts: list[str] = []
    original = Screen._refresh_layout

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(type(screen).__name__)
        original(screen, *args, **kwargs)

    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await app.push_screen(AgencyCodesScreen(rid))
        for _ in range(4):
            await pilot.pause()
        assert layouts == ["AgencyCodesScreen"]
        assert "Every source in the chronology is in the register." in screen_text(app)
        assert len(app.screen.query(".code-row")) == 5


async def test_a_table_is_laid_out_with_the_rows_it_was_just_given(
    folder: DataFolder, store: Store
) -> None:
    """A table works out its size on its next idle, which came after a layout that followed
    its filling (a table filled as its screen opened: the first layout found it empty, drew it
    so, and the screen was laid out and drawn again). A layout now works it out first
    (screens/base.py)."""
    from textual.widgets import DataTable

    from reviewer_tui.screens.interviews import InterviewsStageScreen

    rid = store.create_review("Child D", "serious case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#people", DataTable)
        before = table.virtual_size.height
        for n in range(12):  # as wide as the narrowest column sized to its title ("Name")
            table.add_row(*[Text(f"{n:02}[/")] * len(table.columns))
        screen._refresh_layout()  # at once: no idle of the table's between
        assert table.virtual_size.height == before + 12
        await pilot.pause()
        assert "00[/" in screen_text(app)
