"""Soft wrap whose cost per key does not grow with the length of a line (issue 14).

Textual 8.2.8's TextArea re-wraps the whole document line an edit touched, and to draw one screen
line (or move the cursor) it builds and divides the whole document line: with 2 MB typed as one
paragraph each key took seconds. Here, for a long line without tabs:

- `rewrap` re-wraps from shortly before the edit only until the breaks meet the old ones again
  (greedy wrapping is decided by the text from a break onwards, so once a new break falls where an
  old one did, shifted by the edit, every later break is the old one shifted);
- `LongLineWrappedDocument` uses it, and cuts out only the one section a caller asks for;
- `render_section` draws one screen line from its own slice of the text.

Shorter lines, and lines with tabs (whose width depends on the column), take Textual's own path.
The breaks are exactly Textual's (tests/test_notes_long_lines.py compares them after random edits).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from rich.style import Style
from rich.text import Text
from textual._cells import cell_len, cell_width_to_column_index
from textual._wrap import compute_wrap_offsets
from textual.document._document import Location
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.geometry import Offset, clamp
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widgets import TextArea

try:  # rich's own test: every character takes one cell (printable ASCII, most accented letters)
    from rich.cells import _is_single_cell_widths as _one_cell_each
except ImportError:  # another rich: only printable ASCII is known to be one cell a character

    def _one_cell_each(text: str) -> bool:
        return text.isascii() and text.isprintable()


LONG_LINE = 2000  # characters: a line at least this long takes the paths below
_CHUNK = re.compile(r"\S+\s*|\s+")  # Textual's own chunks (textual._wrap.re_chunk)
_SPACE = re.compile(r"\s+")


def rewrap(
    line: str, old: list[int], start: int, old_end: int, new_end: int, width: int, tab: int
) -> list[int]:
    """The wrap offsets of `line` (no tabs) after the text between columns start and old_end was
    replaced by the text now between start and new_end; `old` the offsets before the edit."""
    delta = new_end - old_end
    starts = [0, *old]
    k = bisect_right(starts, start) - 1  # the section the edit begins in
    # Begin two sections earlier (deleting the start of a word may pull it onto the line above),
    # at a break whose chunk ends before the edit, so that the break itself cannot move.
    k = max(0, k - 2)
    while k > 0:
        s = starts[k]
        chunk = _CHUNK.match(line, s)
        if line[s - 1].isspace() and chunk is not None and chunk.end() <= start:
            break
        k -= 1
    s = starts[k]
    window = max(8 * width, 4096) + (new_end - start)
    while True:
        m = _SPACE.search(line, min(len(line), s + window))
        e = m.end() if m else len(line)  # whole chunks only: every break found is final
        found = [s + x for x in compute_wrap_offsets(line[s:e], width, tab)]
        for n, x in enumerate(found):
            if x < new_end:
                continue
            at = bisect_left(old, x - delta)
            if at < len(old) and old[at] == x - delta and old[at] >= old_end:
                return old[:k] + found[: n + 1] + [o + delta for o in old[at + 1 :]]
        if e >= len(line):
            return old[:k] + found
        window *= 2


def _untabbed_offsets(line: str, width: int, tab: int, plain: bool) -> list[int]:
    """compute_wrap_offsets(line, width, tab) for a line without tabs: the same greedy breaks,
    without Textual's table of tab widths per character. A `plain` line (one cell per character)
    goes from break to break (`_plain_offsets`); any other, chunk by chunk. A chunk wider than
    the line is folded by Textual's own code."""
    if plain:
        return _plain_offsets(line, width, tab)
    breaks: list[int] = []
    used = 0
    for chunk in _CHUNK.finditer(line):
        start, end = chunk.span()
        size = cell_len(chunk.group())
        if used + size <= width:
            used += size
        elif size > width:
            return compute_wrap_offsets(line, width, tab)
        else:  # used > 0 here, so start > 0: Textual breaks before the chunk
            breaks.append(start)
            used = size
    return breaks


def _plain_offsets(line: str, width: int, tab: int) -> list[int]:
    r"""The breaks of a line of one cell per character (no tabs), found from each break straight
    to the next instead of chunk by chunk. A section from `begin` takes every whole chunk (a word
    and the spaces after it, Textual's `\S+\s*`, or the spaces a line starts with) that ends
    within `width` cells, so the next break is the start of the chunk holding the character at
    begin + width: that character's word, or the word before it when it is a space."""
    breaks: list[int] = []
    begin = 0
    while begin + width < len(line):
        at = begin + width  # the first character that does not fit
        while at > begin and line[at].isspace():  # a space: its chunk is the word before it
            at -= 1
        while at > begin and not line[at - 1].isspace():  # back to that word's start
            at -= 1
        if at == begin:  # (or at the line's leading spaces) one chunk wider than the line
            return compute_wrap_offsets(line, width, tab)
        breaks.append(at)
        begin = at
    return breaks


