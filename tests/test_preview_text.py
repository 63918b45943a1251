"""The report preview's view (screens/preview_text.py, issue 14): the Markdown is laid out in a
worker thread, never on the UI thread; the view stays one widget however much it shows (so the
screen's layout, redone on every key, does not grow with the preview); what it shows is the
Markdown's text, user text never read as markup; a next part goes below, a new width lays the
text out again at that width."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from reviewer_tui.reports import documents
from reviewer_tui.screens.preview_text import PreviewText, lay_out
from tests.conftest import wait_until

PART = (
    "# 1. Introduction\n\nThe child's [b]grandfather[/b] said *so*.\n\n"
    "| When | What |\n|---|---|\n| 3 Mar | Home visit |\n\n- first\n- second\n"
)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield PreviewText("*Choose a document.*", id="view")


async def test_laid_out_off_the_ui_thread_as_one_widget() -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one("#view", PreviewText)
        await wait_until(pilot, lambda: view.laid_out, what="the first text laid out")
        assert "Choose a document." in view.text
        view.update(PART)
        await wait_until(pilot, lambda: view.laid_out and "Introduction" in view.text)
        for n in range(30):  # thirty more parts: still one widget, every line laid out
            view.append(PART.replace("Introduction", f"Part {n}"))
        await wait_until(pilot, lambda: view.laid_out, what="the parts laid out")
        assert not view.children
        assert view.layout_threads and threading.main_thread() not in view.layout_threads
        text = view.text
        assert text.index("Introduction") < text.index("Part 0") < text.index("Part 29")
        assert len(view.lines) > 31 * 8
        await wait_until(pilot, lambda: view.size.height == len(view.lines), what="its height")
        await app.workers.wait_for_complete()


async def test_the_text_is_shown_as_typed_at_the_views_width() -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one("#view", PreviewText)
        view.update(PART)
        await wait_until(pilot, lambda: view.laid_out and "Introduction" in view.text)
        text = view.text
        for words in ("[b]grandfather[/b]", "When", "Home visit", "first", "second", "so"):
            assert words in text, words
        assert {line.cell_length for line in view.lines} == {view.content_region.width}
        await pilot.resize_terminal(50, 30)
        await wait_until(
            pilot, lambda: view.laid_out and view.lines[0].cell_length == 50, what="relaid out"
        )
        assert "[b]grandfather[/b]" in view.text
        await app.workers.wait_for_complete()


def test_a_part_of_the_real_preview_lays_out_whole() -> None:
    """A preview part (escaped Markdown from the engine's preview) keeps every word."""
    markdown = "## Interview\n\n" + "word " * 2000 + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    (part, *rest) = documents.preview_parts(markdown)
    lines = lay_out(part, 60)
    assert all(line.cell_length == 60 for line in lines)
    assert " ".join(line.text for line in lines).split().count("word") == part.count("word")
