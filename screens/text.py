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
  and turns `:smile:` into an emoji).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content


def literal(text: object) -> Content:
    """`text` exactly as typed (None shows as nothing)."""
    return Content("" if text is None else str(text))


def markup(template: str, **values: object) -> Content:
    """The app's markup `template`, with each `$name` replaced by `values[name]` shown exactly.
    Never put user text in `template` itself."""
    return Content.from_markup(template, **{k: "" if v is None else str(v) for k, v in values.items()})


def lines(parts: Iterable[Content | str]) -> Content:
    """Join pieces one per line; a `str` piece is the app's own plain words, shown exactly."""
    return Content("\n").join(literal(p) if isinstance(p, str) else p for p in parts)


def cell(value: object) -> Text:
    """A DataTable cell shown exactly."""
    if isinstance(value, Text):
        return value
    return Text("" if value is None else str(value), end="")
