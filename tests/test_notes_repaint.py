"""The notes editor repaints only the lines a key changed (issue 14), and what is on screen is
always what a full repaint shows: after typing, deleting, joining and splitting lines, selecting,
undoing and scrolling, no line is left stale."""

from __future__ import annotations

import random
from typing import Any

import pytest
from textual.app import App, ComposeResult

from reviewer_tui.screens.notes import NotesArea

WORDS = ("the", "plan", "was", "agreed", "(Ann)", "said", "supervision", "a", "referral,")


def _notes(rng: random.Random, lines: int) -> str:
    out = []
    for n in range(lines):
        size = rng.choice((3, 8, 20, 40)) if n % 7 else 600  # some lines wrap many times
        out.append(" ".join(rng.choice(WORDS) for _ in range(size)))
    return "\n".join(out)


class _Host(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield NotesArea(self.text, soft_wrap=True, show_line_numbers=False)


def _screen(app: App[None]) -> str:
    return app.export_screenshot()


async def test_the_screen_always_matches_a_full_repaint() -> None:
    rng = random.Random(14)
    app = _Host(_notes(rng, 60))
    keys = [
        "a",
        "b",
        "space",
        "enter",
        "backspace",
        "backspace",
        "delete",
        "left",
        "up",
        "down",
        "shift+right",
        "shift+down",
        "x",
        "end",
        "home",
        "ctrl+z",
        "ctrl+y",
        "pagedown",
        "parenleft",
        "right",
        "shift+up",
        "backspace",
        "ctrl+end",
        "enter",
        "ctrl+home",
        "ctrl+w",
    ]
    in_paragraph = ["a", "space", "backspace", "left", "right", "shift+right", "delete", "x"]
    async with app.run_test(size=(70, 24)) as pilot:
        area = app.query_one(NotesArea)
        area.focus()
        area.cursor_blink = False
        for n in range(56):
            if n in (0, 40):  # a short line, then the middle of a paragraph that fills the view
                area.move_cursor((3, 5) if n == 0 else (7, 1800), center=True)
                await pilot.pause()
            key = keys[n % len(keys)] if n < len(keys) else rng.choice(in_paragraph)
            if n % 5 == 4:  # an edit away from the cursor (as a program makes one)
                y = int(area.scroll_offset.y) + rng.randrange(area.size.height)
                row = area.wrapped_document._offset_to_line_info[y][0]
                if n % 10 == 4:
                    area.insert("Z", (row, 0))
                else:
                    area.delete((row, 0), (row, 1))
            else:
                await pilot.press(key)
            await pilot.pause()
            shown = _screen(app)
            area._strips.clear()  # the lines kept across edits, then every line drawn afresh
            area.refresh()
            await pilot.pause()
            assert _screen(app) == shown, f"stale lines at step {n}"


async def test_a_key_repaints_a_few_lines_not_the_whole_editor() -> None:
    rng = random.Random(5)
    app = _Host(_notes(rng, 200))
    async with app.run_test(size=(100, 40)) as pilot:
        area = app.query_one(NotesArea)
        area.focus()
        area.cursor_blink = False
        area.move_cursor((100, 3))
        await pilot.pause()
        drawn: list[int] = []
        real = area._render_line

        def counting(y: int):  # noqa: ANN202
            drawn.append(y)
            return real(y)

        area._render_line = counting  # type: ignore[method-assign]  # counts the lines drawn
        for n, key in enumerate("abc"):
            drawn.clear()
            await pilot.press(key)
            assert area.document[100][3 + n] == key
            assert 1 <= len(set(drawn)) <= 3, drawn  # the edited line (it may wrap), not all 38


async def test_a_paragraph_growing_by_a_line_moves_the_lines_below_without_drawing_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slowest keys were those that made a paragraph one screen line longer: every line below
    it was drawn and framed again (Textual keys drawn lines by their row and empties its cache on
    every edit), and the whole screen laid out. Moved lines are now found by what they show; the
    screen is still exactly what drawing every line afresh shows."""
    from textual._styles_cache import StylesCache
    from textual.screen import Screen

    text = "\n".join(f"line {n} " + "word " * (n % 23) for n in range(120))
    app = _Host(text)
    async with app.run_test(size=(70, 30)) as pilot:
        area = app.query_one(NotesArea)
        area.focus()
        area.cursor_blink = False
        area.move_cursor((3, len(area.document[3])))
        await pilot.pause()
        drawn: list[int] = []
        framed: list[int] = []
        layouts: list[object] = []
        real_draw = area._render_line
        real_frame = StylesCache.render_line
        real_layout = Screen._refresh_layout

        def drawing(y: int):  # noqa: ANN202
            drawn.append(y)
            return real_draw(y)

        def framing(self: StylesCache, styles: Any, y: int, *args: Any) -> Any:
            if self is area._styles_cache:
                framed.append(y)
            return real_frame(self, styles, y, *args)

        def laying_out(self: Screen[object], *args: Any, **kwargs: Any) -> None:
            layouts.append(self)
            real_layout(self, *args, **kwargs)

        area._render_line = drawing  # type: ignore[method-assign]  # counts the lines drawn
        monkeypatch.setattr(StylesCache, "render_line", framing)
        monkeypatch.setattr(Screen, "_refresh_layout", laying_out)
        grew = 0
        for n in range(90):
            height = area.wrapped_document.height
            drawn.clear()
            framed.clear()
            layouts.clear()
            await pilot.press("x" if n % 6 else "space")
            await pilot.pause()
            if area.wrapped_document.height != height:
                grew += 1
                assert len(set(drawn)) <= 3, drawn  # the grown paragraph, not the ~25 below
                assert len(set(framed)) <= 3, framed
                assert layouts == []
        assert grew >= 1
        shown = _screen(app)
        area._strips.clear()
        area.refresh()
        await pilot.pause()
        assert _screen(app) == shown


async def test_opening_wraps_the_notes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual wrapped every line four times while the editor opened (and built the document
    three times): once is enough, at the width it is shown at."""
    from reviewer_tui.screens.long_lines import LongLineWrappedDocument

    widths: list[int] = []
    real = LongLineWrappedDocument.wrap

    def counting(self: LongLineWrappedDocument, width: int, tab_width: int | None = None) -> None:
        widths.append(width)
        real(self, width, tab_width)

    app = _Host(_notes(random.Random(8), 300))
    monkeypatch.setattr(LongLineWrappedDocument, "wrap", counting)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        area = app.query_one(NotesArea)
        assert [w for w in widths if w] == [area.wrap_width]


def test_changed_sections_cover_every_section_whose_text_changed() -> None:
    from textual._wrap import compute_wrap_offsets

    from reviewer_tui.screens.long_lines import changed_sections, rewrap

    def sections(line: str, offsets: list[int]) -> list[str]:
        bounds = [0, *offsets, len(line)]
        return [line[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]

    rng = random.Random(7)
    line = " ".join(rng.choice(WORDS) for _ in range(1500))
    offsets = compute_wrap_offsets(line, 57, 4)
    spans: list[float] = []
    for n in range(150):
        start = rng.randrange(len(line) + 1)
        end = min(len(line), start + rng.choice((0, 0, 1, 2, 9, 80)))
        insert = rng.choice(("", "a", " ", "word ", "y" * 70, "two words"))
        new_line = line[:start] + insert + line[end:]
        new = rewrap(new_line, offsets, start, end, start + len(insert), 57, 4)
        assert new == compute_wrap_offsets(new_line, 57, 4), n
        first, last = changed_sections(offsets, new, start, end, start + len(insert), len(new_line))
        before, after = sections(line, offsets), sections(new_line, new)
        shift = len(after) - len(before)
        assert after[:first] == before[:first], n
        assert after[last + 1 :] == before[last + 1 - shift :], n
        spans.append((last - first + 1) / len(after))
        line, offsets = new_line, new
    assert sum(spans) / len(spans) < 0.2, "an edit repaints near itself, not the paragraph"


async def test_the_saved_time_lays_out_nothing_while_saving_goes_well(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The save line says "Saved HH:MM:SS" once a second while the notes are typed: redrawn in
    place, not by a layout of the whole screen (which redraws every widget on it). After a failure
    (a longer message that may wrap) it lays out again."""
    from textual.screen import Screen

    from reviewer_tui.screens.forms import SaveIndicator

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield NotesArea("notes", soft_wrap=True)
            yield SaveIndicator()

    layouts: list[object] = []
    real = Screen._refresh_layout

    def counting(self: Screen[object], *args: Any, **kwargs: Any) -> None:
        layouts.append(self)
        real(self, *args, **kwargs)

    app = Host()
    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    async with app.run_test(size=(100, 30)) as pilot:
        indicator = app.query_one(SaveIndicator)
        await pilot.pause()
        layouts.clear()
        indicator.saved()
        await pilot.pause()
        assert "Saved " in str(indicator.render())
        assert layouts == []
        indicator.failed("Notes", "disk full " * 30)
        await pilot.pause()
        assert indicator.size.height > 1
        layouts.clear()
        indicator.saved()
        await pilot.pause()
        assert layouts and indicator.size.height == 1
