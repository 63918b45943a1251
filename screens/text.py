"""The one way user text reaches a widget: as data, never as markup (ENGINEERING.md, "User text
is data, never markup").

A plain `str` given to `Static`, `Label`, `notify`, a `Button`, `Checkbox` or `Select` label, a
`DataTable` cell or a border title is parsed as markup, so a title with `[/]` crashes the screen
and `[red]x[/red]` recolours it. `escape()` is no cure: Textual's markup also reads `[B]`, `[ b]`
and `[$accent]` as tags, and it doubles a trailing backslash. So:

- `literal(text)` shows text exactly;
- `markup(template, name=value)` styles the app's own words with markup and puts each value in
  through a `$name` variable, shown exactly;
- `cell(text)` is a `DataTable` cell shown exactly (DataTable parses `str` cells as Rich markup
  and turns `:smile:` into an emoji);
- `NoTerminalControls`, the app's line filter, keeps control characters in text (ESC and the
  like) from ever reaching the terminal, whatever widget shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter
from textual.render import measure
from textual.widgets import _data_table

from reviewer_tui.reviews import TERMINAL_CONTROLS

if TYPE_CHECKING:
    from textual.widgets import DataTable


def literal(text: object) -> Content:
    """`text` exactly as typed (None shows as nothing)."""
    return Content("" if text is None else str(text))


def markup(template: str, **values: object) -> Content:
    """The app's markup `template`, with each `$name` replaced by `values[name]` shown exactly.
    Never put user text in `template` itself."""
    return Content.from_markup(
        template, **{k: "" if v is None else str(v) for k, v in values.items()}
    )


def lines(parts: Iterable[Content | str]) -> Content:
    """Join pieces one per line; a `str` piece is the app's own plain words, shown exactly."""
    return Content("\n").join(literal(p) if isinstance(p, str) else p for p in parts)


def cell(value: object) -> Text:
    """A DataTable cell shown exactly."""
    if isinstance(value, Text):
        return value
    return Text("" if value is None else str(value), end="")


def fill_sized(
    table: DataTable[Text],
    titles: Sequence[str],
    rows: Sequence[Sequence[Text]],
    keys: Sequence[str] | None = None,
) -> None:
    """Empty `table` and fill it with `rows` (each with its key from `keys`, when given) under
    `titles`, each column as wide as its widest title or cell. The widths are given, not left to
    the table: a DataTable measures its cells when next idle, and a row drawn before then stays
    drawn cut to its column's title until the table is restyled ("No delay recorded." showed as
    "No delay"); and an app's `Table` whose widths are all given measures no cell at all."""
    table.clear(columns=True)
    for n, title in enumerate(titles):
        width = max([cell_len(title), *(_widest_line(row[n]) for row in rows)])
        table.add_column(title, width=width)
    for n, row in enumerate(rows):
        table.add_row(*row, key=None if keys is None else keys[n])


def _widest_line(text: Text) -> int:
    return max(cell_len(line) for line in text.plain.split("\n"))


def measure_cell(
    console: Console,
    renderable: RenderableType,
    default: int,
    *,
    container_width: int | None = None,
) -> int:
    """Textual's `measure` (textual.render, 8.2.8), as a DataTable measures each cell it is given
    (every `cell()` is a Text): Rich measures a Text from its characters alone, its widest line,
    so the console's options Textual builds first for every cell (the terminal's size read three
    times) are not built for one (10-20% of opening a screen with a filled table). Rich's lines
    (`splitlines`), so the table sizes its columns as before; `_widest_line` is how a cell is
    drawn (split at newlines only), for widths the app gives."""
    if type(renderable) is Text and container_width is None:
        return max((cell_len(line) for line in renderable.plain.splitlines()), default=0)
    return measure(console, renderable, default, container_width=container_width)


# Installed where DataTable looks it up (its module's own name for textual.render.measure).
_data_table.measure = measure_cell


class NoTerminalControls(LineFilter):
    """Every line the app draws, with the control characters of user text taken out
    (reviews.TERMINAL_CONTROLS): they are stored exactly, but written to a terminal ESC[2J clears
    it and ESC]0;... retitles the window. Textual passes them through in every widget, Input and
    TextArea included. They measure zero cells, so taking them out leaves every column in place."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(TERMINAL_CONTROLS.search(segment.text) for segment in segments):
            return segments
        return [
            segment
            if segment.control
            else Segment(TERMINAL_CONTROLS.sub("", segment.text), segment.style)
            for segment in segments
        ]
