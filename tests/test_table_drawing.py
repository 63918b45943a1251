"""The app's tables (screens/table.py) draw exactly what Textual's DataTable draws: a one-line
cell put together from its segments equals Rich's path for any text, style and width, and a
whole table, header, cursor, stripes, tall rows and cut cells included, paints the same lines."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.renderables.styled import Styled
from textual.widgets import DataTable

from reviewer_tui.screens.table import Table, one_line_cell
from reviewer_tui.screens.text import cell

CONSOLE = Console(width=120, height=40, color_system="truecolor", legacy_windows=False)
PIECES = [
    *"abc defgh  ijk",
    " ",
    "é",
    "漢",
    "字",
    "😀",
    "—",
    "⚠",
    "\u200b",
    "\u0301",
    "\t",
    "\n",
    "[",
]
STYLES = [None, "", "bold", "red on blue", Style(), Style(underline=True), "not a style name"]
LAYERS = [
    Style(),
    Style(color="#e0e0e0", bgcolor="#1e1e1e"),
    Style(bold=True) + Style.from_meta({"row": 3, "column": 1}),
]


def _rich_cell(text: Text, width: int, padding: int, height: int, pre: Style, post: Style) -> list:
    """What Textual's DataTable draws for a cell of a row `height` lines high (_render_cell,
    8.2.8)."""
    options = CONSOLE.options.update_dimensions(width, height)
    if height == 1:
        options = options.update(no_wrap=True)
    styled = Styled(Padding(text, (0, padding)), pre_style=pre, post_style=post)
    return CONSOLE.render_lines(styled, options)


@st.composite
def texts(draw: st.DrawFn) -> Text:
    plain = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=30)))
    if draw(st.booleans()):
        plain += draw(st.text(max_size=8))  # any other character
    text = Text(
        plain,
        style=draw(st.sampled_from(STYLES)) or "",
        justify=draw(st.sampled_from([None, "default", "left", "right"])),
        end=draw(st.sampled_from(["", "\n"])),
        no_wrap=draw(st.sampled_from([None, True, False])),  # False: Rich wraps, then trims
    )
    if plain and draw(st.booleans()):
        start = draw(st.integers(0, len(plain) - 1))
        text.stylize("italic", start, draw(st.integers(start, len(plain))))
    return text


@settings(max_examples=600, deadline=None)
@given(
    texts(),
    st.integers(0, 40),
    st.integers(0, 2),
    st.integers(1, 3),
    st.sampled_from(LAYERS),
    st.sampled_from(LAYERS),
)
# A text that wraps has its trailing spaces past `room` characters trimmed: two accents make
# four characters of two cells
@example(Text("e\u0301\u0301 ", style="red on blue", no_wrap=False), 4, 1, 1, LAYERS[0], LAYERS[0])
def test_a_one_line_cell_is_drawn_as_rich_draws_it(
    text: Text, width: int, padding: int, height: int, pre: Style, post: Style
) -> None:
    drawn = one_line_cell(CONSOLE, text, width, padding, height, pre, post)
    if drawn is not None:
        expected = _rich_cell(text, width, padding, height, pre, post)
        assert drawn == expected, (text, width, padding, height)


def test_the_cells_the_app_shows_take_the_short_way() -> None:
    """cell() of a short value fits its column: drawn from its segments, not through Rich."""
    for value in ("Learning review", "", "漢字 😀", "[/]"):
        assert one_line_cell(CONSOLE, cell(value), 24, 1, 1, LAYERS[1], Style()) is not None
        assert one_line_cell(CONSOLE, cell(value), 24, 1, 2, LAYERS[1], Style()) is not None
    assert one_line_cell(CONSOLE, cell("two\nlines"), 24, 1, 2, LAYERS[1], Style()) is None
    assert one_line_cell(CONSOLE, cell("x" * 30), 24, 1, 1, LAYERS[1], Style()) is None


class Tables(App[None]):
    """One table of the given class, filled with every kind of cell and row."""

    def __init__(self, table_class: type[DataTable[Text]]) -> None:
        super().__init__()
        self.table_class = table_class

    def compose(self) -> ComposeResult:
        yield self.table_class(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Title", width=12)
        table.add_column(Text("Stage", style="bold"))
        table.add_column("Note")
        for n in range(14):
            table.add_row(
                cell(f"Review {n} [/] é"),
                Text(f"stage {n}", style="red" if n % 3 else ""),
                cell("a long note that is cut to its column " * (n % 2)),
            )
        table.add_row(cell("tall"), cell("two\nlines"), cell("x"), height=2)
        table.add_row(cell(""), Text("span", spans=[]), cell("\t"), height=None)
        table.move_cursor(row=2)


async def _painted(table_class: type[DataTable[Text]]) -> list[list]:
    app = Tables(table_class)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        lines = [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))]
        await pilot.press("down")  # the cursor moves: drawn again, from the cache and anew
        await pilot.pause()
        lines += [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))]
        app.theme = "textual-light"  # restyled: nothing kept from an earlier drawing
        await pilot.pause()
        lines += [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))]
    return lines


async def test_a_table_paints_the_same_lines_as_textuals() -> None:
    ours, textuals = await _painted(Table), await _painted(DataTable)
    assert (
        len(ours) == 3 * 19
    )  # the header and every row (the table is as high as they are), thrice
    assert ours == textuals


def test_every_table_in_the_app_is_a_table() -> None:
    """One way to show a table: no screen builds or subclasses Textual's DataTable itself."""
    import ast
    from pathlib import Path

    screens = Path(__file__).resolve().parents[1] / "screens"
    found = []
    for path in sorted(set(screens.glob("*.py")) - {screens / "table.py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = []
            if isinstance(node, ast.Call):
                named = [node.func]
            elif isinstance(node, ast.ClassDef):
                named = [b.value if isinstance(b, ast.Subscript) else b for b in node.bases]
            found += [
                f"{path.name}:{node.lineno}"
                for name in named
                if isinstance(name, ast.Name) and name.id == "DataTable"
            ]
    assert found == []
