"""A chronology table that draws only the lines on screen (Textual's line API), so sorting,
filtering and adding with 10,000 entries cost a few milliseconds: DataTable measures every cell
and its clear-and-refill of 1,000 rows took about 294 ms here (ENGINEERING.md).

It scrolls by entries, not by lines: the scroll offset is the index of the top entry. In the
wide layout an entry is as tall as its longest wrapped cell, and only the entries on screen (and
the last screenful, for where scrolling ends) are wrapped, so nothing costs more with a longer
chronology."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from reviewer_tui.chronology import FEW, EntryPages, EntryView
from reviewer_tui.screens.deleting import DELETE_KEYS, UNDO_KEY

WHEN_WIDTH = 20
SOURCE_WIDTH = 7
MARK_WIDTH = 2
ISSUES_WIDTH = 18


def columns(width: int, when: int = WHEN_WIDTH) -> tuple[int, int, int, int, int]:
    """(when, marks, source, event, issues) widths for a table `width` cells wide whose longest
    date takes `when` cells."""
    issues = ISSUES_WIDTH if width >= 90 else 0
    event = max(8, width - when - MARK_WIDTH - SOURCE_WIDTH - issues - 4)
    return when, MARK_WIDTH, SOURCE_WIDTH, event, issues


WIDE = 120  # from this many terminal columns all six columns show, each cell wrapping


def wide_columns(width: int, when: int = WHEN_WIDTH) -> tuple[int, ...]:
    """(when, marks, source, event, participation, outcome, issues) widths for a wide table:
    the event takes two fifths of what is left, the other three a fifth each."""
    rest = max(width - when - MARK_WIDTH - SOURCE_WIDTH - 6, 20)
    each = max(rest // 5, len("Participation"))
    return when, MARK_WIDTH, SOURCE_WIDTH, rest - 3 * each, each, each, each


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, words kept whole where they fit (a word longer
    than a line is cut into pieces). A plain greedy loop: textwrap took ten times as long, and a
    wide chronology wraps four cells of every entry."""
    width = max(width, 1)
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cell_len(word) > width:  # longer than a line: fill this one, go on with the rest
            room = width - (cell_len(line) + 1 if line else 0)
            if room <= 0:
                lines.append(line)
                line, room = "", width
            head = set_cell_size(word, room).rstrip() or word[:1]
            line = f"{line} {head}" if line else head
            word = word[len(head) :]
            lines.append(line)
            line = ""
        if not word:
            continue
        if not line:
            line = word
        elif cell_len(line) + 1 + cell_len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _fit(text: str, width: int) -> str:
    flat = " ".join(text.split())
    if cell_len(flat) > width and width > 1:
        return set_cell_size(flat, width - 1) + "…"
    return set_cell_size(flat, width)


def _shown_when(view: EntryView, date_marks: Set[int]) -> str:
    """The date as the table shows it: marked ⚠ when it is a date to check (read_model)."""
    return ("⚠ " if view.id in date_marks else "") + view.when


def set_virtual_height(view: ScrollView, height: int) -> None:
    """Change how many lines `view` scrolls over without a layout of the whole screen.

    Setting `virtual_size` normally reflows the screen (~90 ms with the filters and footer here);
    a line-API view with its scrollbar always shown (overflow-y: scroll) only needs its
    scrollbar told and itself repainted."""
    size = Size(0, height)
    if view.virtual_size != size:
        view.set_reactive(Widget.virtual_size, size)
        view._scroll_update(size)
    max_y = max(0, height - view.scrollable_content_region.height)
    if view.scroll_offset.y > max_y:
        view.scroll_to(y=max_y, animate=False, immediate=True)
    view.refresh()


def header_text(width: int, when_width: int = WHEN_WIDTH, wide: bool = False) -> str:
    if wide:
        names = ("Date & time", "", "Source", "Event", "Participation", "Outcome", "Issues")
        return " ".join(
            _fit(name, w) for name, w in zip(names, wide_columns(width, when_width), strict=True)
        )
    when, mark, source, event, issues = columns(width, when_width)
    text = (
        _fit("Date & time", when)
        + " "
        + _fit("", mark)
        + " "
        + _fit("Source", source)
        + " "
        + _fit("Event", event)
    )
    if issues:
        text += " " + _fit("Issues", issues)
    return text


