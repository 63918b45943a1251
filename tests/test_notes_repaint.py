"""The notes editor repaints only the lines a key changed (issue 14), and what is on screen is
always what a full repaint shows: after typing, deleting, joining and splitting lines, selecting,
undoing and scrolling, no line is left stale."""

from __future__ import annotations

import random

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
    async with app.run_test(size=(70, 24)) as pilot:
        area = app.query_one(NotesArea)
        area.focus()
        area.cursor_blink = False
        area.move_cursor((3, 5))
        await pilot.pause()
        for n in range(40):
            key = keys[n % len(keys)] if n < len(keys) else rng.choice(keys)
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