def changed_sections(
    old: list[int], new: list[int], start: int, old_end: int, new_end: int, length: int
) -> tuple[int, int]:
    """The first and last section (of the new wrap offsets `new` of a line now `length` long)
    whose text may differ from before the edit (the text between start and old_end replaced by
    the text now between start and new_end; `old` the offsets before). Sections before them keep
    their bounds; sections after them begin at a break that is an old break shifted by the edit,
    so they and all that follow hold the text they held (greedy wrapping, as in `rewrap`).
    Looks only at the sections near the edit: the cost does not grow with the line."""
    delta = new_end - old_end
    shift = len(new) - len(old)
    count = len(new) + 1

    def bounds(offsets: list[int], index: int, size: int) -> tuple[int, int]:
        begin = offsets[index - 1] if index else 0
        return begin, offsets[index] if index < len(offsets) else size

    first = min(bisect_right(new, start), count - 1)  # the section the edit begins in
    while first > 0:
        before = first - 1
        if before <= len(old) and bounds(new, before, length) == bounds(
            old, before, length - delta
        ):
            break
        first = before
    last = first
    while last < count - 1:
        begin = new[last]  # where the next section begins
        at = last + 1 - shift  # that section's index before the edit, once the breaks agree
        if begin >= new_end and 0 < at <= len(old) and old[at - 1] + delta == begin:
            break
        last += 1
    return first, last


class _Sections(Sequence[str]):
    """A long line's sections, each cut out only when asked for."""

    def __init__(self, line: str, offsets: list[int]) -> None:
        self._line = line
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) + 1

    def bounds(self, index: int) -> tuple[int, int]:
        count = len(self._offsets) + 1
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(index)
        begin = self._offsets[index - 1] if index else 0
        end = self._offsets[index] if index < count - 1 else len(self._line)
        return begin, end

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        begin, end = self.bounds(index)
        return self._line[begin:end]

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