class BarAlwaysShown(ScrollView):
    """A line-API view with its vertical scroll bar always shown (overflow-y: scroll), from the
    start: Textual shows it as the view mounts, which asks for a layout of the whole screen
    after the screen's first (a second layout, and a frame of everything it moved)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(Widget.show_vertical_scrollbar, True)


class ChronologyTable(BarAlwaysShown, can_focus=True):
    """The entries in date order, one line each, with a cursor. Marks: ★ Significant Practice
    Event, h learned later (hindsight); a source the register does not know ends in '?'."""

    DEFAULT_CSS = """
    ChronologyTable { height: 1fr; overflow-x: hidden; overflow-y: scroll; background: $surface; }
    ChronologyTable > .chronology-table--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    ChronologyTable:blur > .chronology-table--cursor { background: $block-cursor-blurred-background;
        color: $foreground; text-style: none; }
    ChronologyTable > .chronology-table--unknown { color: $warning; text-style: bold; }
    ChronologyTable > .chronology-table--spe { color: $accent; text-style: bold; }
    ChronologyTable > .chronology-table--empty { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "chronology-table--cursor",
        "chronology-table--unknown",
        "chronology-table--spe",
        "chronology-table--empty",
    }
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="chronology-up"),
        Binding("down", "cursor(1)", "Down", show=False, id="chronology-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="chronology-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="chronology-page-down"),
        Binding("home", "jump(0)", "First", show=False, id="chronology-first"),
        Binding("end", "jump(-1)", "Last", show=False, id="chronology-last"),
        Binding("enter", "choose", "Edit", show=False, id="chronology-edit"),
        # Delete, ctrl+d and ctrl+z belong to the table, not the screen, as on every list (see
        # screens/deleting.py): in a text field they delete a character and undo typing.
        Binding(DELETE_KEYS, "screen.delete", "Delete entry", id="chronology-delete-key"),
        Binding(UNDO_KEY, "screen.undo", "Undo delete", id="chronology-undo-key"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index into the visible rows of the highlighted entry."""

    class Highlighted(Message):
        def __init__(self, entry_id: int | None) -> None:
            self.entry_id = entry_id
            super().__init__()

    class Chosen(Message):
        def __init__(self, entry_id: int) -> None:
            self.entry_id = entry_id
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[EntryView] = ()  # EntryPages once set_rows is called
        # Set once per paint by render_lines, for the lines it draws: the styles (each lookup
        # walks the DOM), the width (a region computed afresh on each read) and which row and
        # which of its lines each line on screen shows (found by walking from the top row).
        self._paint_styles: dict[str, Style] | None = None
        self._paint_width: int | None = None
        self._paint_lines: list[tuple[int, int]] | None = None
        self.known_codes: frozenset[str] | None = None  # None until the register is read
        self.date_marks: Set[int] = frozenset()  # entries whose date is to check: ⚠
        self.when_width = 11
        self.wide = False  # all six columns, each row as tall as its longest cell (WIDE)
        self._wrapped_for = (-1, -1)  # (table width, date width) the cells were wrapped at
        self._wrapped: dict[tuple[str, ...], list[list[str]]] = {}  # cells' texts -> lines
        # Wide, with the end of the entries out of reach: the last rows are not read and
        # wrapped yet, and the table scrolls as if the last one alone filled the screen.
        self._end_pending = False
        self.empty_message = (
            "No entries yet: press n to add some, or i to import an agency's chronology."
        )

    # --- data ---------------------------------------------------------------------------------
    def set_rows(self, rows: EntryPages, keep: int | None = None, when_width: int = 11) -> None:
        """Show `rows` (sorted and filtered, read a page at a time as they are drawn), keeping
        the cursor on entry `keep` if it is still shown; the date column `when_width` cells
        wide, as wide as the longest date shown ('c. 15 Feb 2025 21:55' is 20). Reads the
        count, where `keep` is and the pages on screen, whatever the number of entries."""
        self.rows = rows
        self.when_width = when_width
        # Where `keep` is, before the count: a search counts its entries in the same pass.
        found = rows.position_of(keep) if keep is not None else None
        self._lay_out()
        index = 0
        if keep is not None:
            index = min(self.cursor, len(rows) - 1) if found is None else found
        self.cursor = max(0, min(index, len(rows) - 1))

    def set_wide(self, wide: bool) -> None:
        if wide != self.wide:
            self.wide = wide
            self._lay_out()

    def _lay_out(self) -> None:
        """How far the table scrolls: one line an entry when narrow; when wide, to where the
        last entries fill the screen (only those are wrapped here)."""
        width = self.scrollable_content_region.width
        count = len(self.rows)
        if not self.wide or width <= 0:
            self._end_pending = False
            set_virtual_height(self, count)
            return
        height = max(1, self.scrollable_content_region.height)
        if count > FEW and int(self.scroll_offset.y) + 2 * height < count:
            # The end more than a screen below: how many of the last rows fill the screen is
            # worked out when it comes near (watch_scroll_y). Read here, it cost a page read
            # from the far end and its wrapping on every filter change and search key; until
            # then the scroll range is at most a screen longer, of thousands of entries.
            self._end_pending = True
            set_virtual_height(self, count - 1 + height)
            return
        self._end_pending = False
        fit = self._rows_fitting_above(count - 1, height) if count else 0
        set_virtual_height(self, count - fit + height if count else 0)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        height = max(1, self.scrollable_content_region.height)
        if self._end_pending and int(new_value) + 2 * height >= len(self.rows):
            self._lay_out()  # the end comes within reach: where scrolling stops, exactly

    def _width(self) -> int:
        """The table's width for text: read once per paint while painting."""
        if self._paint_width is not None:
            return self._paint_width
        return self.scrollable_content_region.width

    def _cells_of(self, index: int) -> list[list[str]]:
        """Wide: row `index`'s four text cells wrapped at the current widths (kept across
        filters and reloads: a filter change re-wraps nothing already seen)."""
        width = self._width()
        if (width, self.when_width) != self._wrapped_for:
            self._wrapped = {}  # wrapped at other widths: of no use now
            self._wrapped_for = (width, self.when_width)
        view = self._row(index)
        if view is None:
            return [[""], [""], [""], [""]]
        e = view.entry
        texts = (
            view.event,
            getattr(e, "participation", "") or "",
            getattr(e, "outcome", "") or "",
            ", ".join(view.issues),
        )
        cells = self._wrapped.get(texts)
        if cells is None:
            widths = wide_columns(width, self.when_width)[3:]
            cells = [_wrap(t, w) for t, w in zip(texts, widths, strict=True)]
            self._wrapped[texts] = cells
        return cells

    def _height_of(self, index: int) -> int:
        """Lines row `index` takes."""
        if not self.wide:
            return 1
        return max(len(c) for c in self._cells_of(index))

    def _rows_fitting_above(self, index: int, lines: int) -> int:
        """How many rows, ending with row `index`, fit in `lines` lines (at least one)."""
        used, first = self._height_of(index), index
        while first > 0 and used + self._height_of(first - 1) <= lines:
            first -= 1
            used += self._height_of(first)
        return index - first + 1

    def _locate(self, y: int) -> tuple[int, int]:
        """(row index, line within the row) at line `y` of the table on screen."""
        lines = self._paint_lines
        if lines is not None and 0 <= y < len(lines):
            return lines[y]
        index = int(self.scroll_offset.y)
        if not self.wide:
            return index + y, 0
        while index < len(self.rows):
            height = self._height_of(index)
            if y < height:
                return index, y
            y -= height
            index += 1
        return len(self.rows) + y, 0

    def _rows_on_screen(self) -> int:
        """How many rows start on screen (at least one)."""
        height = max(1, self.scrollable_content_region.height)
        top, used, count = int(self.scroll_offset.y), 0, 0
        while top + count < len(self.rows) and used < height:
            used += self._height_of(top + count)
            count += 1
        return max(count, 1)

    # Called as the table is given a new size (the screen draws the column names above it).
    sized: Callable[[], None] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if resized:
            # Laid out for its size here, in the screen's layout, so the frame that layout draws
            # shows the rows and the names above them as they now fit: on the Resize event
            # that follows the frame, the table and then its scroll bar were drawn twice more.
            if self.wide:
                self._lay_out()
            if self.sized is not None:
                self.sized()
        return resized

    @property
    def current(self) -> EntryView | None:
        return self._row(self.cursor)

    def _row(self, index: int) -> EntryView | None:
        """Row `index`, or None past the end (or when the stored entries changed under the
        table without the screen saying so: a page read short)."""
        if 0 <= index < len(self.rows):
            try:
                return self.rows[index]
            except IndexError:
                return None
        return None

    def watch_cursor(self, old: int, new: int) -> None:
        height = self.scrollable_content_region.height or 1
        top = int(self.scroll_offset.y)
        if not self.rows:
            pass
        elif new < top:
            self.scroll_to(y=max(new, 0), animate=False, immediate=True)
        elif new >= top + height or (
            self.wide and sum(self._height_of(i) for i in range(top, new + 1)) > height
        ):  # below the screen: the cursor's row becomes the last one shown
            first = new - self._rows_fitting_above(new, height) + 1
            self.scroll_to(y=max(first, 0), animate=False, immediate=True)
        self.refresh()
        current = self.current
        self.post_message(self.Highlighted(current.id if current else None))

    # --- drawing ------------------------------------------------------------------------------
    def _lines_on_screen(self, height: int) -> list[tuple[int, int]]:
        """(row index, line within the row) of each of the first `height` lines on screen, in
        one walk down from the top row (finding each line on its own walked from the top row
        again: a screenful of walks per paint in the wide table)."""
        top = int(self.scroll_offset.y)
        if not self.wide:
            return [(top + y, 0) for y in range(height)]
        lines: list[tuple[int, int]] = []
        index = top
        while len(lines) < height and index < len(self.rows):
            lines += [(index, offset) for offset in range(self._height_of(index))]
            index += 1
        while len(lines) < height:  # past the last row: blank lines
            lines.append((len(self.rows) + len(lines), 0))
        return lines[:height]

    def render_lines(self, crop: Region) -> list[Strip]:
        region = self.scrollable_content_region
        self._paint_width = region.width
        self._paint_lines = self._lines_on_screen(max(crop.bottom, region.height))
        try:
            return self._render_lines(crop)
        finally:  # read again on the next paint, and by render_line called on its own
            self._paint_width = None
            self._paint_lines = None

    def _render_lines(self, crop: Region) -> list[Strip]:
        # Styles once per paint, not once per line: each lookup walks the DOM.
        self._paint_styles = {
            "base": self.rich_style,
            "cursor": self.get_component_rich_style("chronology-table--cursor"),
            "spe": self.get_component_rich_style("chronology-table--spe"),
            "unknown": self.get_component_rich_style("chronology-table--unknown"),
            "empty": self.get_component_rich_style("chronology-table--empty"),
        }
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width()
        styles = self._paint_styles or {
            "base": self.rich_style,
            "cursor": Style(),
            "spe": Style(),
            "unknown": Style(),
            "empty": Style(),
        }
        base = styles["base"]
        index, offset = self._locate(y)
        if not self.rows:
            if y == 0:
                return Strip(
                    [Segment(_fit(self.empty_message, width), base + styles["empty"])], width
                )
            return Strip.blank(width, base)
        view = self._row(index)
        if view is None:
            return Strip.blank(width, base)
        if self.wide:
            return self._wide_line(view, index, offset, width, styles)
        when_w, mark_w, source_w, event_w, issues_w = columns(width, self.when_width)
        on_cursor = index == self.cursor
        row_style = base + styles["cursor"] if on_cursor else base
        marks = ("★" if view.significant else " ") + ("h" if view.known is False else " ")
        unknown = self.known_codes is not None and view.source not in self.known_codes
        source = view.source + ("?" if unknown else "")
        mark_style = row_style + styles["spe"] if view.significant and not on_cursor else row_style
        source_style = row_style + styles["unknown"] if unknown and not on_cursor else row_style
        segments = [
            Segment(_fit(_shown_when(view, self.date_marks), when_w) + " ", row_style),
            Segment(_fit(marks, mark_w) + " ", mark_style),
            Segment(_fit(source, source_w), source_style),
            Segment(" " + _fit(view.event, event_w), row_style),
        ]
        used = when_w + mark_w + source_w + event_w + 3
        if issues_w:
            segments.append(Segment(" " + _fit(", ".join(view.issues), issues_w), row_style))
            used += issues_w + 1
        if used < width:
            segments.append(Segment(" " * (width - used), row_style))
        return (
            Strip(segments, max(width, used)).crop(0, width)
            if used > width
            else Strip(segments, width)
        )

    def _wide_line(
        self, view: EntryView, index: int, offset: int, width: int, styles: dict[str, Style]
    ) -> Strip:
        """Line `offset` of row `index` with all six columns, each cell wrapped."""
        when_w, mark_w, source_w, *rest = wide_columns(width, self.when_width)
        on_cursor = index == self.cursor
        row_style = styles["base"] + styles["cursor"] if on_cursor else styles["base"]
        first = offset == 0
        marks = ("★" if view.significant else " ") + ("h" if view.known is False else " ")
        unknown = self.known_codes is not None and view.source not in self.known_codes
        source = view.source + ("?" if unknown else "")
        mark_style = row_style + styles["spe"] if view.significant and not on_cursor else row_style
        source_style = row_style + styles["unknown"] if unknown and not on_cursor else row_style
        segments = [
            Segment(
                _fit(_shown_when(view, self.date_marks) if first else "", when_w) + " ", row_style
            ),
            Segment(_fit(marks if first else "", mark_w) + " ", mark_style),
            Segment(_fit(source if first else "", source_w), source_style),
        ]
        for lines, w in zip(self._cells_of(index), rest, strict=True):
            text = lines[offset] if offset < len(lines) else ""
            segments.append(Segment(" " + set_cell_size(text, w), row_style))
        used = sum(cell_len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), row_style))
        return Strip(segments).crop(0, width)

    # --- keys and mouse -----------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(self.cursor + delta, len(self.rows) - 1))

    def action_page(self, direction: int) -> None:
        if self.wide:
            self.action_cursor(direction * max(1, self._rows_on_screen() - 1))
            return
        height = max(1, self.scrollable_content_region.height - 1)
        self.action_cursor(direction * height)

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if where < 0 else 0

    def action_choose(self) -> None:
        current = self.current
        if current is not None:
            self.post_message(self.Chosen(current.id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index, _ = self._locate(offset.y)
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_choose()
            self.cursor = index


class TextPane(BarAlwaysShown, can_focus=True):
    """Read-only text drawn line by line: replacing the text repaints this pane only, where a
    Static in a scroll container would reflow the whole screen. Give it Content (see
    screens/text.py) when it holds user text; a str is read as the app's own markup."""

    DEFAULT_CSS = """
    TextPane { height: 1fr; overflow-x: hidden; overflow-y: scroll; }
    """
    BINDINGS = [
        Binding("up", "scroll_up", "Up", show=False, id="text-pane-up"),
        Binding("down", "scroll_down", "Down", show=False, id="text-pane-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="text-pane-page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="text-pane-page-down"),
    ]

    def __init__(self, markup: str | Content = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.markup = markup
        self._strips: list[Strip] = []
        self._width = -1
        self._base_style: Style | None = None  # set once per paint by render_lines

    def set_markup(self, markup: str | Content) -> None:
        if markup == self.markup:
            return
        self.markup = markup
        self._width = -1
        self.scroll_to(y=0, animate=False, immediate=True)
        self._layout_text()

    @property
    def plain(self) -> str:
        from textual.content import Content

        return Content.from_markup(self.markup).plain

    def _layout_text(self) -> None:
        from textual.content import Content
        from textual.visual import Visual

        width = self.scrollable_content_region.width
        if width <= 0:
            return
        content = Content.from_markup(self.markup)
        self._strips = Visual.to_strips(self, content, width, None, self.visual_style)
        self._width = width
        set_virtual_height(self, len(self._strips))

    def on_resize(self) -> None:
        self._layout_text()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = self.rich_style  # once per paint: each lookup walks the DOM
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._layout_text()
        base = self._base_style or self.rich_style
        index = int(self.scroll_offset.y) + y
        if 0 <= index < len(self._strips):
            return self._strips[index].extend_cell_length(width, base).crop(0, width)
        return Strip.blank(width, base)
