"""The app's DataTable (issue 14): Textual's, with less work. Every table in the app is a
`Table` (RecordsTable and ListTable are kinds of it).

Textual 8.2.8 measures every cell of every new row, and draws each cell through Rich's console:
the cell wrapped in a Padding wrapped in a Styled, rendered into lines, then cut and padded to
its column (the review list's first screen: 170 cells at about 55 us each). Each line it draws
also works out the table's own style and two component styles again from every ancestor's CSS.
Here:

- where every column is given its width (`fill_sized`, the review list), new rows are not
  measured, only the table's size worked out;
- a cell whose text is one line, without spans or tabs, that fits its column (nearly every cell
  the app shows: `cell()` of a short value) is put together from its segments directly, the
  very segments Rich's path gives (a property test compares them for any text, style, width and
  height); any other cell takes Textual's path;
- the table's own style and its component styles are worked out once for each drawing of the
  table (`render_lines`): nothing can restyle the table while it draws.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._types import SegmentLines
from textual.css.styles import RenderStyles
from textual.geometry import Region, Size
from textual.renderables.styled import Styled
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import CellType, RowKey

NULL = Style.null()


class _StylesThisDrawing:
    """A component's styles with its Rich style worked out once (Textual works it out again from
    every ancestor each time it is asked)."""

    def __init__(self, styles: RenderStyles) -> None:
        self._styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class Table(DataTable[CellType]):
    """Textual's DataTable: the same keys, cursor, messages and look, drawn with less work."""

    # While the table draws: its own Rich style (each line's base) and its components' styles,
    # each worked out once; None otherwise.
    _styles_this_drawing: dict[tuple[str, ...], Any] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles_this_drawing = {}
        try:
            return super().render_lines(crop)
        finally:
            self._styles_this_drawing = None

    @property
    def rich_style(self) -> Style:
        kept = self._styles_this_drawing
        if kept is None:
            return super().rich_style
        if () not in kept:
            kept[()] = super().rich_style
        style: Style = kept[()]
        return style

    def get_component_styles(self, *names: str) -> RenderStyles:
        kept = self._styles_this_drawing
        if kept is None:
            return super().get_component_styles(*names)
        if names not in kept:
            kept[names] = _StylesThisDrawing(super().get_component_styles(*names))
        styles: RenderStyles = kept[names]
        return styles

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Textual measures every cell of every new row, to size the columns that size
        themselves (a tenth of the start-up's own work on the review list). Where every column
        is given its width and no new row needs its height worked out, only the table's size
        is."""
        keys = list(new_rows)
        rows = [self.rows[key] for key in keys if key in self.rows]
        if any(column.auto_width for column in self.columns.values()) or any(
            row.label is not None or row.auto_height for row in rows
        ):
            super()._update_dimensions(keys)
            return
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            sum(column.get_render_width(self) for column in self.columns.values())
            + self._row_label_column_width,
            self._total_row_height + header_height,
        )

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """Textual's `DataTable._render_cell` (8.2.8), with a one-line cell drawn by
        `one_line_cell` instead of Rich's console."""
        is_header_cell = row_index == -1
        is_row_label_cell = column_index == -1
        is_fixed_style_cell = (
            not is_header_cell
            and not is_row_label_cell
            and (row_index < self.fixed_rows or column_index < self.fixed_columns)
        )
        row_key = self._header_row_key if is_header_cell else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell_cache_key: Any = (  # Textual's CellCacheKey (its row key may be None)
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(cell_cache_key)
        if lines is not None:
            return lines
        base_style += Style.from_meta({"row": row_index, "column": column_index})
        row_label, row_cells = self._get_row_renderables(row_index)
        if is_row_label_cell:
            cell = row_label if row_label is not None else ""
        else:
            cell = row_cells[column_index]
        component_style, post_style = self._get_styles_to_render_cell(
            is_header_cell,
            is_row_label_cell,
            is_fixed_style_cell,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        measuring = False  # an auto-height row not measured yet: drawn whole, to be measured
        if is_header_cell:
            row_height = self.header_height
        else:
            row = self.rows[row_key]  # type: ignore[index]  # a body cell: its row has a key
            measuring = row.auto_height and row.height == 0
            row_height = 0 if measuring else row.height
        console = self.app.console
        lines = (
            one_line_cell(
                console,
                cell,
                width,
                self.cell_padding,
                row_height,
                base_style + component_style,
                post_style,
            )
            if row_height and isinstance(cell, Text)
            else None
        )
        if lines is None:
            options = self.app.console_options
            if measuring:
                options = options.update_width(width)
            else:
                options = options.update_dimensions(width, row_height)
            if row_height == 1:
                options = options.update(no_wrap=True)
            lines = console.render_lines(
                Styled(
                    Padding(cell, (0, self.cell_padding)),
                    pre_style=base_style + component_style,
                    post_style=post_style,
                ),
                options,
            )
        self._cell_render_cache[cell_cache_key] = lines
        return lines


def one_line_cell(
    console: Any,
    text: Text,
    width: int,
    padding: int,
    height: int,
    pre_style: Style,
    post_style: Style,
) -> SegmentLines | None:
    """The lines of segments Rich draws for a one-line `text` as a cell `width` cells wide
    (`padding` spaces each side) of a row `height` lines high, styled `pre_style` below and
    `post_style` above its own style; None when the text is not one simple line that fits
    (Rich's path draws it).

    Rich's path: Text.__rich_console__ wraps the text into lines (a text that fits stays one
    line, unchanged when it has no spans, tabs or justification), joins them (the text's own
    style becomes a span over it), renders the segments, pads the line with unstyled spaces and
    adds unstyled blank lines to the row's height; Padding adds unstyled spaces each side of
    every line; Styled then styles every segment."""
    plain = text.plain
    room = width - 2 * padding
    if (
        room < 1
        or text._spans
        or text.justify not in (None, "default")
        or "\n" in plain
        or "\t" in plain
        or len(plain) > room  # a text that wraps has its spaces past `room` characters trimmed
    ):
        return None
    cells = cell_len(plain)
    if cells > room:
        return None
    style = console.get_style(text.style, default=NULL) if text.style else None
    if plain or style is None:
        line = [Segment(plain, style)]
    else:
        line = []  # a styled empty text renders no segment at all
    if cells < room:
        line.append(Segment(" " * (room - cells), NULL))
    lines = [line, *([Segment(" " * room, NULL)] for _ in range(height - 1))]
    if padding:
        side = Segment(" " * padding, NULL)
        lines = [[side, *line, side] for line in lines]
    return [list(Segment.apply_style(line, pre_style, post_style)) for line in lines]
