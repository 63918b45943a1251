"""The report preview is worked out in a process of its own (issue 14: nothing blocks typing):
keys are taken while it renders, leaving the screen or quitting ends it, a child that dies says
so in one line, the child ends by itself when the app goes, and what it sends is exactly what
the engine renders in the app's own process."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, LoadingIndicator, Select, Static

from reviewer_tui import bundle
from reviewer_tui.reports import documents, engine, preview_process
from reviewer_tui.reviews import Store
from reviewer_tui.storage import pid_running
from tests.conftest import FIXED_TODAY, SAMPLE, make_app, wait_until

# A template that keeps the child busy until the engine's time limit (3 s of looping) stops it.
SLOW = (
    "# Slow\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
)
STARTED = 60.0  # seconds a child may take to start on a loaded machine (it imports the engine)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's template folder, empty unless a test writes a template into it."""
    folder = tmp_path / "templates"
    folder.mkdir()
    monkeypatch.setattr(engine, "user_template_dir", lambda: folder)
    return folder


def _status(screen: Any) -> str:
    return str(screen.query_one("#report-status", Static).render())


async def _start_slow_preview(app: Any, pilot: Any, rid: int) -> tuple[Any, Any]:
    from reviewer_tui.screens.reports import ReportScreen

    await app.push_screen(ReportScreen(rid))
    screen = app.screen
    screen.query_one("#document", Select).value = "management-review"
    await pilot.pause()
    await pilot.press("f5")
    await wait_until(pilot, lambda: screen._child is not None, what="the child started")
    return screen, screen._child


async def test_keys_are_taken_while_the_child_renders_a_death_is_one_line_and_leaving_ends_it(
    folder: Any, store: Store, templates: Path
) -> None:
    (templates / "management-review.md").write_text(SLOW, encoding="utf-8")
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        start = app.screen
        screen, child = await _start_slow_preview(app, pilot, rid)
        assert child.pid != preview_process.os.getpid()  # another process renders
        assert screen.query_one("#report-busy", LoadingIndicator).display  # visibly working
        field = screen.query_one("#folder", Input)
        field.focus()
        before = field.value
        await pilot.press("end", "z", "z")
        assert field.value == before + "zz"  # taken while the child works
        assert child.poll() is None and pid_running(child.pid)  # it was still rendering

        # a child that dies says so in one plain line, never a traceback
        child.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        await wait_until(pilot, lambda: "stopped unexpectedly" in _status(screen), STARTED)
        shown = _status(screen)
        assert "\n" not in shown.strip() and "Traceback" not in shown
        assert not screen.query_one("#report-busy", LoadingIndicator).display

        # F5 again starts another; leaving the screen ends it, by its pid
        await pilot.press("f5")
        await wait_until(pilot, lambda: screen._child is not None, what="a second child")
        second = screen._child
        assert second is not child and second.poll() is None
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is start, what="back on the screen before")
        await wait_until(pilot, lambda: not pid_running(second.pid), what="the child ended")
        assert second.returncode is not None  # ended and reaped
        await app.workers.wait_for_complete()
        assert not screen.is_attached


async def test_quitting_ends_the_child(folder: Any, store: Store, templates: Path) -> None:
    (templates / "management-review.md").write_text(SLOW, encoding="utf-8")
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        _screen, child = await _start_slow_preview(app, pilot, rid)
        await pilot.press("ctrl+q")
        await pilot.pause()
    child.wait(timeout=STARTED)
    assert not pid_running(child.pid)


def test_the_child_ends_by_itself_when_the_app_goes(
    folder: Any, store: Store, tmp_path: Path
) -> None:
    """However the app ends (SIGTERM, a kill), its end of the child's stdin closes: the child
    then ends at once, even in the middle of a render."""
    (tmp_path / "management-review.md").write_text(SLOW, encoding="utf-8")
    rid = bundle.import_file(store, SAMPLE)
    request = preview_process.request_for(
        folder, rid, "management-review", "final", tmp_path, FIXED_TODAY
    )
    child = preview_process.start(request)
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().startswith(b"version ")  # it is rendering now
        child.stdin.close()  # what the operating system does when the app's process ends
        assert child.wait(timeout=STARTED) == 0
    finally:
        preview_process.stop(child)


async def test_the_preview_is_what_the_engine_renders(
    folder: Any, store: Store, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_tui.screens.reports import ReportScreen

    rid = bundle.import_file(store, SAMPLE)
    version = documents.next_version(store, rid, "management-review")
    expected = documents.render_markdown(
        store, rid, "management-review", version=version, user_dir=templates, today=FIXED_TODAY
    )

    def not_here(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the preview was rendered in the app's process")

    monkeypatch.setattr(documents, "generate_markdown", not_here)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        await app.push_screen(ReportScreen(rid))
        screen = app.screen
        screen.query_one("#document", Select).value = "management-review"
        await pilot.pause()
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Preview ready" in _status(screen), STARTED)
        assert screen.markdown_source == expected  # the same Markdown, to the character
        assert screen.preview_parts == documents.preview_parts(documents.preview_markdown(expected))
        await app.workers.wait_for_complete()


def test_streamed_parts_are_the_parts_of_the_whole() -> None:
    """Lines and parts worked out as the template's pieces come are those of the whole text."""
    text = "".join(
        f"# H{n}\n\n```docx\ntoc\n```\n| a | b{engine.LINE_BREAK}c |\n|---|---|\n"
        f"| {n} | x |\n\nword {'w ' * 400}{engine.LINE_BREAK}end\n\n"
        for n in range(200)
    )
    pieces = [text[n : n + 37] for n in range(0, len(text), 37)]
    lines = documents.preview_lines(documents.split_lines(pieces))
    streamed = list(documents.iter_preview_parts(lines, 500))
    assert streamed == documents.preview_parts(documents.preview_markdown(text), 500)
    assert len(streamed) > 20


def test_the_child_module_imports_no_textual() -> None:
    code = (
        "import sys, reviewer_tui.reports.preview_process as p; "
        "print(any(m.startswith('textual') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
