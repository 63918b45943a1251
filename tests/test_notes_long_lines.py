"""The notes editor's soft wrap for very long lines (issue 14): after any edit the breaks are
exactly Textual's own, every screen line is drawn as Textual draws it, and a key's cost does not
grow with the length of the paragraph."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from textual._wrap import compute_wrap_offsets
from textual.app import App, ComposeResult
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from reviewer_tui.screens.long_lines import (
    LONG_LINE,
    LongLineWrappedDocument,
    _one_cell_each,
    _untabbed_offsets,
)
from reviewer_tui.screens.notes import NotesArea

WORDS = ("the", "plan", "was", "agreed", "Ann", "said", "supervision", "a", "referral,", "x" * 130)


def _paragraph(rng: random.Random, size: int) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(WORDS)
        out.append(word)
        total += len(word) + 1
    return " ".join(out)


def test_breaks_after_random_edits_are_textuals() -> None:
    rng = random.Random(14)
    document = Document(_paragraph(rng, 12_000) + "\n" + _paragraph(rng, 2 * LONG_LINE))
    wrapped = WrappedDocument(document, width=57)
    wrapped.__class__ = LongLineWrappedDocument
    for n in range(200):
        row = rng.randrange(2)
        line = document[row]
        start = rng.randrange(len(line) + 1)
        end = min(len(line), start + rng.choice((0, 0, 1, 3, 40, 300)))
        insert = rng.choice(("", "a", " ", "  ", "word ", "y" * 200, "two words", "é"))
        result = document.replace_range((row, start), (row, end), insert)
        wrapped.wrap_range((row, start), (row, end), result.end_location)
        expected = WrappedDocument(document, width=57)
        assert wrapped._wrap_offsets == expected._wrap_offsets, n
        assert wrapped._offset_to_line_info == expected._offset_to_line_info, n
        assert wrapped._line_index_to_offsets == expected._line_index_to_offsets, n
    for row in range(2):
        sections = wrapped.get_sections(row)
        assert list(sections) == WrappedDocument(document, width=57).get_sections(row)
        assert "".join(sections) == document[row]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "word", "x" * 23, ",", "é", " ", "  ", "\xa0"]),
        max_size=60,
    ),
    st.integers(min_value=1, max_value=40),
)
def test_a_line_of_one_cell_characters_breaks_where_textual_breaks_it(
    pieces: list[str], width: int
) -> None:
    """The notes editor finds a plain line's breaks from one break straight to the next (the
    whole text is wrapped as the notes open): they must be Textual's, whatever the spaces."""
    line = "".join(pieces)
    assert _one_cell_each(line)
    assert _untabbed_offsets(line, width, 4, True) == compute_wrap_offsets(line, width, 4)


class _Host(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield NotesArea(self.text, soft_wrap=True, show_line_numbers=False)


def test_wrapping_the_whole_text_gives_textuals_breaks() -> None:
    """The notes editor wraps the whole text (on opening, on a resize) its own faster way: the
    breaks, tab widths and line indexes must be exactly Textual's, for any text and width."""
    rng = random.Random(7)
    pieces = ("word", "é", "ë", "中文", "\t", "  ", " ", "\x01", "\u200b", "x" * 70, "a,", "Ann")
    lines = [
        "".join(rng.choice(pieces) + rng.choice(("", " ")) for _ in range(rng.randrange(60)))
        for _ in range(300)
    ]
    document = Document("\n".join([*lines, "", _paragraph(rng, 2 * LONG_LINE)]))
    for width in (0, 1, 3, 17, 57, 112):
        for tab in (4, 8):
            theirs = WrappedDocument(document, width=width, tab_width=tab)
            ours = WrappedDocument(document)
            ours.__class__ = LongLineWrappedDocument
            ours.wrap(width, tab)
            assert ours._wrap_offsets == theirs._wrap_offsets, (width, tab)
            assert ours._tab_width_cache == theirs._tab_width_cache
            assert ours._offset_to_line_info == theirs._offset_to_line_info
            assert ours._line_index_to_offsets == theirs._line_index_to_offsets


async def test_each_screen_line_is_drawn_as_textual_draws_it() -> None:
    rng = random.Random(3)
    text = _paragraph(rng, 20_000) + "\nshort line\n" + _paragraph(rng, 5_000)
    app = _Host(text)
    async with app.run_test(size=(90, 30)) as pilot:
        area = app.query_one(NotesArea)
        area.focus()
        for location, selection_end in (((0, 9_000), None), ((0, 100), (0, 7_000)), ((2, 0), None)):
            area.move_cursor(location)
            if selection_end:
                area.move_cursor(selection_end, select=True)
            await pilot.pause()
            from textual.widgets import TextArea

            for y in range(area.size.height):
                ours = area._render_line(y)
                textual = TextArea._render_line(area, y)
                assert ours.text == textual.text, y
                assert list(ours) == list(textual), y


async def test_a_keys_cost_does_not_grow_with_the_paragraph() -> None:
    """CPU per key (edit, re-wrap, draw) in the middle of a 20 KB and a 2 MB paragraph: before
    this change the 2 MB one cost about a hundred times more; a generous bound on the ratio."""
    rng = random.Random(5)
    costs = {}
    for size in (20_000, 2_000_000):
        app = _Host(_paragraph(rng, size))
        async with app.run_test(size=(100, 30)) as pilot:
            area = app.query_one(NotesArea)
            area.focus()
            area.move_cursor((0, size // 2))
            await pilot.pause()
            spent = []
            for char in "the plan was agreed":
                began = time.process_time()
                area.insert(char)
                area.refresh()
                await pilot.pause()
                spent.append(time.process_time() - began)
            costs[size] = sorted(spent)[len(spent) // 2]
            assert area.text.count("the plan was agreed") >= 1
    assert costs[2_000_000] < 10 * costs[20_000] + 0.01, costs