class LongLineWrappedDocument(WrappedDocument):
    """Textual's WrappedDocument, with long lines re-wrapped and cut up only where needed.

    Textual 8.2.8 also computes `height` by summing over every line, and calls it for each line it
    renders; the wrapped line index already has one entry per screen line."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        """Textual's `wrap` (the same breaks, tab widths and indexes), faster: a line that fits
        is not measured chunk by chunk, and a line without tabs is wrapped without Textual's table
        of tab widths per character. Opening 200 KB of notes wraps the whole text."""
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        tab = self._tab_width
        wrap_offsets: list[list[int]] = []
        tab_widths: list[list[int]] = []
        line_offsets: list[list[int]] = []
        line_info: list[tuple[int, int]] = []
        y = 0
        for index, line in enumerate(self.document.lines):
            if "\t" in line:
                sections = get_tab_widths(line, tab)
                tab_widths.append([w for _, w in sections])
                offsets = (
                    compute_wrap_offsets(line, width, tab, precomputed_tab_sections=sections)
                    if width
                    else []
                )
            else:
                tab_widths.append([0] if line else [])
                plain = _one_cell_each(line)
                if not width or (len(line) <= width and (plain or cell_len(line) <= width)):
                    offsets = []
                else:
                    offsets = _untabbed_offsets(line, width, tab, plain)
            wrap_offsets.append(offsets)
            count = len(offsets) + 1
            line_offsets.append(list(range(y, y + count)))
            line_info.extend([(index, section) for section in range(count)])
            y += count
        self._wrap_offsets = wrap_offsets
        self._offset_to_line_info = line_info
        self._line_index_to_offsets = line_offsets
        self._tab_width_cache = tab_widths

    def _long(self, line_index: int) -> str | None:
        """The line, if it is long and has no tabs (then the fast paths apply)."""
        if not self._width or not 0 <= line_index < len(self._wrap_offsets):
            return None
        line = self.document[line_index]
        if len(line) < LONG_LINE or len(self._tab_width_cache[line_index]) > 1:
            return None
        return line

    changed: tuple[int, int] | None = None
    """After `wrap_range` took the fast path: the first and last screen line (wrapped offsets)
    whose text changed. The screen lines between them need drawing again; those above are as
    they were, those below hold the same text (moved down or up when the count changed)."""

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        self.changed = None
        row = start[0]
        line = self._long(row) if row == old_end[0] == new_end[0] else None
        if (
            line is None
            or row >= len(self._line_index_to_offsets)
            or not start[1] <= min(old_end[1], new_end[1])
            or "\t" in line
        ):
            super().wrap_range(start, old_end, new_end)
            return
        old = self._wrap_offsets[row]
        new = rewrap(line, old, start[1], old_end[1], new_end[1], self._width, self._tab_width)
        self._wrap_offsets[row] = new
        first, last = changed_sections(old, new, start[1], old_end[1], new_end[1], len(line))
        top = self._line_index_to_offsets[row][0]
        self.changed = (top + first, top + last)
        shift = len(new) - len(old)
        if shift:
            top = self._line_index_to_offsets[row][0]
            self._offset_to_line_info[top : top + len(old) + 1] = [
                (row, section) for section in range(len(new) + 1)
            ]
            self._line_index_to_offsets[row] = list(range(top, top + len(new) + 1))
            for index in range(row + 1, len(self._line_index_to_offsets)):
                self._line_index_to_offsets[index] = [
                    y + shift for y in self._line_index_to_offsets[index]
                ]

    def get_sections(self, line_index: int) -> list[str]:
        line = self._long(line_index)
        if line is None:
            return super().get_sections(line_index)
        return _Sections(line, self._wrap_offsets[line_index])  # type: ignore[return-value]  # a lazy list

    def location_to_offset(self, location: Location) -> Offset:
        line_index = clamp(location[0], 0, len(self._line_index_to_offsets))
        line = self._long(line_index)
        if line is None:
            return super().location_to_offset(location)
        offsets = self._wrap_offsets[line_index]
        section = bisect_right(offsets, location[1])
        begin = offsets[section - 1] if section else 0
        x = cell_len(line[begin : location[1]])
        return Offset(x, self._line_index_to_offsets[line_index][section])

    def get_target_document_column(self, line_index: int, x_offset: int, y_offset: int) -> int:
        line = self._long(line_index)
        if line is None:
            return super().get_target_document_column(line_index, x_offset, y_offset)
        sections = _Sections(line, self._wrap_offsets[line_index])
        begin, end = sections.bounds(y_offset)
        column = begin + cell_width_to_column_index(line[begin:end], x_offset, self._tab_width)
        if y_offset not in (len(sections) - 1, -1):
            column = min(column, end - 1)
        return column


def render_section(area: TextArea, y: int) -> Strip | None:
    """One screen line of `area` drawn from its own section of a long line, or None when
    Textual's own drawing applies (a short line, tabs, line numbers, syntax highlighting)."""
    document = area.wrapped_document
    if not isinstance(document, LongLineWrappedDocument) or not area.soft_wrap:
        return None
    if area.show_line_numbers or area.suggestion or area._highlights:
        return None
    y_offset = y + area.scroll_offset.y
    if not 0 <= y_offset < document.height:
        return None
    line_index, section = document._offset_to_line_info[y_offset]
    line = document._long(line_index)
    if line is None:
        return None
    begin, end = _Sections(line, document.get_offsets(line_index)).bounds(section)
    last = end >= len(line)
    theme = area._theme
    base_style = theme.base_style if theme and theme.base_style is not None else area.rich_style
    text = Text(line[begin:end], end="", no_wrap=True)
    if last:
        text.set_length(end - begin + 1)  # a space at the end for the cursor

    def mark(style: Style | None, first: int, after: int) -> None:
        first, after = max(first, begin), min(after, end + (1 if last else 0))
        if style is not None and after > first:
            text.stylize(style, first - begin, after - begin)

    selection = area.selection
    top, bottom = sorted(selection)
    cursor_row, cursor_column = selection.end
    highlight_cursor_line = area.highlight_cursor_line and area._has_cursor
    cursor_line_style = theme.cursor_line_style if (theme and highlight_cursor_line) else None
    if area._has_cursor and cursor_line_style and cursor_row == line_index:
        text.stylize(cursor_line_style)
    if selection.start != selection.end and top[0] <= line_index <= bottom[0]:
        mark(
            theme.selection_style if theme else None,
            top[1] if top[0] == line_index else 0,
            bottom[1] if bottom[0] == line_index else len(line),
        )
    bracket = area._matching_bracket_location
    brackets = (
        area._has_cursor
        and area.match_cursor_bracket
        and bracket is not None
        and selection.start == selection.end
    )
    bracket_style = theme.bracket_matching_style if theme else None
    if cursor_row == line_index:
        if brackets:
            mark(bracket_style, cursor_column, cursor_column + 1)
        if area._draw_cursor:
            mark(theme.cursor_style if theme else None, cursor_column, cursor_column + 1)
    if brackets and bracket is not None and bracket[0] == line_index:
        mark(bracket_style, bracket[1], bracket[1] + 1)
    target_width = area.scrollable_content_region.size.width - area.gutter_width
    strip = Strip(text.render(area.app.console), cell_length=text.cell_len)
    if cursor_row == line_index and area.highlight_cursor_line:
        line_style = cursor_line_style
    else:
        line_style = theme.base_style if theme else None
    return strip.extend_cell_length(target_width, line_style).apply_style(base_style)
