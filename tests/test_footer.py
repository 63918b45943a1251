"""The header and footer of every screen are one widget each (screens/bars.py): they show what
Textual's own show, follow the focus and the bindings, and take the mouse as Textual's do."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets import Header as TextualHeader
from textual.widgets import Input

from reviewer_tui.screens.bars import Footer, Header

SCREENS = Path(__file__).resolve().parents[1] / "screens"


def _bottom_line(app: App[Any]) -> str:
    return app.screen._compositor.render_strips()[-1].text


def _cells(app: App[Any], row: int) -> list[tuple[str, str, str, bool, bool]]:
    """Each cell of a row as drawn: its character, colours, and whether bold or dim (a space's
    text colour is not seen)."""
    cells = []
    for segment in app.screen._compositor.render_strips()[row]:
        style = segment.style
        for char in segment.text:
            cells.append(
                (
                    char,
                    str(style.color) if style and char != " " else "",
                    str(style.bgcolor) if style else "",
                    bool(style and style.bold),
                    bool(style and style.dim),
                )
            )
    return cells


def _top_line(app: App[Any]) -> str:
    return app.screen._compositor.render_strips()[0].text


class _Armable(Screen[None]):
    """A screen whose keys can be changed (`armed`) by a test."""

    armed = False


class _Keys(_Armable):
    BINDINGS = [Binding(f"f{n}", f"noop{n}", f"Action {n}") for n in range(1, 11)]

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield Footer()


class _Toggled(_Armable):
    """A key shown only while `armed`, and one only while the focus is in `b`."""

    BINDINGS = [
        Binding("f1", "noop1", "Always"),
        Binding("f2", "fire", "Fire"),
        Binding("f3", "focus_b", "Into b"),
    ]
    fired = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.armed if action == "fire" else True

    def action_fire(self) -> None:
        self.fired += 1

    def action_focus_b(self) -> None:
        self.query_one("#b").focus()

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield _Armed(id="b")
        yield Footer()


class _Armed(Input):
    BINDINGS = [Binding("f4", "noop4", "Only in b")]


class _Covering(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Input()


class _Grouped(_Armable):
    """Keys in a group (as the workspace's stages), and one shown disabled until `armed`."""

    GROUP = Binding.Group("Stages")
    BINDINGS = [
        Binding("f1", "noop1", "One", group=GROUP),
        Binding("f2", "noop2", "Two", group=GROUP),
        Binding("f5", "fire", "Fire", tooltip="Fire now"),
    ]
    fired = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (True if self.armed else None) if action == "fire" else True

    def action_fire(self) -> None:
        self.fired += 1

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Footer()


class _Host(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def action_noop1(self) -> None:
        pass


def _with_bars(
    screen_type: type[_Armable], header: type[Widget], footer: type[Widget]
) -> type[_Armable]:
    """The same screen with the given header and footer (ours, or Textual's own)."""

    def compose(self: _Armable) -> ComposeResult:
        yield header()
        yield Input(id="a")
        yield Input(id="b")
        yield footer()

    return type(f"With{header.__module__.split('.')[0]}", (screen_type,), {"compose": compose})


@pytest.mark.parametrize("width", [120, 60])
@pytest.mark.parametrize("screen_type", [_Keys, _Toggled, _Grouped])
@pytest.mark.parametrize("armed", [False, True])
async def test_header_and_footer_say_what_textuals_say(
    screen_type: type[_Armable], armed: bool, width: int
) -> None:
    """Cell for cell (character, colours, bold, dim), for plain keys, keys in a group, a disabled
    key and the command palette's, on a wide and on a narrow terminal."""
    seen = []
    for header, footer in ((Header, Footer), (TextualHeader, TextualFooter)):
        screen = _with_bars(screen_type, header, footer)()
        screen.armed = armed
        app = _Host(screen)
        app.sub_title = "a [b]old [/] subtitle"
        async with app.run_test(size=(width, 10)) as pilot:
            await pilot.pause()
            await pilot.pause()
            await pilot.pause()
            seen.append((_cells(app, 0), _cells(app, -1)))
    assert seen[0] == seen[1]
    assert "a [b]old [/] subtitle" in "".join(cell[0] for cell in seen[0][0]) or width < 80


async def test_a_disabled_key_is_drawn_dim_and_rings_the_bell_when_clicked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = _Grouped()
    app = _Host(screen)
    bells: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(True))
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = screen.query_one(Footer)
        fire = next(k for k in footer.shown_keys() if k.action == "fire")
        x = _column_of(footer, fire)
        strip = footer.render_line(0)
        dim = [seg.style.dim for seg in strip if "Fire" in seg.text]
        assert dim and all(dim)
        await pilot.click(Footer, offset=(x, 0))
        await pilot.pause()
        assert bells == [True] and screen.fired == 0

        screen.armed = True
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        strip = footer.render_line(0)
        assert not any(seg.style.dim for seg in strip if "Fire" in seg.text)
        await pilot.click(Footer, offset=(x, 0))
        await pilot.pause()
        assert screen.fired == 1


def _column_of(footer: Footer, key: Any) -> int:
    footer.render_line(0)
    return next(x for x in range(footer.size.width) if footer.key_at(x) == key)


async def test_hovering_a_key_shows_its_tooltip() -> None:
    screen = _Grouped()
    screen.armed = True
    app = _Host(screen)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = screen.query_one(Footer)
        fire = next(k for k in footer.shown_keys() if k.action == "fire")
        await pilot.hover(Footer, offset=(_column_of(footer, fire), 0))
        await pilot.pause()
        assert footer.tooltip == "Fire now"
        one = next(k for k in footer.shown_keys() if k.action == "noop1")
        await pilot.hover(Footer, offset=(_column_of(footer, one), 0))
        await pilot.pause()
        assert footer.tooltip == "One"  # a key in a group: its description


async def test_footer_follows_the_focus_and_the_bindings_without_a_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the keys say changes with the focus and with what the screen allows; a change made
    while the screen is covered shows when it is on top again. The footer is drawn again, never
    laid out again (nor the screen for it)."""
    screen = _Toggled()
    app = _Host(screen)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = screen.query_one(Footer)
        laid_out: list[Widget] = []
        original = Widget.refresh

        def recording(self: Widget, *args: Any, layout: bool = False, **kwargs: Any) -> Any:
            if layout and isinstance(self, Footer):
                laid_out.append(self)
            return original(self, *args, layout=layout, **kwargs)

        monkeypatch.setattr(Widget, "refresh", recording)
        assert "Fire" not in _bottom_line(app)

        await app.push_screen(_Covering())  # changed while covered: not shown yet
        screen.armed = True
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Fire" not in footer.render_line(0).text
        app.pop_screen()  # ...but as soon as it is on top again
        await pilot.pause()
        await pilot.pause()
        assert " f1 Always  f2 Fire  f3 Into b " in _bottom_line(app)

        await pilot.press("f3")  # focus into a field with its own key: the key is shown
        await pilot.pause()
        await pilot.pause()
        assert "f4 Only in b" in _bottom_line(app)
        screen.query_one("#a").focus()  # ...and goes when the focus leaves it
        await pilot.pause()
        await pilot.pause()
        assert "Only in b" not in _bottom_line(app)
        assert laid_out == []
        assert list(footer.children) == []


async def test_keys_past_the_right_edge_are_reached_with_the_mouse_wheel() -> None:
    screen = _Keys()
    app = _Host(screen)
    async with app.run_test(size=(50, 10)) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = screen.query_one(Footer)
        assert "Action 10" not in _bottom_line(app)
        assert _bottom_line(app).rstrip().endswith("^p palette")  # kept on the right
        for _ in range(60):
            footer.post_message(events.MouseScrollDown(footer, 5, 0, 0, 1, 0, False, False, False))
        await pilot.pause()
        await pilot.pause()
        line = _bottom_line(app)
        assert "f10 Action 10" in line and "Action 1 " not in line
        assert line.rstrip().endswith("^p palette")
        footer.post_message(events.MouseScrollUp(footer, 5, 0, 0, -1, 0, False, False, False))
        await pilot.pause()
        await pilot.pause()
        assert _bottom_line(app) != line


async def test_the_header_shows_the_screens_title_and_the_apps_changes() -> None:
    class Titled(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Footer()

    screen = Titled()
    app = _Host(screen)
    app.title = "reviewer-tui"
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert "reviewer-tui" in _top_line(app)
        app.sub_title = "backing up: [/] step 1"  # as the backup says how far it has got
        await pilot.pause()
        assert "reviewer-tui — backing up: [/] step 1" in _top_line(app)
        screen.title = "Search"
        await pilot.pause()
        assert "Search — backing up" in _top_line(app)
        screen.title = "x" * 200  # cut to the line, never wrapped
        await pilot.pause()
        assert _top_line(app).rstrip().endswith("…")
        header = screen.query_one(Header)
        await pilot.click(Header, offset=(20, 0))  # taller, as Textual's
        await pilot.pause()
        assert header.region.height == 3
        await pilot.click(Header, offset=(2, 0))  # the icon: the command palette
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


def test_every_screen_uses_the_apps_header_and_footer() -> None:
    """One header and one footer: a screen importing Textual's would build a widget per key."""
    offenders = []
    for path in sorted(SCREENS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                if any(alias.name in ("Footer", "Header") for alias in node.names):
                    offenders.append(path.name)
    assert offenders == []


def test_every_select_is_the_apps_lean_select() -> None:
    """One Select (screens/inputs.py LeanSelect, its list built when first opened): Textual's
    builds its list, styled and laid out, with every screen that shows one."""
    offenders = []
    for path in sorted(SCREENS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "Select":
                    offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and node.name != "LeanSelect":
                for base in node.bases:
                    named = base.value if isinstance(base, ast.Subscript) else base
                    if isinstance(named, ast.Name) and named.id == "Select":
                        offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


async def test_a_pushed_screen_is_not_restyled_whole_after_it_mounts(
    folder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual styles a screen as it mounts, then again on its first Resize (the width's
    breakpoint class) and its first ScreenResume: the app gives the class before it mounts and
    skips that first resume's pass."""
    from reviewer_tui.screens.base import ReviewScreen
    from tests.conftest import make_app

    class Fields(ReviewScreen[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="a")
            yield Footer()

    restyled: list[Any] = []
    original = DOMNode.update_node_styles

    def recording(self: DOMNode, *args: Any, **kwargs: Any) -> None:
        restyled.append(self)
        original(self, *args, **kwargs)

    app = make_app(folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(DOMNode, "update_node_styles", recording)
        screen = Fields()
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.pause()
        assert screen.has_class("-roomy")
        assert screen not in restyled
