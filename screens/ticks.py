"""Tick boxes that read without colour and never cut their words.

Textual draws a ticked and an unticked box with the same characters (`▐X▌`), told apart only by
colour: under NO_COLOR, or to a person who does not see the difference, every box looks ticked.
Its boxes also keep their label on one line and cut it with "…", so a long label (one of the
meeting's next steps, a limiting factor, a piece of evidence) cannot be read.

Here a tick is `[X]` and an empty box `[ ]`, and a long label wraps under itself:

    [X] 1. A written review of the case: the worries identified, what went
        well and what did not, ...

Use `TickBox` wherever a `Checkbox` would go and `TickList` for a `SelectionList`; both are
those widgets (queries, messages and CSS type selectors for them still match).
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList

from reviewer_tui.screens.base import made_compact

TICKED = "[X]"
UNTICKED = "[ ]"
MARK_WIDTH = len(TICKED) + 1  # the box and the space after it: where a wrapped label continues


def mark(ticked: bool) -> str:
    """The characters of a box: `[X]` ticked, `[ ]` not."""
    return TICKED if ticked else UNTICKED


def _wrapped(label: Content, width: int) -> list[Content]:
    """The label's lines at `width` columns (at least one line, words kept whole where they fit)."""
    return label.wrap(max(width, 1)) or [Content("")]


class TickBox(Checkbox):
    """A Checkbox drawn `[X]` / `[ ]`, whose label wraps instead of being cut."""

    DEFAULT_CSS = """
    TickBox { height: auto; max-width: 100%; text-wrap: wrap; text-overflow: fold; }
    """

    def __init__(
        self, label: Any = "", value: bool = False, *args: Any, compact: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(label, False, *args, **kwargs)
        # Ticked, and compact, as Textual makes them, without its styling passes: it styles the
        # box as each class goes on, before the box is even mounted, where the mount styles it
        # anyway (a large review's notes screen restyled its 17 boxes so).
        if value:
            self.set_reactive(Checkbox.value, True)
            self.add_class("-on", update=False)
        if compact:
            made_compact(self)

    def _make_label(self, label: Any) -> Content:
        """All of the label, not only its first line."""
        return Content.from_text(label).rstrip()

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("[", (("X" if self.value else " "), style), "]")

    def _label_width(self, width: int) -> int:
        return max(width - MARK_WIDTH - 1, 1)

    def render(self) -> Content:
        label_style = self.get_visual_style("toggle--label")
        lines = _wrapped(self._label, self._label_width(self.content_region.width))
        rows = []
        for index, line in enumerate(lines):
            lead = Content.assemble(self._button, " ") if index == 0 else Content(" " * MARK_WIDTH)
            rows.append(lead + line.pad_right(1).stylize_before(label_style))
        return Content("\n").join(rows)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        longest = max((len(line) for line in self._label.plain.split("\n")), default=0)
        return MARK_WIDTH + longest + 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(_wrapped(self._label, self._label_width(width)))


class TickList(SelectionList[Any]):
    """A SelectionList drawn `[X]` / `[ ]` before each choice, whose choices wrap under
    themselves instead of being cut."""

    DEFAULT_CSS = """
    TickList { text-wrap: wrap; text-overflow: fold; max-height: 60vh; }
    """

    def _get_left_gutter_width(self) -> int:
        return MARK_WIDTH

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        try:
            index, line_offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except IndexError:
            return line
        style = next(iter(line)).style or self.rich_style
        if line_offset:
            return Strip([Segment(" " * MARK_WIDTH, style), *line])
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component)
        return Strip(
            [
                Segment("[", style),
                Segment("X" if selection.value in self._selected else " ", button),
                Segment("] ", style),
                *line,
            ]
        )
