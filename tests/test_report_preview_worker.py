"""The report's preview and writing never block input (issue 14, the report): where no child
process can read the folder (an encrypted one; see test_report_preview_process.py for the
child), the preview is worked out in a worker thread while keys are taken, shows its beginning first, and stops when
the screen is left, with no result landing on the closed screen; the fast paths of the Word
writer (plain escaped text read without markdown-it's inline rules, table rows split by a regex,
escaping by split and join) write exactly what the library's own paths wrote for the sample."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from textual.widgets import Input, LoadingIndicator, Static

from reviewer_tui import bundle
from reviewer_tui.reports import documents, docx_writer, engine, preview_process
from reviewer_tui.reviews import Store
from reviewer_tui.screens.preview_text import PreviewText
from tests.conftest import SAMPLE, make_app, wait_until


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "user_template_dir", lambda: tmp_path / "none")


class HeldRender:
    """documents.generate_markdown held until released (or until the caller cancels), recording
    the thread it ran in and whether it was asked to stop."""

    def __init__(self) -> None:
        self.real = documents.generate_markdown
        self.entered = threading.Event()
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []
        self.saw_cancel = threading.Event()

    def __call__(self, *args: Any, cancelled: Any = None, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        self.entered.set()
        while not self.release.wait(0.01):
            if cancelled is not None and cancelled():
                self.saw_cancel.set()
                raise engine.RenderCancelled()
        return self.real(*args, cancelled=cancelled, **kwargs)


async def test_the_preview_renders_in_a_worker_while_keys_are_taken(
    folder: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_tui.screens.reports import ReportScreen

    held = HeldRender()
    monkeypatch.setattr(documents, "generate_markdown", held)
    # the worker-thread path: an encrypted folder, which no child process can read
    monkeypatch.setattr(preview_process, "can_run_in_child", lambda folder: False)
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        await app.push_screen(ReportScreen(rid))
        screen = app.screen
        folder_input = screen.query_one("#folder", Input)
        folder_input.focus()
        await pilot.press("f5")
        await wait_until(pilot, held.entered.is_set, what="the preview started")
        assert held.threads[0] is not threading.main_thread()  # off the UI thread
        assert screen.query_one("#report-busy", LoadingIndicator).display  # visibly working
        before = folder_input.value
        await pilot.press("end", "z")  # taken at once while the preview is being worked out
        assert folder_input.value == before + "z"
        assert not held.release.is_set()
        held.release.set()
        status = screen.query_one("#report-status", Static)
        await wait_until(pilot, lambda: "Preview ready" in str(status.render()))
        await pilot.pause()
        assert "1. Introduction" in screen.markdown_source or screen.markdown_source
        view = screen.query_one("#preview-view", PreviewText)
        await wait_until(pilot, lambda: view.laid_out, what="the preview laid out")
        assert len(view.lines) > 3 and "Preview of" in view.text
        assert not screen.query_one("#report-busy", LoadingIndicator).display
        await app.workers.wait_for_complete()


async def test_leaving_the_screen_stops_the_preview_and_nothing_lands(
    folder: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_tui.screens.reports import ReportScreen

    held = HeldRender()
    monkeypatch.setattr(documents, "generate_markdown", held)
    # the worker-thread path: an encrypted folder, which no child process can read
    monkeypatch.setattr(preview_process, "can_run_in_child", lambda folder: False)
    landed: list[object] = []
    monkeypatch.setattr(
        ReportScreen, "on_report_screen_preview_ready", lambda self, event: landed.append(event)
    )
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        start = app.screen
        await app.push_screen(ReportScreen(rid))
        screen = app.screen
        await pilot.press("f5")
        await wait_until(pilot, held.entered.is_set, what="the preview started")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is start, what="back on the screen before")
        await wait_until(pilot, held.saw_cancel.is_set, what="the render was asked to stop")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert landed == []
        assert not screen.is_attached


def test_a_cancelled_render_stops_inside_the_template(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    with pytest.raises(engine.RenderCancelled):
        documents.render_markdown(store, rid, "management-review", cancelled=lambda: True)


def _document_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("word/document.xml")


def test_the_fast_paths_write_what_markdown_it_wrote(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    markdown = documents.render_markdown(store, rid, "management-review", version="0.1")
    page = docx_writer.Page(title="Management Review Report", draft_version="0.1")
    fast, fast_removed = docx_writer.markdown_to_docx(markdown, page)
    monkeypatch.setattr(
        docx_writer, "parser", lambda: MarkdownIt("commonmark", {"html": False}).enable("table")
    )
    stock, stock_removed = docx_writer.markdown_to_docx(markdown, page)
    dates = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # the properties' time of writing
    assert _document_xml(fast) == _document_xml(stock)
    assert dates.sub(b"", fast) != b"" and fast_removed == stock_removed


def test_escaping_is_the_same_for_every_character() -> None:
    text = "".join(chr(n) for n in range(0x2400)) + "a\\b*c\\\\|d"
    old = re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text).replace("\t", engine.TAB)
    assert engine.escape_markdown(text).replace("\n", "").replace(engine.LINE_BREAK, "") == (
        re.sub(r"\r\n|\r|\n", "", old)
    )


def test_the_preview_comes_in_whole_parts() -> None:
    rows = "".join(f"| {n} | entry {n} |\n" for n in range(3000))
    text = "# Title\n\nFirst.\n\n| When | What |\n|---|---|\n" + rows + "\n" + "word " * 30000
    parts = documents.preview_parts(text, size=2000)
    assert len(parts) > 10 and all(len(p) < 4200 for p in parts)
    assert parts[0].startswith("# Title")
    for part in parts[1:]:  # a table cut between parts keeps its header
        if part.startswith("|"):
            assert part.startswith("| When | What |\n|---|---|\n")
    assert sum(p.count("| entry ") for p in parts) == 3000
    assert sum(p.count("word") for p in parts) == 30000
