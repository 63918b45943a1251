"""The app's Input and Select, lighter than Textual's (issue 14): an Input whose every key does
not lay out the whole screen, and a Select built without its drop-down list.

SteadyInput:

Textual 8.2.8's Input sets `virtual_size` (a layout reactive) to the width of its text on every
change of its value, so each key typed into any Input laid out the whole screen and redrew every
widget on it: on the report screen about 20 ms of CPU a key, and a key typed while the preview
worked waited for the layout of the key before it. An Input of a fixed size (Textual's own CSS:
width 100%, height 3) needs no layout for that: only its own horizontal scrolling depends on the
text's width, so the size is set without a layout and the scrolling updated as a layout would.
An Input sized by its content (width or height auto) still lays out, as Textual does, and so does
the moment the text first outgrows the field (Textual's horizontal scrollbar, zero cells high,
appears: a layout reactive).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Input, Select
from textual.widgets._select import SelectCurrent, SelectOverlay, SelectType


class SteadyInput(Input):
    """Textual's Input, laid out only when its own size may change."""

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if self.is_mounted and not self.styles.auto_dimensions and size != self.virtual_size:
            self.set_reactive(SteadyInput.virtual_size, size)
            self._scroll_update(size)
        super()._watch_value(value)  # the size is set already: no layout from it


class OneLineCurrent(SelectCurrent):
    """A Select's current choice drawn as one line by itself: Textual's SelectCurrent is a row
    of three Statics (the label, two arrows), three widgets to build and style a Select. Where
    its size is pinned (the chronology's filters), a new label repaints it instead of laying the
    whole screen out again (10-25 ms a filter change)."""

    DEFAULT_CSS = """
    OneLineCurrent { color: $foreground 50%; }
    OneLineCurrent.-has-value { color: $foreground; }
    """

    def compose(self) -> ComposeResult:
        yield from ()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1  # its one line (a Horizontal, it would be as high as its children: none)

    def update(self, label: Any) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        self.refresh()

    def render(self) -> Content:
        label = self.placeholder if self.label is Select.NULL else self.label
        text = label if isinstance(label, Content) else Content.from_markup(str(label))
        room = max(0, self.content_size.width - 2)  # the arrow and the space before it
        text = text.truncate(room, pad=True)
        return text + Content.styled(" ▼", "$foreground 50%")  # as Textual's arrow


class LeanSelect(Select[SelectType]):
    """The app's Select: its drop-down list is built the first time it is opened, not with the
    screen (the chronology's three filters built whole cost about 120 ms of its opening: each
    its option list, styled and laid out, for a list most openings never show), and its current
    choice is one widget (OneLineCurrent). Otherwise Textual's Select: the same keys, value,
    Changed."""

    def compose(self) -> ComposeResult:
        yield OneLineCurrent(self.prompt)

    def _ensure_overlay(self) -> bool:
        """Add the list if it is not built yet: True when it was just added (it is mounted on
        the next turn of the event loop)."""
        if self.query(SelectOverlay):
            return False
        overlay = SelectOverlay(type_to_search=self._type_to_search)
        overlay.compact = self.compact
        self.mount(overlay)
        super()._setup_options_renderables()
        return True

    def _setup_options_renderables(self) -> None:
        if self.query(SelectOverlay):  # else built with the list, when it is first opened
            super()._setup_options_renderables()

    def _watch_value(self, value: Any) -> None:
        """Select._watch_value without its list when the list is not built yet (the list's
        highlight is set from the value when it opens)."""
        self._value = value
        currents = self.query(SelectCurrent)
        if not currents:
            return
        current = currents.first()
        if value == self.NULL:
            current.update(self.NULL)
        else:
            for index, (prompt, option) in enumerate(self._options):
                if option == value:
                    for overlay in self.query(SelectOverlay):
                        overlay.highlighted = index
                    current.update(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_expanded(self, expanded: bool) -> None:
        if expanded and self._ensure_overlay():
            self.call_after_refresh(self._show_built_list)  # once the new list is mounted
            return
        super()._watch_expanded(expanded)

    def _show_built_list(self) -> None:
        if self.expanded:
            super()._watch_expanded(True)
