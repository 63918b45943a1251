"""An Input whose every key does not lay out the whole screen (issue 14).

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

from textual.geometry import Size
from textual.widgets import Input


class SteadyInput(Input):
    """Textual's Input, laid out only when its own size may change."""

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if self.is_mounted and not self.styles.auto_dimensions and size != self.virtual_size:
            self.set_reactive(SteadyInput.virtual_size, size)
            self._scroll_update(size)
        super()._watch_value(value)  # the size is set already: no layout from it
