"""The report preview's text, laid out off the UI thread (issue 14: nothing blocks typing).

Textual's Markdown widget builds a widget per block and lays every one of them out on the UI
thread, and the whole screen is laid out again on each change of anything on it: with a part of
a large report shown, each key typed on the report screen waited for that (hundreds of
milliseconds on a busy machine). Here the Markdown is turned into lines of cells by Rich in a
worker thread, at the view's width, and the view is one widget whose height is its number of
lines: laying it out costs nothing whatever it holds, and only the lines on screen are drawn.
A new width (the terminal resized) lays the text out again, also in a worker; meanwhile the old
lines stay on screen, cut or padded to the new width.

What is shown is the Markdown's text (Rich's Markdown: headings, lists, tables, emphasis), never
markup: the preview Markdown is escaped by the report engine, and Rich's Markdown reads no
console markup.
"""

from __future__ import annotations

import io
import threading

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

LAYOUT_GROUP = "preview-layout"


def lay_out(markdown: str, width: int) -> list[Strip]:
    """`markdown` as lines of cells `width` wide, as Rich draws Markdown (any thread: a console
    of its own, writing nowhere)."""
    width = max(1, width)
    console = Console(
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    options = console.options.update_width(width)
    lines = console.render_lines(RichMarkdown(markdown), options, pad=True)
    return [Strip(Segment.simplify(line), width) for line in lines]


class PreviewText(Widget):
    """Markdown shown as lines laid out in a worker thread; `append` adds a part below."""

    DEFAULT_CSS = """
    PreviewText { height: auto; width: 1fr; }
    """

    class Laid(Message):
        """Lines worked out in the worker: `start` is the part the first of them belongs to."""

        def __init__(self, run: int, width: int, start: int, lines: list[list[Strip]]) -> None:
            super().__init__()
            self.run = run
            self.width = width
            self.start = start
            self.lines = lines

    def __init__(self, markdown: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.parts: list[str] = [markdown] if markdown else []  # the Markdown shown, in parts
        self._lines: list[list[Strip]] = []  # each part's lines, as laid out at `_laid_width`
        self._flat: list[Strip] = []  # the same lines, one list
        self._laid_width = 0
        self._run = 0  # the layout wanted now; one that finishes late for another is dropped
        self.layout_threads: list[threading.Thread] = []  # where layouts ran (tests look)

    # --- what is shown ------------------------------------------------------------------------
    def update(self, markdown: str) -> None:
        """Show `markdown` instead of what is shown."""
        self.parts = [markdown]
        self._lines = []
        self._flat = []
        self._relayout()

    def append(self, markdown: str) -> None:
        """Add `markdown` below what is shown (the next part of a long preview): only the new
        part is laid out."""
        self.parts.append(markdown)
        self._relayout()

    @property
    def lines(self) -> list[Strip]:
        """Every line laid out so far, in order."""
        return self._flat

    @property
    def text(self) -> str:
        """What the view shows, as plain text (one line per line, right spaces removed)."""
        return "\n".join(line.text.rstrip() for line in self._flat)

    @property
    def laid_out(self) -> bool:
        """Whether every part is laid out at the view's width."""
        return len(self._lines) == len(self.parts) and self._laid_width == self._width()

    # --- laying out ---------------------------------------------------------------------------
    def _width(self) -> int:
        return max(1, self.content_region.width or self.size.width)

    def _relayout(self) -> None:
        """Lay out in a worker what is not laid out at the current width: the parts after
        those already laid out at it, or every part at a new width. Each change starts a new
        run; only the newest run's lines are taken, and it covers every part there is."""
        self._run += 1
        if not (self.is_mounted and self.size.width and self.parts):
            return
        width = self._width()
        start = len(self._lines) if width == self._laid_width else 0
        self._lay_out_in_worker(self._run, width, start, list(self.parts[start:]))

    def on_mount(self) -> None:
        self._relayout()

    def on_unmount(self) -> None:
        self._run += 1  # a layout still running stops at its next part; nothing lands

    def on_resize(self) -> None:
        if self._width() != self._laid_width:
            self._relayout()

    @work(thread=True, exit_on_error=False, group=LAYOUT_GROUP)
    def _lay_out_in_worker(self, run: int, width: int, start: int, parts: list[str]) -> None:
        self.layout_threads.append(threading.current_thread())
        laid = []
        for part in parts:
            if run != self._run:
                return  # a newer layout is wanted: this one is not
            laid.append(lay_out(part, width))
        self.post_message(self.Laid(run, width, start, laid))

    def on_preview_text_laid(self, event: Laid) -> None:
        event.stop()
        if event.run != self._run or event.start > len(self._lines):
            return  # the text or the width changed since: a newer layout is on its way
        self._lines[event.start :] = event.lines
        self._flat = [line for part in self._lines for line in part]
        self._laid_width = event.width
        self.refresh(layout=True)

    # --- drawing ------------------------------------------------------------------------------
    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._flat))

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width or self.size.width
        if y >= len(self._flat):
            return Strip.blank(width, self.rich_style)
        return self._flat[y].crop_extend(0, width, self.rich_style).apply_style(self.rich_style)
